"""What the Terraform module creates for Bedrock's other surfaces: application inference
profiles (``aws_bedrock_inference_profile``) and the batch service role.

The HCL is read back with python-hcl2 (the resources, the tag the policy's
``aws:ResourceTag`` condition names, the Region precondition); terraform itself plans the
profiles against moto's STS (moto 5.x has no Bedrock control plane: CreateInferenceProfile is
never called, a plan needs only the provider's Region and the caller's account). The batch
service role is applied against moto's IAM in tests/test_terraform_apply.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import hcl2
import pytest

from bedrock_gen.api import render_config
from bedrock_gen.config.surfaces import PROFILE_TAG
from conftest import ROOT
from test_terraform import ENV, moto_provider, needs_terraform, run_moto, tf
from test_terraform_files import plain

PROFILES_EXAMPLE = ROOT / "examples/litellm-team-profiles/bedrock-gen.yaml"
BATCH_EXAMPLE = ROOT / "examples/batch-inference/bedrock-gen.yaml"


def _render(config: Path, dest: Path) -> Path:
    out = dest / "out"
    result = render_config(config, output=out)
    assert result.ok, result.diagnostics
    return out


def _hcl(path: Path) -> dict[str, Any]:
    return hcl2.loads(path.read_text())  # type: ignore[no-any-return]


def _resource(tf_file: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    for entry in tf_file.get("resource", []):
        for k, named in entry.items():
            for n, body in named.items():
                if (k.strip('"'), n.strip('"')) == (kind, name):
                    return body  # type: ignore[no-any-return]
    raise AssertionError(f"no resource {kind}.{name}")


def _outputs(out: Path) -> dict[str, Any]:
    tf_file = _hcl(out / "terraform/outputs.tf")
    return {k.strip('"'): v for o in tf_file["output"] for k, v in o.items()}


def _locals(out: Path) -> dict[str, Any]:
    return plain(_hcl(out / "terraform/policies.tf")["locals"][0])  # type: ignore[no-any-return]


def _statements(out: Path) -> list[dict[str, Any]]:
    return [
        st
        for p in sorted((out / "iam").glob("bedrock-invoke-policy*.json"))
        for st in json.loads(p.read_text())["Statement"]
    ]


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(PROFILES_EXAMPLE, tmp_path_factory.mktemp("profiles"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(BATCH_EXAMPLE, tmp_path_factory.mktemp("batch"))


def test_each_profile_carries_exactly_the_tag_the_policy_allows(profiles: Path) -> None:
    local = _locals(profiles)["application_inference_profiles"]
    assert sorted(local) == ["tenant-acme", "tenant-globex", "tenant-initech"]
    allowed = {
        value
        for st in _statements(profiles)
        if any("application-inference-profile/" in r for r in st["Resource"])
        for value in st["Condition"]["StringEquals"][f"aws:ResourceTag/{PROFILE_TAG}"]
    }
    assert {p["policy_tag"] for p in local.values()} == allowed
    assert local["tenant-acme"]["policy_tag"] == "litellm-tenants/tenant-acme"
    # the config's own tags, without bedrock-gen's (main.tf adds it last)
    assert local["tenant-initech"]["tags"] == {"tenant": "initech", "cost-center": "4713"}
    assert local["tenant-initech"]["description"] == "Initech support bot"


def test_profiles_copy_the_system_profile_of_their_geography_in_their_region(
    profiles: Path,
) -> None:
    local = _locals(profiles)["application_inference_profiles"]
    acme, initech = local["tenant-acme"], local["tenant-initech"]
    assert acme["region"] == initech["region"] == "eu-west-1"
    assert acme["copy_from"].startswith(
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5"
    )
    assert initech["copy_from"].startswith(
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.anthropic.claude-haiku"
    )


def test_the_profile_resource_merges_tags_with_bedrock_gens_last_and_checks_the_region(
    profiles: Path,
) -> None:
    main = _hcl(profiles / "terraform/main.tf")
    res = _resource(main, "aws_bedrock_inference_profile", "this")
    assert (
        "var.create" in res["for_each"]
        and "create_application_inference_profiles" in (res["for_each"])
    )
    tags = res["tags"]
    assert tags.startswith("${merge(local.tags, each.value.tags, {")
    assert tags.endswith(f'"{PROFILE_TAG}" = each.value.policy_tag}})}}'), tags
    assert tags.index("local.tags") < tags.index("each.value.tags") < tags.index(PROFILE_TAG)
    assert res["model_source"][0]["copy_from"] == "${each.value.copy_from}"
    conditions = [p["condition"] for p in res["lifecycle"][0]["precondition"]]
    assert "${data.aws_region.current.name == each.value.region}" in conditions
    assert '${data.aws_caller_identity.current.account_id == "123456789012"}' in conditions
    assert {d.strip('"') for entry in main["data"] for d in entry} >= {
        "aws_region",
        "aws_caller_identity",
    }


def test_profile_arns_are_an_output_that_waits_for_the_policies(profiles: Path) -> None:
    outputs = _outputs(profiles)
    out = outputs["application_inference_profile_arns"]
    assert "aws_bedrock_inference_profile.this" in out["value"]
    assert "${aws_iam_role_policy_attachment.invoke}" in out["depends_on"]
    versions = _hcl(profiles / "terraform/versions.tf")["terraform"][0]
    assert plain(versions["required_providers"][0]["aws"])["version"] == ">= 5.82.0"


def test_a_config_without_an_account_copies_the_callers_system_profile(tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(PROFILES_EXAMPLE.read_text().replace('account_id: "123456789012"\n', ""))
    out = _render(config, tmp_path)
    acme = _locals(out)["application_inference_profiles"]["tenant-acme"]
    assert acme["copy_from"].startswith('${format("arn:aws:bedrock:eu-west-1:%s:inference-profile/')
    assert acme["copy_from"].endswith(", data.aws_caller_identity.current.account_id)}")
    res = _resource(_hcl(out / "terraform/main.tf"), "aws_bedrock_inference_profile", "this")
    conditions = [p["condition"] for p in res["lifecycle"][0]["precondition"]]
    assert conditions == ["${data.aws_region.current.name == each.value.region}"]


def test_the_batch_service_role_is_the_role_the_gateway_may_pass(batch: Path) -> None:
    main = _hcl(batch / "terraform/main.tf")
    role = plain(_resource(main, "aws_iam_role", "batch"))
    arn = f"arn:aws:iam::123456789012:role{role['path']}{role['name']}"
    (passrole,) = [st for st in _statements(batch) if st["Action"] == ["iam:PassRole"]]
    assert passrole["Resource"] == [arn]
    policy = plain(_resource(main, "aws_iam_policy", "batch"))
    assert policy["name"] == role["name"] and policy["path"] == role["path"]
    attachment = _resource(main, "aws_iam_role_policy_attachment", "batch")
    assert attachment["role"] == "${aws_iam_role.batch[0].name}"
    assert attachment["policy_arn"] == "${aws_iam_policy.batch[0].arn}"
    local = _locals(batch)
    iam = batch / "iam"
    assert local["batch_service_role_trust"] == json.loads(
        (iam / "batch-service-role-trust.json").read_text()
    )
    assert local["batch_service_role_policy"] == json.loads(
        (iam / "batch-service-role-policy.json").read_text()
    )
    outputs = _outputs(batch)
    assert (
        "${aws_iam_role_policy_attachment.batch}" in outputs["batch_service_role_arn"]["depends_on"]
    )


def test_modules_without_these_surfaces_create_none_of_their_resources(tmp_path: Path) -> None:
    out = _render(ROOT / "examples/port-specific-models/bedrock-gen.yaml", tmp_path)
    text = (out / "terraform/main.tf").read_text()
    assert "aws_bedrock_inference_profile" not in text and '"batch"' not in text
    assert 'data "aws_region"' not in text


# --------------------------------------------------------------------------------------------
# terraform plans the profiles (moto's STS answers for the caller's account)

PLAN_MODULE = """
module "gateway" {{
  source = "./module"
  tags   = {{ owner = "team-a", "{tag}" = "forged" }}
}}
"""


@needs_terraform
def test_terraform_plans_each_profile_in_its_region_and_refuses_another(
    profiles: Path, tmp_path: Path
) -> None:
    if isinstance(ENV, str):
        pytest.skip(ENV)
    shutil.copytree(profiles / "terraform", tmp_path / "module")
    shutil.copytree(profiles / "iam", tmp_path / "iam")
    with run_moto() as endpoint:
        module = PLAN_MODULE.format(tag=PROFILE_TAG)
        (tmp_path / "main.tf").write_text(moto_provider(endpoint, "eu-west-1") + module)
        tf("init", "-backend=false", "-input=false", cwd=tmp_path)
        tf("plan", "-out=tfplan", "-input=false", cwd=tmp_path)
        plan = json.loads(tf("show", "-json", "tfplan", cwd=tmp_path).stdout)
        planned = {
            c["index"]: c["change"]["after"]
            for c in plan["resource_changes"]
            if c["type"] == "aws_bedrock_inference_profile"
        }
        (tmp_path / "main.tf").write_text(moto_provider(endpoint, "us-east-1") + module)
        refused = tf("plan", "-input=false", "-no-color", cwd=tmp_path, check=False)
    assert sorted(planned) == ["tenant-acme", "tenant-globex", "tenant-initech"]
    acme = planned["tenant-acme"]
    assert acme["tags"] == {
        "team": "platform",
        "gateway": "litellm",
        "owner": "team-a",
        "tenant": "acme",
        "cost-center": "4711",
        PROFILE_TAG: "litellm-tenants/tenant-acme",  # the module's input cannot forge it
    }
    assert acme["model_source"][0]["copy_from"].startswith(
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5"
    )
    assert refused.returncode != 0
    text = " ".join((refused.stdout + refused.stderr).split())
    assert "lives in eu-west-1 (its source Region)" in text, text
    assert "creates it in us-east-1" in text, text
