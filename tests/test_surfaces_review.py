"""Reviewers see issue 22's surfaces: explain shows application-profile routes, the project and
Mantle grants and the notes where AWS's pages are silent; simulate answers CountTokens without
a profile; lint --kind scp finds an SCP that blocks CountTokens; the batch service role's
documents are written beside the gateway's and never counted as the gateway's access."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, RunCli, report_data

TEAMS = ROOT / "examples/litellm-team-profiles/bedrock-gen.yaml"
BATCH = ROOT / "examples/batch-inference/bedrock-gen.yaml"
OPENAI = ROOT / "examples/openai-compatible/bedrock-gen.yaml"
AGENTCORE = ROOT / "examples/agentcore-gateway/bedrock-gen.yaml"
SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"


def test_explain_shows_application_profile_routes_and_says_what_aws_leaves_open(
    run_cli: RunCli,
) -> None:
    result = run_cli("explain", "--format", "json", str(TEAMS))
    assert result.code == 0, result.out
    data = report_data(result.out)
    app = [g for g in data["grants"] if g["via"] == "application profile"]
    by_model = {g["subject"]: g["served"] for g in app}
    assert set(by_model) == {SONNET, HAIKU}
    assert "(Region-less)" in by_model[HAIKU] and "eu-north-1" in by_model[SONNET]
    assert not [g for g in data["grants"] if g["via"].endswith(" profile") and g not in app]
    tagged = [g for g in data["grants"] if "application-inference-profile" in g["where"]]
    assert {g["where"].rsplit("= ", 1)[1] for g in tagged} == {
        "litellm-tenants/tenant-acme",
        "litellm-tenants/tenant-globex",
        "litellm-tenants/tenant-initech",
    }
    notes = " ".join(data["notes"])
    assert "does not say" in notes or "do not say" in notes
    assert "inference-profile/eu." + SONNET in notes
    assert "CountTokens takes only the base model ID" in notes
    text = run_cli("explain", str(TEAMS)).out
    assert "Notes" in text and "application profile" in text


def test_explain_shows_the_openai_grants_and_the_api_key_caveat(run_cli: RunCli) -> None:
    data = report_data(run_cli("explain", "--format", "json", str(OPENAI)).out)
    where = {g["where"]: g["actions"] for g in data["grants"] if g["kind"] == "action"}
    project = "arn:aws:bedrock:us-east-1:123456789012:project/default"
    assert where[project] == "CancelInvoke, DeleteInvoke, GetInvoke"
    assert any(w.startswith(project + " with bedrock:ModelArn") for w in where)
    assert any("bedrock-mantle:Model = openai.gpt-oss-120b" in w for w in where)
    assert any("Bedrock API key" in n for n in data["notes"])


def test_simulate_allows_count_tokens_without_a_profile_and_denies_it_elsewhere(
    run_cli: RunCli,
) -> None:
    out = ROOT / "examples/litellm-team-profiles/generated"
    arn = f"arn:aws:bedrock:eu-west-1::foundation-model/{SONNET}"
    allowed = run_cli("simulate", str(out), "--action", "bedrock:CountTokens", "--resource", arn)
    assert allowed.code == 0 and "AllowCountTokens" in allowed.out, allowed.out
    elsewhere = arn.replace("eu-west-1", "eu-west-3")
    denied = run_cli(
        "simulate", str(out), "--action", "bedrock:CountTokens", "--resource", elsewhere
    )
    assert denied.code == 1


def test_simulate_a_call_through_an_application_profile(run_cli: RunCli) -> None:
    out = ROOT / "examples/litellm-team-profiles/generated"
    profile = "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123"
    tag = "aws:ResourceTag/bedrock-gen:application-inference-profile"
    args = ["simulate", str(out), "--action", "bedrock:InvokeModel", "--resource", profile]
    assert run_cli(*args, "--context", f"{tag}=litellm-tenants/tenant-acme").code == 0
    assert run_cli(*args, "--context", f"{tag}=someone-else/tenant-acme").code == 1
    assert run_cli(*args).code == 1
    fm = f"arn:aws:bedrock:eu-west-3::foundation-model/{SONNET}"
    through = ["simulate", str(out), "--action", "bedrock:InvokeModel", "--resource", fm]
    assert run_cli(*through, "--context", f"bedrock:InferenceProfileArn={profile}").code == 0
    system = f"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.{SONNET}"
    assert run_cli(*through, "--context", f"bedrock:InferenceProfileArn={system}").code == 1


def test_lint_finds_an_scp_that_blocks_count_tokens(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        TEAMS.read_text().replace("regions: [eu-west-1]", "regions: [eu-west-1]\n# pinned")
    )
    scp = tmp_path / "scp.json"
    only_profiles = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyModelsOutsideProfiles",
                "Effect": "Deny",
                "Action": "bedrock:*",
                "Resource": "arn:aws:bedrock:*::foundation-model/*",
                "Condition": {"Null": {"bedrock:InferenceProfileArn": "true"}},
            }
        ],
    }
    scp.write_text(json.dumps(only_profiles, indent=2))
    result = run_cli("lint", "--kind", "scp", "--config", str(config), str(scp))
    assert result.code == 1, result.out
    lines = [x for x in result.out.splitlines() if "[BEDROCK_SCP_BLOCKS_COUNT_TOKENS]" in x]
    assert len(lines) == 2  # each profile's model, in eu-west-1
    assert "scp.json:4:5:" in lines[0]  # located at the denying statement
    # AWS's re:Post form denies only the invoke actions: CountTokens passes.
    only_profiles["Statement"][0]["Action"] = [
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
    ]
    scp.write_text(json.dumps(only_profiles, indent=2))
    result = run_cli("lint", "--kind", "scp", "--config", str(config), str(scp))
    assert "[BEDROCK_SCP_BLOCKS_COUNT_TOKENS]" not in result.out


def test_batch_role_documents_are_written_and_not_counted_as_the_gateways(
    run_cli: RunCli,
) -> None:
    iam = ROOT / "examples/batch-inference/generated/iam"
    assert (iam / "batch-service-role-trust.json").is_file()
    assert (iam / "batch-service-role-policy.json").is_file()
    data = report_data(run_cli("explain", "--format", "json", str(BATCH)).out)
    actions = {g["subject"] + ":" + a for g in data["grants"] for a in g["actions"].split(", ")}
    assert not any(a.startswith("s3:") for a in actions)
    assert "iam:PassRole" in actions
    # The output folder as simulate reads it: the gateway's documents, not the batch role's.
    folder = str(iam.parent)
    s3 = ["simulate", folder, "--action", "s3:GetObject"]
    assert run_cli(*s3, "--resource", "arn:aws:s3:::acme-llm-batch-input/requests/a").code == 1
    role = "arn:aws:iam::123456789012:role/kong-batch-bedrock-batch"
    pass_role = ["simulate", folder, "--action", "iam:PassRole", "--resource", role]
    to = "iam:PassedToService="
    assert run_cli(*pass_role, "--context", to + "bedrock.amazonaws.com").code == 0
    assert run_cli(*pass_role, "--context", to + "ec2.amazonaws.com").code == 1
    lint = run_cli(
        "lint",
        str(iam / "batch-service-role-trust.json"),
        str(iam / "batch-service-role-policy.json"),
    )
    assert lint.code == 0, lint.out


def test_generated_scp_exempts_application_profiles_when_asked(tmp_path: Path) -> None:
    from bedrock_gen.access.resolve import resolve
    from bedrock_gen.api import check

    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        TEAMS.read_text()
        + "organization:\n  allowed_regions: [eu-west-1]\n  exempt_profiles: true\n"
    )
    checked = check(config)
    assert checked.config is not None and checked.catalog is not None, checked.diagnostics
    docs = resolve(checked.config, checked.catalog)
    assert docs.scp is not None
    exempt = docs.scp.document["Statement"][0]["Condition"]["ArnNotLike"]
    assert (
        "arn:aws:bedrock:eu-west-1:*:application-inference-profile/*"
        in exempt["bedrock:InferenceProfileArn"]
    )


def test_agentcore_next_steps_give_the_gateway_its_role(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("render", str(AGENTCORE), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.out
    assert "create-gateway --region us-east-1" in result.out
    assert "--role-arn arn:aws:iam::123456789012:role/agentcore-llm-gateway" in result.out


def test_module_spec_names_what_the_terraform_module_creates() -> None:
    """The module step's input: each application profile's Region, copy source and tags, and
    the batch service role with its documents."""
    from bedrock_gen.access.surfaces import module_spec
    from bedrock_gen.api import check

    checked = check(TEAMS)
    assert checked.config is not None
    spec = module_spec(checked.config)
    acme = spec["application_inference_profiles"]["tenant-acme"]
    assert acme["region"] == "eu-west-1"
    assert acme["copy_from"] == (
        f"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.{SONNET}"
    )
    assert acme["tags"] == {
        "tenant": "acme",
        "cost-center": "4711",
        "bedrock-gen:application-inference-profile": "litellm-tenants/tenant-acme",
    }
    assert "batch_service_role" not in spec
    checked = check(BATCH)
    assert checked.config is not None
    role = module_spec(checked.config)["batch_service_role"]
    assert role["arn"] == "arn:aws:iam::123456789012:role/kong-batch-bedrock-batch"
    assert role["trust_file"] == "iam/batch-service-role-trust.json"


def test_next_steps_say_how_to_call_the_profiles_and_pass_the_batch_role(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli("render", str(TEAMS), "-o", str(tmp_path / "teams"))
    assert result.code == 0, result.out
    out = " ".join(result.out.split())
    assert 'output "bedrock_gateway_application_inference_profile_arns"' in out
    assert "model: bedrock/<ARN>" in out
    assert "terraform output -json bedrock_gateway_application_inference_profile_arns" in out
    assert "batch_service_role_arn" not in out
    result = run_cli("render", str(BATCH), "-o", str(tmp_path / "batch"))
    assert result.code == 0, result.out
    out = " ".join(result.out.split())
    assert 'output "bedrock_gateway_batch_service_role_arn"' in out
    assert '--role-arn "$(terraform output -raw bedrock_gateway_batch_service_role_arn)"' in out
    assert "application_inference_profile_arns" not in out
