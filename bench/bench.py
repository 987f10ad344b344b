#!/usr/bin/env python3
"""bedrock-gen's benchmark: start-up and render time as users feel them, next to the tools a
user would otherwise reach for, and policy size as a measured result.

Run with `make bench`. It builds fresh venvs (bedrock-gen installed non-editable; policy_sentry
and check-jsonschema each in their own), times whole commands with time.perf_counter over
repeated subprocess runs, and writes bench/results.md. Ratios are against `python -c pass`
measured in the same run, so numbers from different machines compare.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*/bedrock-gen.yaml"))
PORT_EXAMPLE = ROOT / "examples/port-specific-models/bedrock-gen.yaml"


def make_venv(path: Path, *packages: str) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    py = path / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", *packages], check=True)
    return path / "bin"


def timed(cmd: list[str], runs: int, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    for _ in range(2):  # warm the page cache
        subprocess.run(cmd, cwd=cwd, capture_output=True)
    samples = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
        samples.append(time.perf_counter() - start)
        code = proc.returncode
        errors = re.findall(r": error: .*\[([\w-]+)\]$", proc.stdout.decode(), re.M)
        if proc.returncode not in ok:
            raise SystemExit(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                f"{proc.stdout.decode()}{proc.stderr.decode()}"
            )
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p10": samples[len(samples) // 10],
        "p90": samples[(len(samples) * 9) // 10],
        "runs": runs,
        "code": code,
        "errors": sorted(set(errors)),  # the codes of the last run's errors
    }


@functools.cache  # the harness's own input: read the bundled catalog once, not per bisection step
def widest_routes(geo: str) -> dict[str, list[str]]:
    """The routing table of the geography's widest profile in the bundled catalog (most sources,
    then most destinations): custom models given it weigh what the largest catalog model does.
    (Custom models need routes: without them validate refuses to guess, custom-routes-needed.)"""
    sys.path.insert(0, str(ROOT / "generator"))
    from bedrock_gen.catalog.bundled import load

    tables = [m.profiles[geo].routes for m in load().by_id.values() if geo in m.profiles]
    if not tables:
        return {}  # AWS publishes no routing table for any of the geography's profiles
    best = max(tables, key=lambda r: (len(r), sum(len(d) for d in r.values())))
    return {source: list(dests) for source, dests in best.items()}


def custom_models(count: int, geos: list[str]) -> list[str]:
    """``count`` custom entries sharing one routes table (a YAML anchor, then aliases)."""
    tables = {g: t for g in geos if (t := widest_routes(g))}
    table = json.dumps(tables)
    return [
        f"    - {{id: acme.model-{i:04d}-v1:0, geographies: {json.dumps(list(tables))}, "
        f"routes: {'&r ' + table if i == 0 else '*r'}}}"
        for i in range(count)
    ]


def catalog_config(work: Path, models: list[str], geos: list[str], custom: int = 0) -> Path:
    lines = [
        "version: 1",
        "name: all",
        "models:",
        f"  ids: {json.dumps(models)}",
        f"  geographies: {json.dumps(geos)}",
    ]
    if custom:
        lines.append("  custom:")
        # in one geography: the routes table repeats per model (aliases), and YAML nodes are capped
        lines += custom_models(custom, ["us"])
    lines += ["auth: {mode: assume_role, external_id: bench-ext-id}"]
    path = work / f"catalog-{custom}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bedrock-gen-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


CONFIG_VARIANTS = (
    ("eu", "[claude-sonnet-4-5, claude-haiku-4-5]", "{mode: assume_role, external_id: x-%d}"),
    ("us", "[claude-sonnet-4-5]", "{mode: access_keys}"),
    ("global", "[claude-haiku-4-5]", "{mode: assume_role, gateway: portkey, external_id: k%d}"),
    ("eu", "[claude-sonnet-4-5]", "{mode: existing_role, role_name: gw-%d}"),
)


def many_configs(work: Path, n: int) -> list[str]:
    """``n`` small, different configs (models, geographies, auth modes, names), each in its
    own folder: what a monorepo with many gateways holds."""
    paths = []
    for i in range(n):
        geo, models, auth = CONFIG_VARIANTS[i % len(CONFIG_VARIANTS)]
        folder = work / "many" / f"gw-{i:03d}"
        folder.mkdir(parents=True)
        text = (
            f"version: 1\nname: gw-{i:03d}\nmodels:\n  ids: {models}\n  geographies: [{geo}]\n"
            f"auth: {auth % i if '%d' in auth else auth}\n"
        )
        (folder / "bedrock-gen.yaml").write_text(text)
        paths.append(str(folder / "bedrock-gen.yaml"))
    return paths


def run(work: Path, args: argparse.Namespace) -> None:
    print("setting up venvs (bedrock-gen non-editable) ...", flush=True)
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheel = next(dist.glob("*.whl"))
    bg = make_venv(work / "bg", str(wheel))
    exe = str(bg / "bedrock-gen")
    py = str(bg / "python")
    rows: list[tuple[str, dict]] = []
    runs = args.runs
    port = work / "port"
    shutil.copytree(PORT_EXAMPLE.parent, port, ignore=shutil.ignore_patterns("generated"))
    subprocess.run([exe, "render", "bedrock-gen.yaml"], cwd=port, check=True, capture_output=True)
    configs = many_configs(work, 100)
    subprocess.run([exe, "render", *configs], check=True, capture_output=True)
    dump = work / "aws-dump"
    subprocess.run(
        [sys.executable, str(ROOT / "bench/aws_dump.py"), str(dump)],
        check=True,
        capture_output=True,
    )
    dump_files = sorted(str(p) for p in dump.glob("*.json"))
    ps = None if args.skip_peers else make_venv(work / "ps", "policy_sentry")
    template = work / "ps.yml"
    if ps is not None:
        write_policy_sentry_template(template)
    # Everything timed side by side: each round runs every command once, in the same order.
    # "{n}" in an argument is the round's number: a render into a folder that does not exist yet.
    commands: dict[str, tuple[list[str], Path | None]] = {
        "python -c pass (baseline)": ([py, "-c", "pass"], None),
        "floor: python -c 'import click, yaml' (the CLI's two libraries, nothing else)": (
            [py, "-c", "import click, yaml"],
            None,
        ),
        "bedrock-gen --version": ([exe, "--version"], None),
        "validate: Port's first example": ([exe, "validate", "bedrock-gen.yaml"], port),
        "render: Port's first example into a fresh folder (everything rendered and written)": (
            [exe, "render", "bedrock-gen.yaml", "-o", str(work / "fresh-{n}")],
            port,
        ),
        "render --check: Port's first example (rendered in memory, every byte compared)": (
            [exe, "render", "--check", "bedrock-gen.yaml"],
            port,
        ),
        "pre-commit: render --check --only-owned, the config and 3 files it generated": (
            [
                exe,
                "render",
                "--check",
                "--only-owned",
                "bedrock-gen.yaml",
                "generated/iam/trust-policy.json",
                "generated/terraform/main.tf",
                "generated/port/llm-provider.json",
            ],
            port,
        ),
        "render --check: 100 configs in one call": ([exe, "render", "--check", *configs], None),
        f"catalog import: 30-Region API dump ({len(dump_files)} files)": (
            [exe, "catalog", "import", *dump_files, "-o", str(work / "overlay.json")],
            None,
        ),
    }
    if ps is not None:
        commands["peer: policy_sentry write-policy (same invoke rights)"] = (
            [str(ps / "policy_sentry"), "write-policy", "--input-file", str(template)],
            None,
        )
    rows = interleaved(commands, runs)
    base = rows[0][1]["median"]

    cat = json.loads(
        subprocess.run([exe, "models", "--json"], capture_output=True, check=True).stdout
    )["files"][0]["data"]
    geos = ["us", "eu", "apac", "jp", "au", "ca", "global"]
    # every model offered in one of these geographies, less those with a geography AWS publishes
    # no routing table for (validate refuses a guessed route: routes-unpublished)
    models = [
        m["id"]
        for m in cat["models"]
        if set(m["geographies"]) & set(geos) and not set(m["unpublished"]) & set(geos)
    ]
    scale = {}
    for custom in (0, len(models) * 10, len(models) * 100):
        cfg = catalog_config(work, models, geos, custom)
        stats = timed(
            [exe, "render", str(cfg), "-o", str(work / f"o-{custom}")],
            max(5, runs // 3),
            ok=(0, 1),
        )
        scale[custom + len(models)] = (stats["median"], stats["code"], stats["errors"])

    sizes = policy_sizes(exe, work, models, geos)
    schema_rows: list[tuple[str, dict]] = []
    if not args.skip_peers:
        cj = make_venv(work / "cj", "check-jsonschema")
        rows += interleaved(
            {
                "peer: check-jsonschema on the same config": (
                    [
                        str(cj / "check-jsonschema"),
                        "--schemafile",
                        str(ROOT / "schemas/bedrock-gen.schema.json"),
                        str(PORT_EXAMPLE),
                    ],
                    None,
                )
            },
            runs,
        )
        schema_rows = schema_alternatives(work, runs)
    write_results(args.out, rows, base, scale, sizes, schema_rows)
    print(args.out.read_text())


def interleaved(
    commands: dict[str, tuple[list[str], Path | None]], runs: int
) -> list[tuple[str, dict]]:
    """Median and spread of each command, measured round-robin so that background load falls
    on every command alike (a shared 2-core machine is never quiet)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, int] = {}

    def argv(cmd: list[str], n: int) -> list[str]:
        return [a.replace("{n}", str(n)) for a in cmd]

    for warm in range(2):  # warm the page cache
        for cmd, cwd in commands.values():
            subprocess.run(argv(cmd, -1 - warm), cwd=cwd, capture_output=True)
    for n in range(runs):
        for name, (cmd, cwd) in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(argv(cmd, n), cwd=cwd, capture_output=True)
            samples[name].append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise SystemExit(
                    f"{name} failed ({proc.returncode}):\n"
                    f"{proc.stdout.decode()}{proc.stderr.decode()}"
                )
            codes[name] = proc.returncode
    out = []
    for name, values in samples.items():
        values.sort()
        out.append(
            (
                name,
                {
                    "median": statistics.median(values),
                    "min": values[0],
                    "p10": values[len(values) // 10],
                    "p90": values[(len(values) * 9) // 10],
                    "runs": runs,
                    "code": codes[name],
                },
            )
        )
    return out


def write_policy_sentry_template(template: Path) -> None:
    """policy_sentry's input for the invoke rights of Port's first example."""
    arns = [
        f"arn:aws:bedrock:*:*:inference-profile/eu.{m}"
        for m in (
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "anthropic.claude-haiku-4-5-20251001-v1:0",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic.claude-opus-4-5-20251101-v1:0",
            "anthropic.claude-opus-4-6-v1",
        )
    ]
    arns += [a.replace(":*:inference-profile/eu.", "::foundation-model/") for a in arns]
    template.write_text("mode: crud\nread:\n" + "".join(f"- '{a}'\n" for a in arns))


def schema_alternatives(work: Path, runs: int) -> list[tuple[str, dict]]:
    """The config's structural check, three ways: why a valid config skips jsonschema."""
    print("measuring schema-check alternatives ...", flush=True)
    bin_dir = make_venv(work / "schema", "jsonschema", "fastjsonschema", "PyYAML")
    py = str(bin_dir / "python")
    schema = ROOT / "schemas/bedrock-gen.schema.json"
    config = ROOT / "examples/strict/bedrock-gen.yaml"
    load = (
        f"import json,yaml;s=json.load(open({str(schema)!r}));"
        f"d=yaml.safe_load(open({str(config)!r}))"
    )
    variants = {
        "yaml + json loading only (baseline)": load,
        "jsonschema: import, validate": f"{load};import jsonschema;"
        "assert jsonschema.Draft202012Validator(s).is_valid(d)",
        "fastjsonschema: import, compile, validate": f"{load};import fastjsonschema;"
        "fastjsonschema.compile(s)(d)",
        "bedrock_gen.validate.schema_fast: import, validate": (
            f"import sys;sys.path.insert(0,{str(ROOT / 'generator')!r});{load};"
            "from bedrock_gen.validate import schema_fast;assert schema_fast.valid(s,d)"
        ),
    }
    return [(name, timed([py, "-c", code], runs)) for name, code in variants.items()]


def policy_sizes(exe: str, work: Path, models: list[str], geos: list[str]) -> dict:
    cfg = catalog_config(work, models, geos)
    out = json.loads(
        subprocess.run([exe, "validate", "--format", "json", str(cfg)], capture_output=True).stdout
    )
    if not out["ok"]:
        errors = [d["message"] for d in out["files"][0]["diagnostics"] if d["severity"] == "error"]
        raise SystemExit(f"bench: the catalog config does not validate: {errors[:3]}")
    docs = [d for d in out["files"][0]["documents"] if d["file"].startswith("iam/bedrock")]
    per_geo = {}
    for geo in geos:
        if widest_routes(geo):
            per_geo[geo] = models_per_policy(exe, work, geo)
    return {
        "policies": len(docs),
        "characters": sum(d["size"] for d in docs),
        "limit": docs[0]["limit"] if docs else 6144,
        "per_geo": per_geo,
    }


def models_per_policy(exe: str, work: Path, geo: str) -> dict[str, int]:
    """How many custom models (widest Regions of the geography) fit in one managed policy."""
    result = {}
    for label, pin in (("unpinned", ""), ("pinned", "account_id: '123456789012'\n")):
        lo, hi = 1, 400
        while lo < hi:
            mid = (lo + hi + 1) // 2
            cfg = work / f"fit-{geo}.yaml"
            cfg.write_text(
                f"version: 1\nname: fit\n{pin}models:\n  geographies: [{geo}]\n"
                "  custom:\n"
                + "".join(f"{line}\n" for line in custom_models(mid, [geo]))
                + "auth: {mode: access_keys}\n"
            )
            out = json.loads(
                subprocess.run(
                    [exe, "validate", "--format", "json", str(cfg)], capture_output=True
                ).stdout
            )
            docs = out["files"][0].get("documents", [])
            if len([d for d in docs if d["file"].startswith("iam/bedrock")]) == 1:
                lo = mid
            else:
                hi = mid - 1
        result[label] = lo
    return result


def write_results(
    out: Path,
    rows: list[tuple[str, dict]],
    base: float,
    scale: dict[int, tuple[float, int, list[str]]],
    sizes: dict,
    schema_rows: list[tuple[str, dict]],
) -> None:
    by_name = {label: st["median"] for label, st in rows}

    def find(prefix: str) -> float | None:
        return next((v for k, v in by_name.items() if k.startswith(prefix)), None)

    render = find("render: Port's first example into a fresh folder")
    version = find("bedrock-gen --version")
    check = find("render --check: 100 configs")
    imp = find("catalog import")
    ps = find("peer: policy_sentry")
    targets = [
        (
            "a full render of Port's first example within 12x of python -c pass",
            f"{render / base:.1f}x" if render else "-",
            bool(render and render / base <= 12),
        ),
        (
            "a full render at least 2.5x faster than policy_sentry write-policy",
            f"{ps / render:.1f}x faster" if ps and render else "not measured",
            bool(ps and render and ps / render >= 2.5),
        ),
        (
            "--version within 3x of python -c pass",
            f"{version / base:.1f}x" if version else "-",
            bool(version and version / base <= 3),
        ),
        (
            "render --check of 100 configs in one call under 1 s",
            f"{check:.2f} s" if check else "-",
            bool(check and check < 1.0),
        ),
        (
            "catalog import of a 30-Region API dump under 1 s",
            f"{imp:.2f} s" if imp else "-",
            bool(imp and imp < 1.0),
        ),
    ]
    lines = [
        "# bedrock-gen benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}. Generated by `make bench` "
        "(bench/bench.py): bedrock-gen installed from its wheel into a fresh venv, every "
        "command run round-robin with the others (so background load falls on all alike), "
        "medians of the runs. Nothing is kept between runs: every render and check renders "
        "in full.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---:|:---:|",
        *(f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets),
        "",
        "## Commands",
        "",
        "| command | median ms | min ms | p10-p90 ms | x python -c pass |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, st in rows:
        lines.append(
            f"| {label} | {st['median'] * 1000:.0f} | {st.get('min', st['p10']) * 1000:.0f} | "
            f"{st['p10'] * 1000:.0f}-{st['p90'] * 1000:.0f} | {st['median'] / base:.1f} |"
        )
    pairs = sorted(scale.items())
    lines += [
        "",
        "## Growth with the number of models",
        "",
        "| models | render median ms | ms per model | result |",
        "|---:|---:|---:|---|",
    ]
    reasons = {
        "policy-too-large": "more managed policies than IAM attaches (computed in full)",
        "yaml-too-large": "more YAML nodes than a config may hold (read up to the limit)",
    }
    for n, (t, code, errors) in pairs:
        why = "; ".join(reasons.get(e, f"[{e}]") for e in errors) or f"exit {code}"
        result = "written" if code == 0 else f"refused: {why}"
        lines.append(f"| {n} | {t * 1000:.0f} | {t * 1000 / n:.2f} | {result} |")
    lines += [
        "",
        "## Policy size (whole catalog, every commercial geography, unpinned)",
        "",
        f"- managed policies: {sizes['policies']} (attachment limit 10)",
        f"- characters: {sizes['characters']:,} in all, {sizes['limit']:,} per policy",
        "",
        "Models that fit in one 6,144-character policy, per geography (custom models given "
        "the routes of the geography's widest profile in the catalog; a geography with no "
        "published routing table is left out):",
        "",
        "| geography | unpinned | account pinned |",
        "|---|---:|---:|",
    ]
    for geo, fit in sizes["per_geo"].items():
        lines.append(f"| {geo} | {fit['unpinned']} | {fit['pinned']} |")
    if schema_rows:
        lines += [
            "",
            "## Checking the config's structure: the alternatives",
            "",
            "A valid config only needs a yes; jsonschema is imported only to explain "
            "errors. Whole processes, same config (examples/strict):",
            "",
            "| check | median ms |",
            "|---|---:|",
        ]
        lines += [f"| {name} | {s['median'] * 1000:.0f} |" for name, s in schema_rows]
    decisions = ROOT / "bench" / "decisions.md"
    lines += ["", decisions.read_text(encoding="utf-8").rstrip()]
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
