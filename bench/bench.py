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
import json
import os
import platform
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
    }


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
        lines += [
            f"    - {{id: acme.model-{i:04d}-v1:0, geographies: {json.dumps(geos)}}}"
            for i in range(custom)
        ]
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
    base = timed([py, "-c", "pass"], runs)
    rows.append(("python -c pass (baseline)", base))
    rows.append(("bedrock-gen --version", timed([exe, "--version"], runs)))
    port = work / "port"
    shutil.copytree(PORT_EXAMPLE.parent, port)
    rows.append(
        ("validate: Port's first example", timed([exe, "validate", "bedrock-gen.yaml"], runs, port))
    )
    rows.append(
        (
            "render: Port's first example",
            timed([exe, "render", "bedrock-gen.yaml", "-o", str(work / "o1")], runs, port),
        )
    )
    copies = []
    for e in EXAMPLES:
        shutil.copytree(e.parent, work / "ex" / e.parent.name)
        copies.append(str(work / "ex" / e.parent.name / "bedrock-gen.yaml"))
    rows.append(
        (
            f"render --check: all {len(copies)} examples in one call",
            timed([exe, "render", "--check", *copies], runs),
        )
    )

    cat = json.loads(
        subprocess.run([exe, "models", "--json"], capture_output=True, check=True).stdout
    )
    geos = ["us", "eu", "apac", "jp", "au", "ca", "global"]
    models = [m["id"] for m in cat["models"] if set(m["geographies"]) & set(geos)]
    scale = {}
    for custom in (0, len(models) * 10, len(models) * 100):
        cfg = catalog_config(work, models, geos, custom)
        label = (
            "render: whole catalog, every geography"
            if not custom
            else f"render: catalog + {custom} custom models"
        )
        stats = timed(
            [exe, "render", str(cfg), "-o", str(work / f"o-{custom}")], max(5, runs // 3), ok=(0, 1)
        )
        rows.append((label, stats))
        scale[custom + len(models)] = (stats["median"], stats["code"])

    sizes = policy_sizes(exe, work, models, geos)
    schema_rows: list[tuple[str, dict]] = []
    if not args.skip_peers:
        peers(work, rows, runs)
        schema_rows = schema_alternatives(work, runs)
    write_results(args.out, rows, base["median"], scale, sizes, schema_rows)
    print(args.out.read_text())


def peers(work: Path, rows: list[tuple[str, dict]], runs: int) -> None:
    print("setting up peers (policy_sentry, check-jsonschema) ...", flush=True)
    ps = make_venv(work / "ps", "policy_sentry")
    template = work / "ps.yml"
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
    rows.append(
        (
            "peer: policy_sentry write-policy (same invoke rights)",
            timed([str(ps / "policy_sentry"), "write-policy", "--input-file", str(template)], runs),
        )
    )
    cj = make_venv(work / "cj", "check-jsonschema")
    rows.append(
        (
            "peer: check-jsonschema on the same config",
            timed(
                [
                    str(cj / "check-jsonschema"),
                    "--schemafile",
                    str(ROOT / "schemas/bedrock-gen.schema.json"),
                    str(PORT_EXAMPLE),
                ],
                runs,
            ),
        )
    )


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
        "bedrock_gen.schema_fast: import, validate": (
            f"import sys;sys.path.insert(0,{str(ROOT / 'generator')!r});{load};"
            "from bedrock_gen import schema_fast;assert schema_fast.valid(s,d)"
        ),
    }
    return [(name, timed([py, "-c", code], runs)) for name, code in variants.items()]


def policy_sizes(exe: str, work: Path, models: list[str], geos: list[str]) -> dict:
    cfg = catalog_config(work, models, geos)
    out = json.loads(
        subprocess.run([exe, "validate", "--format", "json", str(cfg)], capture_output=True).stdout
    )
    docs = [d for d in out["files"][0]["documents"] if d["file"].startswith("iam/bedrock")]
    per_geo = {}
    for geo in geos:
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
                + "".join(
                    f"    - {{id: acme.model-{i:04d}-v1:0, geographies: [{geo}]}}\n"
                    for i in range(mid)
                )
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
    scale: dict[int, tuple[float, int]],
    sizes: dict,
    schema_rows: list[tuple[str, dict]],
) -> None:
    lines = [
        "# bedrock-gen benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}. Generated by `make bench` "
        "(bench/bench.py); medians of repeated subprocess runs.",
        "",
        "| command | median ms | p10-p90 ms | x python -c pass |",
        "|---|---:|---:|---:|",
    ]
    for label, s in rows:
        lines.append(
            f"| {label} | {s['median'] * 1000:.0f} | {s['p10'] * 1000:.0f}-"
            f"{s['p90'] * 1000:.0f} | {s['median'] / base:.1f} |"
        )
    pairs = sorted(scale.items())
    lines += [
        "",
        "## Growth with the number of models",
        "",
        "| models | render median ms | ms per model | result |",
        "|---:|---:|---:|---|",
    ]
    for n, (t, code) in pairs:
        result = (
            "written"
            if code == 0
            else (
                "refused: more managed policies than IAM attaches (computed in full, then refused)"
            )
        )
        lines.append(f"| {n} | {t * 1000:.0f} | {t * 1000 / n:.2f} | {result} |")
    lines += [
        "",
        "## Policy size (whole catalog, every commercial geography, unpinned)",
        "",
        f"- managed policies: {sizes['policies']} (attachment limit 10)",
        f"- characters: {sizes['characters']:,} in all, {sizes['limit']:,} per policy",
        "",
        "Models that fit in one 6,144-character policy, per geography (custom models "
        "with the geography's widest Regions):",
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
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
