"""The Terraform modules of the auth-mode examples, applied end to end against moto's IAM.

``terraform fmt -check``, ``init``, ``validate`` and the module's own ``terraform test`` already
run for every example in both flavours (HCL and Terraform JSON) in ``test_terraform.py``, which
collects ``examples/*/bedrock-gen.yaml``; the first test here makes sure the new examples are
among them rather than running terraform twice. Then each checked-in module is applied against
moto's IAM server, read back with boto3, planned again (no changes) and destroyed: all five,
with an EC2 role's module in the Terraform JSON flavour (and its instance profile), in one
Terraform root, so terraform starts the provider once per command instead of six times.

moto (5.x) does not implement EKS Pod Identity associations, so the Envoy example is applied
with ``create_pod_identity_associations = false``; the association itself is checked by the
module's own ``terraform test`` (one association per trusted service account, in the trusted
cluster) with the mocked provider.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_gen.api import render_config
from conftest import EXAMPLES, ROOT
from test_terraform import ROOT_MODULE, _doc, _iam, moto_server, needs_terraform, tf

pytestmark = pytest.mark.terraform
__all__ = ["moto_server"]  # the fixture, used by name

EXAMPLE_EXTERNAL_ID = "bedrock-gen-moto-external-id"
OIDC_URL = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
EXISTING_ROLE = "platform-llm-gateway"

# Module inputs and what each example's apply must create.
CASES: dict[str, dict[str, Any]] = {
    "litellm-eks-irsa": {"inputs": {}, "role": "litellm-bedrock"},
    "envoy-eks-pod-identity": {"inputs": {"create_pod_identity_associations": False},
                               "role": "envoy-ai-gateway-bedrock"},
    "lambda-gateway": {"inputs": {}, "role": "bedrock-gateway-lambda"},
    "policy-only": {"inputs": {}, "role": None},
    "portkey": {"inputs": {"external_id": EXAMPLE_EXTERNAL_ID}, "role": "portkey-bedrock"},
}


def test_new_examples_get_fmt_init_validate_and_terraform_test_in_both_flavours() -> None:
    names = {p.parent.name for p in EXAMPLES}
    assert set(CASES) <= names


ROOT_PROVIDER = ROOT_MODULE[:ROOT_MODULE.index('module "gateway"')]
MODULE = """
module "{label}" {{
  source = "./{name}/terraform"
{inputs}
}}
"""


EC2 = """\
version: 1
name: ec2-gateway
account_id: "123456789012"
regions: [us-east-1]
models: {ids: [claude-haiku-4-5], geographies: [us]}
auth: {mode: aws_service, service: ec2}
terraform: {format: json}
"""


def _render_ec2(dest: Path) -> Path:
    """An EC2 role (not a checked-in example), as Terraform JSON: its instance profile is
    applied too."""
    dest.mkdir(parents=True)
    (dest / "bedrock-gen.yaml").write_text(EC2)
    result = render_config(dest / "bedrock-gen.yaml", output=dest / "out")
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return dest / "out"


def _inputs(values: dict[str, Any]) -> str:
    return "\n".join(f"  {key} = {json.dumps(value)}" for key, value in values.items())


def _policies(iam: Any, attached: list[dict[str, Any]]) -> list[Any]:
    out = []
    for policy in attached:
        meta = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=policy["PolicyArn"],
                                         VersionId=meta["DefaultVersionId"])
        out.append(_doc(version["PolicyVersion"]["Document"]))
    return sorted(out, key=json.dumps)


@needs_terraform
def test_example_modules_apply_against_moto(moto_server: str, tmp_path: Path) -> None:
    """The five example modules and an EC2 role's in one root: one init, apply, plan and
    destroy (each terraform command spends seconds loading the AWS provider), each module
    read back on its own."""
    work = tmp_path / "root"
    iam = _iam(moto_server)
    # As on AWS, the cluster's OIDC provider and the existing role exist before the apply.
    iam.create_open_id_connect_provider(
        Url=OIDC_URL, ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    iam.create_role(RoleName=EXISTING_ROLE, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}))
    root = ROOT_PROVIDER.format(endpoint=moto_server)
    ec2 = _render_ec2(tmp_path / "ec2")
    shutil.copytree(ec2, work / "ec2", ignore=shutil.ignore_patterns(".terraform*"))
    root += MODULE.format(label="ec2", name="ec2", inputs="")
    for name, case in sorted(CASES.items()):
        src = ROOT / "examples" / name / "generated"
        # ../iam/ next to each module, as the module's own test reads it
        shutil.copytree(src / "terraform", work / name / "terraform",
                        ignore=shutil.ignore_patterns(".terraform*"))
        shutil.copytree(src / "iam", work / name / "iam")
        root += MODULE.format(label=name.replace("-", "_"), name=name,
                              inputs=_inputs(case["inputs"]))
    (work / "main.tf").write_text(root)
    tf("init", "-backend=false", "-input=false", cwd=work)
    tf("apply", "-auto-approve", "-input=false", cwd=work)

    for name, case in sorted(CASES.items()):
        src = ROOT / "examples" / name / "generated"
        config = yaml.safe_load((ROOT / "examples" / name / "bedrock-gen.yaml").read_text())
        expected = {p.name: json.loads(p.read_text()) for p in (src / "iam").glob("*.json")}
        invoke = sorted((v for k, v in expected.items()
                         if k.startswith("bedrock-invoke-policy")), key=json.dumps)
        role_name = case["role"] or EXISTING_ROLE
        role = iam.get_role(RoleName=role_name)["Role"]
        if case["role"] is not None:
            text = (src / "iam" / "trust-policy.json").read_text()
            text = text.replace("${PORTKEY_EXTERNAL_ID}", EXAMPLE_EXTERNAL_ID)
            assert _doc(role["AssumeRolePolicyDocument"]) == json.loads(text), name
            # moto validates trust policies only on update: feed ours through that path too.
            iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=text)
            tags = {t["Key"]: t["Value"]
                    for t in iam.list_role_tags(RoleName=role_name)["Tags"]}
            assert tags == config["terraform"]["tags"], name
        attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        assert _policies(iam, attached) == invoke, name
    (profile,) = iam.list_instance_profiles()["InstanceProfiles"]
    assert profile["InstanceProfileName"] == "ec2-gateway"
    assert [r["RoleName"] for r in profile["Roles"]] == ["ec2-gateway"]
    trust = json.loads((ec2 / "iam/trust-policy.json").read_text())
    assert _doc(iam.get_role(RoleName="ec2-gateway")["Role"]["AssumeRolePolicyDocument"]) == trust
    iam.update_assume_role_policy(RoleName="ec2-gateway", PolicyDocument=json.dumps(trust))
    assert len(iam.list_roles()["Roles"]) == len(CASES) + 1

    plan = tf("plan", "-detailed-exitcode", "-input=false", cwd=work, check=False)
    assert plan.returncode == 0, plan.stdout + plan.stderr  # no drift

    tf("destroy", "-auto-approve", "-input=false", cwd=work)
    assert iam.list_policies(Scope="Local")["Policies"] == []
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == [EXISTING_ROLE]
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    assert iam.list_attached_role_policies(RoleName=EXISTING_ROLE)["AttachedPolicies"] == []
