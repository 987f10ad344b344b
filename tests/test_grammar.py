"""Every generated document passes real, offline IAM policy-grammar validators.

Two independent implementations: moto's IAM policy validators (identity and trust), and
cfn-lint's IAM schemas on a CloudFormation template that wraps the documents.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_gen.access.resolve import Documents, resolve
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate
from conftest import ROOT

GENERATED = sorted((ROOT / "examples").glob("*/generated/iam/*.json"))
# Role trust policies among them: the gateway's, and the batch service role's (issue 22).
TRUST_FILES = ("trust-policy.json", "batch-service-role-trust.json")


def _moto_check(document: dict[str, Any], trust: bool) -> None:
    from moto.iam.policy_validation import (
        IAMPolicyDocumentValidator,
        IAMTrustPolicyDocumentValidator,
    )

    cls = IAMTrustPolicyDocumentValidator if trust else IAMPolicyDocumentValidator
    cls(json.dumps(document)).validate()


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: f"{p.parents[2].name}/{p.name}")
def test_example_documents_pass_motos_iam_validators(path: Path) -> None:
    _moto_check(json.loads(path.read_text()), trust=path.name in TRUST_FILES)


def _docs(cfg: dict[str, Any]) -> Documents | None:
    config, _ = validate(load_text(json.dumps(cfg), "c.yaml"), catalog_mod.load(), {})
    return None if config is None else resolve(config, catalog_mod.load())


CAT = catalog_mod.load()
MODEL_IDS = sorted(m.id for m in CAT.models if "eu" in m.profiles or "us" in m.profiles)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    models=st.lists(st.sampled_from(MODEL_IDS), min_size=1, max_size=5, unique=True),
    geos=st.sets(st.sampled_from(["eu", "us", "global"]), min_size=1),
    pinned=st.booleans(),
    guard=st.booleans(),
    market=st.booleans(),
)
def test_random_configs_render_documents_iam_accepts(
    models: list[str], geos: set[str], pinned: bool, guard: bool, market: bool
) -> None:
    cfg: dict[str, Any] = {
        "version": 1,
        "name": "gw",
        "models": {"ids": models, "geographies": sorted(geos)},
        "marketplace": {"subscribe": market},
        "auth": {"mode": "assume_role", "external_id": "ext-id-123"},
    }
    if pinned:
        cfg["account_id"] = "123456789012"
    if guard:
        cfg["guardrails"] = ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123"]
    docs = _docs(cfg)
    if docs is None:
        return
    for p in docs.invoke:
        _moto_check(p.document, trust=False)
    assert docs.trust is not None
    _moto_check(docs.trust.document, trust=True)


def test_documents_pass_cfn_lint_iam_schemas(tmp_path: Path) -> None:
    exe = shutil.which("cfn-lint") or str(Path(sys.executable).parent / "cfn-lint")
    if not Path(exe).exists():
        pytest.skip("cfn-lint is not installed (pip install -e '.[dev]')")
    resources: dict[str, Any] = {}
    for i, path in enumerate(GENERATED):
        doc = json.loads(path.read_text())
        if path.name in TRUST_FILES:
            resources[f"Role{i}"] = {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": doc},
            }
        else:
            resources[f"Policy{i}"] = {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"PolicyDocument": doc},
            }
    template = tmp_path / "template.json"
    template.write_text(
        json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})
    )
    proc = subprocess.run(
        [exe, "--format", "parseable", str(template)], capture_output=True, text=True
    )
    findings = [
        line for line in proc.stdout.splitlines() if line.strip() and not _newer_action(line)
    ]
    assert not findings, proc.stdout + proc.stderr


def _newer_action(finding: str) -> bool:
    """cfn-lint's W3037 ("not one of" its list of a service's actions) for an action AWS's
    Service Authorization Reference has (``data/service-reference``, newer than cfn-lint's
    copy: bedrock:GetInvoke, CancelInvoke, DeleteInvoke came with the Responses API)."""
    if ":W3037:" not in finding:
        return False
    name = finding.split(":W3037:'", 1)[1].split("'", 1)[0]
    with open(ROOT / "generator/bedrock_gen/data/iam_actions.json", encoding="utf-8") as fh:
        services = json.load(fh)["services"]
    return any(name in {a.lower() for a in s["actions"]} for s in services.values())


def test_the_validators_do_reject_a_malformed_document() -> None:
    """Guard against a validator that accepts everything."""
    from moto.iam.exceptions import MalformedPolicyDocument

    with pytest.raises(MalformedPolicyDocument):
        _moto_check(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "notanarn"}
                ],
            },
            trust=False,
        )
