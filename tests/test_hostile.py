"""Hostile input: mutated files, strange strings in every free-text field, secrets.

Never a traceback; a string is either refused with a located message or written so that
python-hcl2 reads back exactly the same value and the IAM documents do not change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import hcl2
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from bedrock_gen.api import render_config, validate_config
from conftest import EXAMPLES, MINIMAL, ROOT
from test_terraform_files import plain

SEEDS = [p.read_bytes() for p in EXAMPLES]
HOSTILE = st.sampled_from(
    [
        '"',
        "\\",
        "${x}",
        "%{if a}",
        "*",
        "\n",
        "\r\n",
        "\t",
        "\x00",
        "\u0430",
        "\u202e",
        "\ufeff",
        "é",
        "'",
        "#",
        ": ",
        "- ",
        "{}",
        "[]",
        "&a",
        "*a",
        "!!python/object",
        "..",
        "/",
        "<x>",
        "$",
        "%",
        " ",
    ]
)
TEXT = st.lists(HOSTILE | st.text(max_size=6), min_size=1, max_size=5).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_files_never_crash(seed: bytes, data: st.DataObject, tmp_path_factory: Any) -> None:
    work = tmp_path_factory.mktemp("mut")
    raw = bytearray(seed)
    kind = data.draw(st.sampled_from(["flip", "truncate", "delete-line", "insert"]))
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 4))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
    elif kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "delete-line":
        lines = raw.split(b"\n")
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        raw = bytearray(b"\n".join(lines))
    else:
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(HOSTILE).encode()
    cfg = work / "bedrock-gen.yaml"
    cfg.write_bytes(bytes(raw))
    for result in (validate_config(cfg), render_config(cfg, output=work / "out")):
        for d in result.diagnostics:
            assert d.file == str(cfg)
            assert d.message and "\n" not in d.format_text()


FIELDS = {
    "name": ("name",),
    "role_name": ("auth", "role_name"),
    "path": ("terraform", "path"),
    "tag_key": ("terraform", "tags", None),
    "tag_value": ("terraform", "tags", "team"),
    "boundary": ("terraform", "permissions_boundary"),
    "secret_name": ("auth", "external_id_secret_name"),
}


def _set(cfg: dict[str, Any], where: tuple[Any, ...], value: str) -> None:
    node = cfg
    for part in where[:-1]:
        node = node.setdefault(part, {})
    if where[-1] is None:
        node[value] = "v"
    else:
        node[where[-1]] = value


BASE = yaml.safe_load(MINIMAL)


def _baseline_documents(tmp: Path) -> dict[str, Any]:
    cfg = tmp / "base.yaml"
    cfg.write_text(MINIMAL)
    result = render_config(cfg, output=tmp / "base-out")
    assert result.ok
    return {p.name: json.loads(p.read_text()) for p in (tmp / "base-out/iam").glob("*.json")}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(FIELDS)), text=TEXT)
@example(field="path", text="/${jndi:ldap}/%{if x}/")
@example(field="boundary", text='arn:aws:iam::123456789012:policy/"${x}\\')
def test_free_text_is_refused_with_a_location_or_written_literally(
    field: str, text: str, tmp_path_factory: Any
) -> None:
    work = tmp_path_factory.mktemp("txt")
    cfg_data = json.loads(json.dumps(BASE))
    value = text
    if field == "boundary":
        value = text if text.startswith("arn:") else "arn:aws:iam::123456789012:policy/" + text
    elif field == "path":  # mostly valid paths, so that escaping is what gets tested
        value = "/" + "".join(c for c in text if c not in " /") + "/"
    _set(cfg_data, FIELDS[field], value)
    cfg = work / "bedrock-gen.yaml"
    cfg.write_text(json.dumps(cfg_data))  # JSON is YAML: the value arrives exactly
    result = render_config(cfg, output=work / "out")
    event(f"{field}: {'refused' if not result.ok else 'written'}")
    if not result.ok:
        assert all(d.location is not None for d in result.failures), result.diagnostics
        return
    out = work / "out"
    iam = {p.name: json.loads(p.read_text()) for p in (out / "iam").glob("*.json")}
    assert iam == _baseline_documents(work)
    variables = {}
    for block in hcl2.loads((out / "terraform/variables.tf").read_text())["variable"]:
        (name,) = [k for k in block if k != "__is_block__"]
        variables[plain(name)] = plain(block[name])
    config_tags = plain(
        hcl2.loads((out / "terraform/policies.tf").read_text())["locals"][0]["config_tags"]
    )
    if field == "path":
        assert variables["path"]["default"] == value
    elif field == "tag_key":
        assert value in config_tags
    elif field == "tag_value":
        assert config_tags["team"] == value
    elif field == "boundary":
        assert variables["permissions_boundary"]["default"] == value
    elif field in ("name", "role_name"):
        assert variables["name"]["default"] == (
            value if field == "role_name" else cfg_data.get("auth", {}).get("role_name", value)
        )
    hcl2.loads((out / "terraform/main.tf").read_text())
    hcl2.loads((out / "terraform/outputs.tf").read_text())


def test_lookalike_in_a_model_id_is_reported(tmp_path: Path) -> None:
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(MINIMAL.replace("claude-sonnet-4-5", "claude-s\u043ennet-4-5"))
    result = validate_config(cfg)
    assert not result.ok
    assert "U+043E CYRILLIC SMALL LETTER O" in result.diagnostics[0].message


SECRET = "s3cr3t-Ext-ID-7f2a9"


def test_external_id_from_the_environment_never_leaves_the_environment(tmp_path: Path) -> None:
    work = tmp_path / "w"
    work.mkdir()
    cfg = work / "bedrock-gen.yaml"
    cfg.write_text(
        (ROOT / "examples/strict/bedrock-gen.yaml")
        .read_text()
        .replace("external_id: strict-2b7e151628aed2a6", "external_id: {env: BG_SECRET}")
    )
    env = {**os.environ, "BG_SECRET": SECRET}
    outputs = []
    for args in (
        ["render", str(cfg)],
        ["render", "--check", str(cfg)],
        ["render", "--diff", str(cfg)],
        ["validate", "--format", "json", str(cfg)],
        ["validate", "--format", "github", str(cfg)],
        ["render", "--check", "--format", "json", str(cfg)],
        ["lint", "--format", "sarif", str(work / "generated/iam/trust-policy.json")],
        ["lint", "--format", "json", str(work / "generated/iam/trust-policy.json")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "bedrock_gen", *args], env=env, capture_output=True, text=True
        )
        outputs.append(proc.stdout + proc.stderr)
    bad_env = {**env, "BG_SECRET": SECRET + " "}
    proc = subprocess.run(
        [sys.executable, "-m", "bedrock_gen", "render", str(cfg)],
        env=bad_env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "ends with white space" in proc.stdout
    outputs.append(proc.stdout + proc.stderr)
    assert not [o for o in outputs if SECRET in o], "the external ID leaked into output"
    holders = sorted(
        p.relative_to(work).as_posix()
        for p in work.rglob("*")
        if p.is_file() and SECRET.encode() in p.read_bytes()
    )
    assert holders == [], "a value read from the environment never reaches a generated file"


def test_random_catalog_configs_render_the_same_bytes_under_any_hash_seed_and_locale(
    tmp_path: Path,
) -> None:
    import random

    from bedrock_gen.catalog import bundled as catalog_mod

    rng = random.Random(7)
    cat = catalog_mod.load()
    geos = ["us", "eu", "apac", "jp", "au", "global"]
    for n in range(3):
        chosen_geos = rng.sample(geos, rng.randint(1, 3))
        models = [m.id for m in cat.models if set(m.profiles) & set(chosen_geos)]
        cfg = {
            "version": 1,
            "name": f"gw{n}",
            "models": {
                "ids": rng.sample(models, min(len(models), rng.randint(1, 6))),
                "geographies": chosen_geos,
            },
            "auth": {"mode": "assume_role", "external_id": "x-1"},
            "terraform": {"tags": {"b": "2", "a": "1", "c": "3"}},
        }
        if rng.random() < 0.5:
            cfg["account_id"] = "123456789012"
        path = tmp_path / f"c{n}.yaml"
        path.write_text(json.dumps(cfg))
        outputs = []
        for seed, lang in (("0", "C"), ("4242", "C.UTF-8"), ("random", "POSIX")):
            out = tmp_path / f"o{n}-{seed}"
            env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": lang, "LANG": lang}
            proc = subprocess.run(
                [sys.executable, "-m", "bedrock_gen", "render", str(path), "-o", str(out)],
                env=env,
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                break  # refused (a model not callable from its geographies): nothing to compare
            outputs.append(
                {
                    p.relative_to(out).as_posix(): p.read_bytes()
                    for p in out.rglob("*")
                    if p.is_file()
                }
            )
        assert all(o == outputs[0] for o in outputs)
