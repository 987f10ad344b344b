"""The Terraform files without terraform: structure (python-hcl2), content, escaping, secrets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedrock_gen.api import render_config
from bedrock_gen.emit.terraform.hcl import string
from conftest import EXAMPLES, MINIMAL

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def decode(token: str) -> str:
    """An HCL quoted-string token (as python-hcl2 returns it) to the value Terraform sees."""
    assert token.startswith('"') and token.endswith('"'), token
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            if nxt == "U":
                out.append(chr(int(body[i + 2 : i + 10], 16)))
                i += 10
                continue
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        if body.startswith("$${", i) or body.startswith("%%{", i):
            out.append(body[i + 1 : i + 3])
            i += 3
            continue
        assert not body.startswith("${", i) and not body.startswith("%{", i), (
            f"live template sequence in {token!r}"
        )
        out.append(ch)
        i += 1
    return "".join(out)


def plain(value: Any) -> Any:
    """python-hcl2 output with every literal string decoded and keys unquoted."""
    if isinstance(value, str):
        return decode(value) if value.startswith('"') else value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {
            plain(k) if k.startswith('"') else k: plain(v)
            for k, v in value.items()
            if k != "__is_block__"
        }
    return value


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for example in EXAMPLES:
        dest = tmp_path_factory.mktemp(example.parent.name) / "out"
        result = render_config(example, output=dest)
        assert result.ok
        out[example.parent.name] = dest
    return out


def test_every_generated_hcl_file_parses(rendered: dict[str, Path]) -> None:
    for out in rendered.values():
        files = sorted((out / "terraform").rglob("*.tf")) + sorted(
            (out / "terraform").rglob("*.tftest.hcl")
        )
        names = {f.relative_to(out / "terraform").as_posix() for f in files}
        assert {
            "versions.tf",
            "variables.tf",
            "policies.tf",
            "main.tf",
            "outputs.tf",
            "tests/bedrock_gen.tftest.hcl",
            "examples/complete/main.tf",
        } <= names
        for f in files:
            hcl2.loads(f.read_text())


def test_module_policies_are_the_iam_documents(rendered: dict[str, Path]) -> None:
    for out in rendered.values():
        tf = hcl2.loads((out / "terraform/policies.tf").read_text())
        raw = tf["locals"][0]
        # IRSA and Pod Identity build the trust policy from the module's inputs (a for
        # expression, the cluster's name): their own `terraform test` compares the planned
        # trust policy with the file.
        dynamic = "irsa_subjects" in raw or "cluster_arn" in raw
        local = plain({k: v for k, v in raw.items() if not (dynamic and k != "invoke_policies")})
        iam = {p.name: json.loads(p.read_text()) for p in (out / "iam").glob("*.json")}
        parts = local["invoke_policies"]
        for key, policy in parts.items():
            name = (
                "bedrock-invoke-policy.json" if key == "1" else f"bedrock-invoke-policy-{key}.json"
            )
            assert policy == iam[name]
        assert len(parts) == len([k for k in iam if k.startswith("bedrock-invoke")])
        if "trust-policy.json" in iam and not dynamic:
            trust = local["trust_policy"]
            want = iam["trust-policy.json"]
            cond = trust["Statement"][0].get("Condition")
            if cond and "sts:ExternalId" in cond.get("StringEquals", {}):
                assert cond["StringEquals"]["sts:ExternalId"] == "${var.external_id}"
                trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] = want[
                    "Statement"
                ][0]["Condition"]["StringEquals"]["sts:ExternalId"]
            assert trust == want


def test_a_literal_external_id_is_only_in_the_trust_policy_and_the_input_default(
    rendered: dict[str, Path],
) -> None:
    """A literal is in the committed config already; the module takes it as the default of its
    sensitive input. A value from the environment is in no file at all (test_render)."""
    for out in rendered.values():
        trust = out / "iam/trust-policy.json"
        if not trust.exists():
            continue
        secret = (
            json.loads(trust.read_text())["Statement"][0]
            .get("Condition", {})
            .get("StringEquals", {})
            .get("sts:ExternalId")
        )
        if secret is None or secret.startswith("${"):
            continue
        holders = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and secret in p.read_text(errors="replace")
        )
        assert holders == ["iam/trust-policy.json", "terraform/variables.tf"]


def test_module_readme_lists_every_input_and_output(rendered: dict[str, Path]) -> None:
    for out in rendered.values():
        readme = (out / "terraform/README.md").read_text()
        variables = hcl2.loads((out / "terraform/variables.tf").read_text())["variable"]
        outputs = hcl2.loads((out / "terraform/outputs.tf").read_text())["output"]
        for block in variables + outputs:
            (name,) = [k for k in block if k != "__is_block__"]
            kind = "input" if block in variables else "output"
            assert f'<a name="{kind}_{plain(name)}"></a>' in readme
        assert "<!-- BEGIN_TF_DOCS -->" in readme and "<!-- END_TF_DOCS -->" in readme
        for heading in (
            "## Requirements",
            "## Providers",
            "## Modules",
            "## Resources",
            "## Inputs",
            "## Outputs",
        ):
            assert heading in readme
        assert "| Name | Description | Type | Default | Required |" in readme


def test_json_flavour_holds_the_same_module(
    tmp_path: Path, write_config: Callable[[str], Path]
) -> None:
    outs = {}
    for flavour in ("hcl", "json"):
        cfg = write_config(MINIMAL + f"terraform: {{format: {flavour}}}\n", f"{flavour}.yaml")
        result = render_config(cfg, output=tmp_path / flavour)
        assert result.ok
        outs[flavour] = tmp_path / flavour / "terraform"
    assert sorted(p.name for p in outs["json"].glob("*.tf.json")) == [
        "main.tf.json",
        "outputs.tf.json",
        "policies.tf.json",
        "variables.tf.json",
        "versions.tf.json",
    ]
    assert sorted(p.name for p in outs["json"].glob("*.tf")) == []  # JSON only
    versions = json.loads((outs["json"] / "versions.tf.json").read_text())
    assert versions["terraform"]["required_version"] == ">= 1.5.7"
    hcl_policies = plain(hcl2.loads((outs["hcl"] / "policies.tf").read_text()))
    json_policies = json.loads((outs["json"] / "policies.tf.json").read_text())
    assert (
        json_policies["locals"]["invoke_policies"] == hcl_policies["locals"][0]["invoke_policies"]
    )
    hcl_vars = {
        k
        for b in hcl2.loads((outs["hcl"] / "variables.tf").read_text())["variable"]
        for k in b
        if k != "__is_block__"
    }
    json_vars = set(json.loads((outs["json"] / "variables.tf.json").read_text())["variable"])
    assert {plain(k) for k in hcl_vars} == json_vars


def test_generated_hcl_follows_terraform_fmt_alignment(rendered: dict[str, Path]) -> None:
    """A cheap stand-in for `terraform fmt -check` where terraform is missing."""
    for out in rendered.values():
        for f in (out / "terraform").rglob("*.tf"):
            lines = f.read_text().splitlines()
            assert all(not line.endswith(" ") for line in lines), f
            assert all((len(line) - len(line.lstrip(" "))) % 2 == 0 for line in lines), f
            group: list[str] = []
            for line in [*lines, ""]:
                m = re.match(r"^(\s*)(\S+)(\s*)= (.*)$", line)
                if m and not m.group(4).rstrip().endswith(("{", "[", "(")):
                    group.append(line)
                    continue
                if group:
                    assert len({ln.index("= ") for ln in group}) == 1, (f, group)
                group = []


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
    | st.sampled_from(
        [
            "${a}",
            "%{if x}",
            "$${",
            "%%{",
            "\\",
            '"',
            "\x00",
            "\u2028",
            "a\\${b}",
            "${${}}",
            "\ufeff",
            "\U0001f600",
        ]
    )
)
def test_any_string_survives_hcl_quoting(text: str) -> None:
    parsed = hcl2.loads(f"x = {string(text)}\n")
    assert decode(parsed["x"]) == text


def test_a_render_imports_no_template_engine(tmp_path: Path) -> None:
    """The module is built in Python (issue 19): no Jinja2 import or template compile per run."""
    import subprocess
    import sys

    code = (
        "import sys; from bedrock_gen.api import render_config; "
        f"assert render_config({str(EXAMPLES[0])!r}, output={str(tmp_path / 'o')!r}).ok; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rendering_writes_nothing_outside_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_config: Callable[[str], Path]
) -> None:
    """No cache in the home folder: pre-commit hooks run in read-only or shared homes."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    cfg = write_config(MINIMAL)
    assert render_config(cfg, output=tmp_path / "a").ok
    assert list(home.rglob("*")) == []


def test_moved_blocks_only_when_an_earlier_layout_existed(
    tmp_path: Path, write_config: Callable[[str], Path]
) -> None:
    """A fresh module carries no ``moved`` blocks; upgrading a bedrock-gen 0.1 module (its
    manifest has no manifest_version) writes them, in the JSON flavour as Terraform JSON."""
    for flavour in ("hcl", "json"):
        cfg = write_config(MINIMAL + f"terraform: {{format: {flavour}}}\n", f"{flavour}.yaml")
        fresh = tmp_path / f"fresh-{flavour}"
        assert render_config(cfg, output=fresh).ok
        assert not list((fresh / "terraform").glob("migrations.tf*"))
        old = tmp_path / f"old-{flavour}"
        old.mkdir()
        manifest = {
            "generator": "bedrock-gen",
            "config": f"../{cfg.name}",
            "files": {"iam/bedrock-invoke-policy.json": "sha256:0"},
        }
        (old / ".bedrock-gen-manifest.json").write_text(json.dumps(manifest))
        assert render_config(cfg, output=old, adopt=True, force=True).ok
        suffix = ".tf.json" if flavour == "json" else ".tf"
        text = (old / "terraform" / f"migrations{suffix}").read_text()
        assert "aws_iam_role.this[0]" in text
        assert 'aws_iam_policy.invoke[\\"1\\"]' in text or 'aws_iam_policy.invoke["1"]' in text
        # and it stays: the manifest now records the layout
        assert json.loads((old / ".bedrock-gen-manifest.json").read_text())["legacy_layout"]
        assert render_config(cfg, output=old).ok
        assert (old / "terraform" / f"migrations{suffix}").exists()
