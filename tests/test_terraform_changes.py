"""Safe change over time, proven with the real terraform against moto's IAM: growing a config
until the invoke policy splits never deletes a policy or an attachment, and upgrading a module
bedrock-gen 0.1 wrote moves its resources instead of destroying them.

Terraform applies the changes of one plan in parallel, so a delete of an attachment (or of a
policy) would leave the gateway without access until the matching create ran: AccessDenied.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bedrock_gen.api import render_config
from conftest import ROOT
from test_terraform import ROOT_MODULE, moto_server, needs_terraform, tf  # noqa: F401

pytestmark = pytest.mark.terraform
INVOKE = ("aws_iam_policy", "aws_iam_role_policy_attachment")


def _config(n: int) -> str:
    custom = "".join(f"    - {{id: acme.model-{i:03d}-v1:0, geographies: [eu]}}\n"
                     for i in range(n))
    return ("version: 1\nname: grow\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
            f"models:\n  geographies: [eu]\n  custom:\n{custom}"
            "auth:\n  mode: assume_role\n  external_id: grow-external-id\n")


def _changes(work: Path) -> list[tuple[str, list[str]]]:
    tf("plan", "-out=tfplan", "-input=false", cwd=work)
    plan = json.loads(tf("show", "-json", "tfplan", cwd=work).stdout)
    return [(c["address"], c["change"]["actions"]) for c in plan.get("resource_changes", [])
            if c["change"]["actions"] != ["no-op"]]


def _root(work: Path, endpoint: str, module: str, inputs: str = "") -> None:
    text = ROOT_MODULE.format(endpoint=endpoint, inputs=inputs).replace(
        'source = "./module"', f'source = "./{module}"')
    (work / "main.tf").write_text(text)


def _parts(cfg: Path) -> int:
    return len(list((cfg.parent / "generated/iam").glob("bedrock-invoke-policy*.json")))


@needs_terraform
def test_growing_past_a_split_never_deletes_a_policy_or_an_attachment(
        moto_server: str, tmp_path: Path) -> None:  # noqa: F811
    work = tmp_path / "root"
    work.mkdir()
    cfg = work / "bedrock-gen.yaml"
    cfg.write_text(_config(4))
    assert render_config(cfg).ok
    assert _parts(cfg) == 1
    _root(work, moto_server, "generated/terraform")
    tf("init", "-backend=false", "-input=false", cwd=work)
    tf("apply", "-auto-approve", "-input=false", cwd=work)
    before = json.loads((cfg.parent / "generated/iam/bedrock-invoke-policy.json").read_text())
    for size in (12, 24):  # past the first split, then past the second
        cfg.write_text(_config(size))
        result = render_config(cfg)
        assert result.ok, result.diagnostics
        changes = _changes(work)
        deletes = [(a, acts) for a, acts in changes if a.startswith(
            tuple(f"module.gateway.{r}" for r in INVOKE)) and "delete" in acts]
        assert deletes == [], changes
        assert any(acts == ["create"] for a, acts in changes), changes
        tf("apply", "-input=false", "tfplan", cwd=work)
    assert _parts(cfg) >= 3
    after = json.loads((cfg.parent / "generated/iam/bedrock-invoke-policy.json").read_text())
    kept = {r for st in before["Statement"] for r in st["Resource"]}
    assert kept <= {r for st in after["Statement"] for r in st["Resource"]}, \
        "a model left part 1: it would be denied while part 2 is created"
    assert tf("plan", "-detailed-exitcode", "-input=false", cwd=work, check=False).returncode == 0


def _legacy(name: str, work: Path) -> Path:
    """bedrock-gen 0.1's module for an example, and today's config for it."""
    legacy = ROOT / "tests/data/legacy-0.1" / name
    module = work / "module"
    module.mkdir(parents=True)
    for f in legacy.glob("*.tf"):
        shutil.copy(f, module / f.name)
    cfg = work / "bedrock-gen.yaml"
    cfg.write_text((legacy / "bedrock-gen.yaml").read_text())
    return cfg


def _external_id(cfg: Path) -> str:
    import yaml

    data: dict[str, Any] = yaml.safe_load(cfg.read_text())
    return str(data["auth"]["external_id"])


@needs_terraform
@pytest.mark.parametrize("name", ["port-specific-models", "strict"])
def test_upgrading_a_0_1_module_moves_its_resources(name: str, moto_server: str,
                                                     tmp_path: Path) -> None:
    work = tmp_path / "root"
    cfg = _legacy(name, work)
    inputs = f'  external_id = "{_external_id(cfg)}"'
    _root(work, moto_server, "module", inputs)
    tf("init", "-backend=false", "-input=false", cwd=work)
    tf("apply", "-auto-approve", "-input=false", cwd=work)
    # 0.1 wrote its manifest beside the module; today's render reads it for the old layout
    legacy_manifest = {"generator": "bedrock-gen", "config": "../bedrock-gen.yaml", "files": {
        f"iam/{p}": "sha256:0" for p in (
            ["bedrock-invoke-policy-1.json", "bedrock-invoke-policy-2.json"]
            if name == "strict" else ["bedrock-invoke-policy.json"])}}
    out = work / "generated"
    out.mkdir()
    (out / ".bedrock-gen-manifest.json").write_text(json.dumps(legacy_manifest))
    result = render_config(cfg, adopt=True, force=True)
    assert result.ok, result.diagnostics
    shutil.rmtree(work / "module")
    shutil.copytree(out / "terraform", work / "module")
    shutil.copytree(out / "iam", work / "iam")
    tf("init", "-backend=false", "-input=false", cwd=work)
    changes = _changes(work)
    for address, actions in changes:
        assert actions != ["delete"] and actions != ["delete", "create"], changes
        if "aws_iam_role.this" in address:
            assert "delete" not in actions, changes
    if name == "port-specific-models":  # one policy: every address moves, nothing is replaced
        assert not [c for c in changes if "delete" in c[1]], changes
    tf("apply", "-input=false", "tfplan", cwd=work)
    assert tf("plan", "-detailed-exitcode", "-input=false", cwd=work, check=False).returncode == 0
