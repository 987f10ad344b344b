"""checkov (Bridgecrew's scanner, which platform teams run in CI) passes on every example module,
scanning the *plan* (``terraform show -json``), where the policies are the documents IAM will
get; and fails when a module is changed to grant ``Action: "*"``.

Scanning the HCL alone is not enough: the policies are built from locals (``jsonencode``), which
checkov's HCL checks do not evaluate, so an injected wildcard passes them. The plan holds every
policy as a JSON string, which its IAM checks read. The plans are made against moto's IAM server
(no AWS credentials), with the provider from ``eval "$(../shared/tf-offline)"`` where there is
no registry. The module's own skips (``#checkov:skip=...`` with a reason, in the files) apply
through ``--repo-root-for-plan-enrichment``.

checkov has its own dependency tree, so it runs from its own venv: `make checkov` creates
`.venv-checkov` (or set CHECKOV to a checkov executable). Skipped, with that reason, where
neither exists, or where terraform cannot run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_gen.api import render_config
from conftest import EXAMPLES, ROOT
from test_terraform import moto_provider, needs_terraform, run_moto, tf

pytestmark = [pytest.mark.slow, pytest.mark.terraform]


def _checkov() -> str | None:
    for candidate in (os.environ.get("CHECKOV"), str(ROOT / ".venv-checkov/bin/checkov")):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("checkov")


CHECKOV = _checkov()
needs_checkov = pytest.mark.skipif(
    CHECKOV is None,
    reason="checkov is not installed: `make checkov` creates .venv-checkov (or set CHECKOV)",
)

# moto has no EKS Pod Identity: the association is left out of the plan (its module's own
# `terraform test` plans it).
INPUTS: dict[str, dict[str, Any]] = {
    "envoy-eks-pod-identity": {"create_pod_identity_associations": False},
    "portkey": {"external_id": "bedrock-gen-checkov-external-id"},
}


def _root(tmp_path: Path, endpoint: str, flavour: str, inject: str | None = None) -> Path:
    """One Terraform root holding every example's module, rendered in ``flavour``; with
    ``inject``, that example's first policy statement grants ``Action: "*"``."""
    root = tmp_path / "root"
    root.mkdir()
    blocks = [moto_provider(endpoint, services=("iam", "sts", "eks"))]
    for example in EXAMPLES:
        name = example.parent.name
        data = yaml.safe_load(example.read_text())
        data.setdefault("terraform", {})["format"] = flavour
        folder = root / name
        folder.mkdir()
        (folder / "bedrock-gen.yaml").write_text(yaml.safe_dump(data))
        assert render_config(folder / "bedrock-gen.yaml", output=folder / "out").ok
        module = folder / "out" / "terraform"
        if name == inject:
            _inject_wildcard(module)
        inputs = "".join(
            f"  {key} = {json.dumps(value)}\n" for key, value in INPUTS.get(name, {}).items()
        )
        blocks.append(
            f'module "{name.replace("-", "_")}" {{\n  source = "./{name}/out/terraform"\n'
            f"{inputs}}}\n"
        )
    (root / "main.tf").write_text("\n".join(blocks))
    return root


def _inject_wildcard(module: Path) -> None:
    """Change the module as a careless edit would: its first action becomes '*'."""
    for path in sorted(module.glob("policies.tf*")):
        text = path.read_text()
        changed = re.sub(r'"bedrock:InvokeModel"', '"*"', text, count=1)
        assert changed != text, path
        path.write_text(changed)
        return
    raise AssertionError(f"no policies file in {module}")


def _plan_json(root: Path, endpoint: str) -> Path:
    tf("init", "-backend=false", "-input=false", cwd=root)
    tf("plan", "-input=false", "-out=plan.bin", cwd=root)
    shown = tf("show", "-json", "plan.bin", cwd=root)
    out = root / "plan.json"
    out.write_text(shown.stdout)
    return out


def _template_skips() -> list[str]:
    """The checks the module skips, each with its reason in emit/terraform/files/main.py (HCL
    comments, which the Terraform JSON flavour cannot carry: its scan is told them instead)."""
    text = (ROOT / "generator/bedrock_gen/emit/terraform/files/main.py").read_text()
    return sorted(set(re.findall(r"checkov:skip=(CKV2?_[A-Z0-9_]+):\S", text)))


def _scan(
    plan: Path, root: Path, skips: list[str] | None = None
) -> tuple[int, list[dict[str, Any]], str]:
    assert CHECKOV is not None
    args = [
        CHECKOV,
        "--quiet",
        "--compact",
        "--output",
        "json",
        "--framework",
        "terraform_plan",
        "--skip-download",
        "--repo-root-for-plan-enrichment",
        str(root),
        "-f",
        str(plan),
    ]
    if skips:
        args += ["--skip-check", ",".join(skips)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=900)
    reports = _reports(proc.stdout)
    return proc.returncode, reports, proc.stdout[-4000:] + proc.stderr[-2000:]


def _failed(reports: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (c["check_id"], c["resource"])
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]


@needs_checkov
@needs_terraform
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_checkov_passes_the_plan_of_every_example_module(flavour: str, tmp_path: Path) -> None:
    with run_moto() as endpoint:
        root = _root(tmp_path, endpoint, flavour)
        plan = _plan_json(root, endpoint)
    planned = json.loads(plan.read_text())
    policies = [
        r
        for r in planned["planned_values"]["root_module"].get("child_modules", [])
        for r in r.get("resources", [])
        if r["type"] == "aws_iam_policy"
    ]
    assert len(policies) >= len(EXAMPLES), "the plan holds the examples' policies"
    code, reports, text = _scan(plan, root, _template_skips() if flavour == "json" else None)
    assert _failed(reports) == [], text
    assert code == 0, text
    assert all(r["summary"]["passed"] > 0 for r in reports), "checkov read nothing in the plan"


@needs_checkov
@needs_terraform
def test_checkov_fails_a_module_changed_to_allow_every_action(tmp_path: Path) -> None:
    """The check that matters: an `Action: "*"` injected into a module's policy fails the scan
    of its plan."""
    with run_moto() as endpoint:
        root = _root(tmp_path, endpoint, "hcl", inject="policy-only")
        plan = _plan_json(root, endpoint)
    code, reports, text = _scan(plan, root)
    failed = _failed(reports)
    assert code != 0, text
    assert any("policy_only" in resource for _, resource in failed), failed


def _reports(text: str) -> list[dict[str, Any]]:
    """checkov prints one JSON document per framework, or a list of them."""
    decoder = json.JSONDecoder()
    out, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        value, pos = decoder.raw_decode(text, pos)
        out += value if isinstance(value, list) else [value]
    return out
