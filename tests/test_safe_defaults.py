"""Issue 21, safe by default: each test pins one bullet of the issue's "Why" (each failed on the
code before the change). Decisions are checked with bedrock-gen's IAM evaluator and, for the
invoke calls, with the independent one in ``evaluator.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evaluator as ev
from bedrock_gen.access.resolve import Documents, resolve
from bedrock_gen.access.tuples import expand
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.config.model import Config
from bedrock_gen.emit.starter_config import Choices, check, external_id_notice, text
from bedrock_gen.gateways import next_steps
from bedrock_gen.iam.evaluate import Evaluator, Policy, Request
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate
from conftest import ROOT, RunCli

ACCOUNT = "123456789012"
GUARDRAIL = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:guardrail/abc123"
PROFILE = (
    f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/"
    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
)
FM = "arn:aws:bedrock:eu-north-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
# An AWS managed policy a role may also carry, which grants Bedrock API keys (the issue's
# example: AmazonBedrockMantleInferenceAccess allows bedrock-mantle:CallWithBearerToken).
MANAGED = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "bedrock:CallWithBearerToken",
                "bedrock-mantle:CallWithBearerToken",
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream",
            ],
            "Resource": "*",
        }
    ],
}

BASE = f"""\
version: 1
name: gw
gateway: custom
account_id: "{ACCOUNT}"
regions: [eu-west-1]
models: {{ids: [claude-sonnet-4-5], geographies: [eu]}}
auth: {{mode: existing_role, role_name: gateway}}
"""


def configure(text: str) -> tuple[Config, list[str]]:
    config, diags = validate(load_text(text, "c.yaml"), catalog_mod.load())
    assert config is not None, [d.format_text() for d in diags]
    return config, [d.code for d in diags]


def documents(text: str, previous: dict[str, int] | None = None) -> Documents:
    config, _ = configure(text)
    return resolve(config, catalog_mod.load(), previous)


def policies(docs: Documents, *extra: dict[str, Any]) -> list[Policy]:
    out = [Policy(d.filename, d.document) for d in docs.invoke]
    return out + [Policy(f"extra-{i}", e) for i, e in enumerate(extra)]


def allowed(pols: list[Policy], action: str, resource: str, **context: str) -> bool:
    ctx = {"aws:RequestedRegion": [context.pop("region", "eu-west-1")]}
    ctx.update({k.replace("__", ":"): [v] for k, v in context.items()})
    return Evaluator(pols).allowed(Request(action, resource, ctx))


# --------------------------------------------------------------------------------------------
# Bedrock API keys


def test_every_config_denies_bedrock_api_keys_even_where_another_policy_grants_them() -> None:
    """Why: nothing denied bedrock:CallWithBearerToken or bedrock-mantle:CallWithBearerToken,
    and AWS managed policies a role may also carry grant them."""
    docs = documents(BASE)
    pols = policies(docs, MANAGED)
    assert not allowed(
        pols, "bedrock:CallWithBearerToken", "*", bedrock__BearerTokenType="LONG_TERM"
    )
    assert not allowed(
        pols, "bedrock:CallWithBearerToken", "*", bedrock__BearerTokenType="SHORT_TERM"
    )
    assert not allowed(pols, "bedrock-mantle:CallWithBearerToken", "*")
    denies = [s for d in docs.invoke for s in d.document["Statement"] if s["Effect"] == "Deny"]
    assert {a for s in denies for a in s["Action"]} >= {
        "bedrock:CallWithBearerToken",
        "bedrock-mantle:CallWithBearerToken",
    }


def test_short_term_keys_are_allowed_and_long_term_ones_denied() -> None:
    docs = documents(BASE + "permissions: {bearer_tokens: short_term}\n")
    pols = policies(docs, MANAGED)
    key = "bedrock__BearerTokenType"
    assert allowed(policies(docs), "bedrock:CallWithBearerToken", "*", **{key: "SHORT_TERM"})
    assert not allowed(pols, "bedrock:CallWithBearerToken", "*", **{key: "LONG_TERM"})
    assert not allowed(pols, "bedrock:CallWithBearerToken", "*")
    assert not allowed(pols, "bedrock-mantle:CallWithBearerToken", "*", **{key: "SHORT_TERM"})


@pytest.mark.parametrize(
    ("choice", "sid"),
    [("deny", "DenyBedrockApiKeys"), ("short_term", "DenyLongTermBedrockApiKeys")],
)
def test_the_organization_scp_carries_awss_api_key_statement(choice: str, sid: str) -> None:
    docs = documents(
        BASE
        + f"permissions: {{bearer_tokens: {choice}}}\n"
        + "organization: {allowed_regions: [eu-central-1, eu-north-1, eu-south-1, eu-south-2, "
        "eu-west-1, eu-west-3]}\n"
    )
    assert docs.scp is not None
    assert sid in {s["Sid"] for s in docs.scp.document["Statement"]}


# --------------------------------------------------------------------------------------------
# guardrails


ENFORCED = BASE + (
    f"guardrails: [{{arn: '{GUARDRAIL}', version: 3, enforce: true, profile: eu.guardrail.v1:0}}]\n"
)


def test_an_enforced_guardrail_is_required_on_every_invoke_call() -> None:
    """Why: a guardrail could be granted but not enforced (AWS documents the
    bedrock:GuardrailIdentifier Allow/Deny pair; CSPM scanners fail policies without it)."""
    docs = documents(ENFORCED)
    pols = policies(docs)
    with_it = {"bedrock__GuardrailIdentifier": f"{GUARDRAIL}:3"}
    assert allowed(pols, "bedrock:InvokeModel", PROFILE, **with_it)
    assert allowed(
        pols,
        "bedrock:InvokeModel",
        FM,
        region="eu-north-1",
        bedrock__InferenceProfileArn=PROFILE,
        **with_it,
    )
    for other in (
        {},
        {"bedrock__GuardrailIdentifier": GUARDRAIL},
        {"bedrock__GuardrailIdentifier": f"{GUARDRAIL}:2"},
    ):
        assert not allowed(pols, "bedrock:InvokeModel", PROFILE, **other)
        assert not allowed(policies(docs, MANAGED), "bedrock:InvokeModel", PROFILE, **other)
    for d in docs.invoke:
        for st in d.document["Statement"]:
            if st["Effect"] == "Allow" and "bedrock:InvokeModel" in st["Action"]:
                assert st["Condition"]["ArnEquals"]["bedrock:GuardrailIdentifier"] == [
                    f"{GUARDRAIL}:3"
                ]


def test_the_draft_of_an_enforced_guardrail_is_its_bare_arn() -> None:
    docs = documents(BASE + f"guardrails: [{{arn: '{GUARDRAIL}', enforce: true}}]\n")
    pols = policies(docs)
    assert allowed(pols, "bedrock:InvokeModel", PROFILE, bedrock__GuardrailIdentifier=GUARDRAIL)
    assert not allowed(
        pols, "bedrock:InvokeModel", PROFILE, bedrock__GuardrailIdentifier=f"{GUARDRAIL}:1"
    )
    _, codes = configure(BASE + f"guardrails: [{{arn: '{GUARDRAIL}', enforce: true}}]\n")
    assert "guardrail-draft" in codes


def test_apply_guardrail_covers_the_guardrail_profile_in_every_destination_region() -> None:
    docs = documents(ENFORCED)
    pols = policies(docs)
    # AWS's table: eu.guardrail.v1:0 from eu-west-1 routes to these six Regions.
    for region in (
        "eu-central-1",
        "eu-west-1",
        "eu-west-3",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
    ):
        arn = f"arn:aws:bedrock:{region}:{ACCOUNT}:guardrail-profile/eu.guardrail.v1:0"
        assert allowed(pols, "bedrock:ApplyGuardrail", arn, region=region), region
    assert not allowed(
        pols,
        "bedrock:ApplyGuardrail",
        f"arn:aws:bedrock:eu-west-2:{ACCOUNT}:guardrail-profile/eu.guardrail.v1:0",
    )
    assert allowed(pols, "bedrock:ApplyGuardrail", GUARDRAIL)


def test_a_guardrail_in_another_account_is_accepted_with_a_note() -> None:
    other = "arn:aws:bedrock:eu-west-1:210987654321:guardrail/shared1"
    config, codes = configure(BASE + f"guardrails: [{other}]\n")
    assert "guardrail-other-account" in codes
    docs = resolve(config, catalog_mod.load())
    assert allowed(policies(docs), "bedrock:ApplyGuardrail", other)
    steps = "\n".join(next_steps.steps(config, ("iam/p.json",), None))
    assert "resource-based policy" in steps and "210987654321" in steps


def test_the_organizations_enforced_guardrail_can_be_applied() -> None:
    """Why: an enforced guardrail makes every caller without bedrock:ApplyGuardrail on it fail
    with AccessDenied."""
    org = "arn:aws:bedrock:eu-west-1:210987654321:guardrail/org0guard"
    docs = documents(BASE + f"organization: {{enforced_guardrail: {org}}}\n")
    assert allowed(policies(docs), "bedrock:ApplyGuardrail", org)


def test_a_guardrail_outside_every_source_region_warns() -> None:
    """Why: a guardrail in another Region than a source got no warning (unpinned Regions)."""
    text = BASE.replace("regions: [eu-west-1]\n", "").replace(
        "auth:", "guardrails: [arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123]\nauth:"
    )
    _, codes = configure(text)
    assert "guardrail-region" in codes


def test_lint_suggests_a_guardrail_condition_without_failing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(documents(BASE).invoke[0].document))
    enforced = tmp_path / "enforced.json"
    enforced.write_text(json.dumps(documents(ENFORCED).invoke[0].document))
    result = run_cli("lint", str(plain))
    assert result.code == 0 and "[BEDROCK_INVOKE_WITHOUT_GUARDRAIL]" in result.out
    assert "suggestion" in result.out
    result = run_cli("lint", "--fail-on", "SUGGESTION", str(enforced))
    assert result.code == 0, result.out


def test_explain_shows_the_required_guardrail_and_the_denies(tmp_path: Path) -> None:
    docs = documents(ENFORCED)
    exp = expand(policies(docs), catalog_mod.load())
    assert any(a.model == "anthropic.claude-sonnet-4-5-20250929-v1:0" for a in exp.access)
    assert any(f"{GUARDRAIL}:3" in r for r in exp.restrictions)
    assert any("CallWithBearerToken" in r for r in exp.restrictions)


# --------------------------------------------------------------------------------------------
# service tiers


def test_service_tiers_not_listed_are_denied_as_awss_example_does() -> None:
    docs = documents(BASE + "permissions: {service_tiers: [default, flex]}\n")
    pols = policies(docs, MANAGED)
    for tier, ok in (("default", True), ("flex", True), ("priority", False), ("reserved", False)):
        assert allowed(pols, "bedrock:InvokeModel", PROFILE, bedrock__ServiceTier=tier) is ok, tier
    assert allowed(pols, "bedrock:InvokeModel", PROFILE)  # no tier named: the default behaviour
    (deny,) = [
        s
        for d in docs.invoke
        for s in d.document["Statement"]
        if s.get("Sid") == "DenyOtherServiceTiers"
    ]
    assert deny["Condition"] == {"StringEquals": {"bedrock:ServiceTier": ["priority", "reserved"]}}


# --------------------------------------------------------------------------------------------
# optional statements are placed like any other piece


def _split(extra: str = "") -> str:
    custom = "".join(f"    - {{id: acme.m{i:03d}-v1:0, geographies: [eu]}}\n" for i in range(60))
    return (
        f"version: 1\nname: gw\ngateway: custom\naccount_id: '{ACCOUNT}'\nregions: [eu-west-1]\n"
        f"models:\n  geographies: [eu]\n  custom:\n{custom}"
        "limits: {managed_policies_per_entity: 20}\n"
        f"{extra}auth: {{mode: existing_role, role_name: gateway}}\n"
    )


OPTIONAL = [
    f"guardrails: [{{arn: '{GUARDRAIL}', profile: eu.guardrail.v1:0}}]\n",
    "marketplace: {subscribe: true}\n",
    "permissions: {count_tokens: true, model_discovery: true, guardrail_reads: true, "
    "service_tiers: [default], bearer_tokens: short_term}\n",
    "organization: {enforced_guardrail: arn:aws:bedrock:eu-west-1:210987654321:guardrail/org0}\n",
]


def test_turning_on_every_optional_permission_moves_no_model() -> None:
    """Why: the guardrail, Marketplace and optional statements always sat in part 1, so turning
    one on moved model access to part 2 in one apply (an AccessDenied window), or refused the
    config when they outgrew one part."""
    docs = documents(_split())
    assert len(docs.invoke) >= 2
    placement = docs.placement()
    models = {k: v for k, v in placement.items() if not k.startswith("~")}
    extra = ""
    for more in OPTIONAL:
        extra += more
        docs = documents(_split(extra), placement)
        placement = docs.placement()
        assert docs.moved == ()
        assert {k: placement[k] for k in models} == models, more
    assert {"~guardrails", "~count-tokens", "~model-discovery", "~service-tiers"} <= set(placement)


def test_an_optional_group_too_big_for_the_first_part_gets_a_part_of_its_own() -> None:
    models = [m.id for m in catalog_mod.load().models if "eu" in m.profiles][:40]
    text = (
        f"version: 1\nname: gw\ngateway: custom\naccount_id: '{ACCOUNT}'\n"
        f"models: {{ids: {json.dumps(models)}, geographies: [eu]}}\n"
        "permissions: {count_tokens: true, model_discovery: true}\n"
        "auth: {mode: existing_role, role_name: gateway}\n"
    )
    docs = documents(text)  # refused before: the optional statements alone exceeded part 1
    for d in docs.invoke:
        assert d.size <= d.limit


# --------------------------------------------------------------------------------------------
# SCPs that fit an organization


EU_ONLY = "organization: {allowed_regions: [eu-west-1, eu-central-1], exempt_profiles: true}\n"


def test_geographic_routes_outside_the_allowed_regions_work_through_the_exemption() -> None:
    """Why: organization.allowed_regions refused EU/US profile routes although AWS documents the
    bedrock:InferenceProfileArn exemption for geographic profiles too."""
    config, codes = configure(BASE + EU_ONLY)
    assert "scp-profile-exemption" in codes and "scp-blocks-route" not in codes
    docs = resolve(config, catalog_mod.load())
    assert docs.scp is not None
    scp = Policy("scp", docs.scp.document, "scp")
    everything = Policy(
        "id",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    )
    ev_ = Evaluator([scp, everything])
    ctx = {"aws:RequestedRegion": ["eu-north-1"], "bedrock:InferenceProfileArn": [PROFILE]}
    assert ev_.allowed(Request("bedrock:InvokeModel", FM, ctx))
    # a direct call, or any call made in the Region itself, is still denied
    assert not ev_.allowed(
        Request("bedrock:InvokeModel", FM, {"aws:RequestedRegion": ["eu-north-1"]})
    )
    us_profile = PROFILE.replace("eu-west-1", "us-east-1").replace("/eu.", "/us.")
    assert not ev_.allowed(
        Request("bedrock:InvokeModel", us_profile, {"aws:RequestedRegion": ["us-east-1"]})
    )


def test_without_the_exemption_the_refusal_names_it_as_a_fix() -> None:
    config, diags = validate(
        load_text(BASE + EU_ONLY.replace(", exempt_profiles: true", ""), "c.yaml"),
        catalog_mod.load(),
    )
    assert config is None
    assert any(
        "organization.exempt_profiles: true" in d.message
        for d in diags
        if d.code == "scp-blocks-route"
    )


def test_next_steps_show_how_to_merge_the_scp_and_control_towers_parameters() -> None:
    config, _ = configure(BASE + EU_ONLY)
    text = "\n".join(next_steps.steps(config, ("iam/p.json",), None))
    assert "merge iam/scp-bedrock-inference.json into your Region-deny SCP" in text
    assert "CT.MULTISERVICE.PV.1" in text and "AllowedRegions" in text and "ExemptedActions" in text


def test_lint_of_an_scp_reports_every_blocked_region_of_every_route(
    run_cli: RunCli, tmp_path: Path
) -> None:
    scp = tmp_path / "scp.json"
    scp.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "NotAction": ["iam:*"],
                        "Resource": "*",
                        "Condition": {
                            "StringNotEquals": {
                                "aws:RequestedRegion": ["eu-west-1", "eu-central-1"]
                            }
                        },
                    }
                ],
            }
        )
    )
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        BASE.replace(
            "models: {ids: [claude-sonnet-4-5]",
            "models: {ids: [claude-sonnet-4-5, claude-haiku-4-5]",
        )
    )
    result = run_cli("lint", "--kind", "scp", "--config", str(cfg), str(scp))
    assert result.code == 1
    lines = [x for x in result.out.splitlines() if "[BEDROCK_SCP_BLOCKS_ROUTE]" in x]
    assert len(lines) == 2  # both models' routes, in one run
    for line in lines:
        for region in ("eu-north-1", "eu-south-1", "eu-south-2", "eu-west-3"):
            assert region in line


# --------------------------------------------------------------------------------------------
# external IDs from init


def test_init_writes_an_environment_variable_and_prints_a_strong_value() -> None:
    """Why: `init` produced a Port role with no sts:ExternalId."""
    choices = Choices()
    content = text(choices)
    assert "external_id: {env: PORT_EXTERNAL_ID}" in content
    assert check(content, "bedrock-gen.yaml") == []
    notice = external_id_notice(choices, "VALUE-not-in-the-config")
    assert "VALUE-not-in-the-config" not in content
    assert any("export PORT_EXTERNAL_ID='VALUE-not-in-the-config'" in line for line in notice)
    fresh = external_id_notice(choices)
    value = fresh[1].split("'")[1]
    assert len(value) >= 32 and len(set(value)) >= 16


# --------------------------------------------------------------------------------------------
# module details


POD = f"""\
version: 1
name: gw
gateway: envoy-ai-gateway
account_id: "{ACCOUNT}"
regions: [eu-central-1]
models: {{ids: [claude-sonnet-4-5], geographies: [eu]}}
auth:
  mode: eks_pod_identity
  cluster_arn: arn:aws:eks:eu-central-1:{ACCOUNT}:cluster/gw
  service_accounts: ["envoy-gateway-system:ai-gateway-dataplane-aws"]
"""


def test_pod_identity_trust_pins_the_source_account() -> None:
    docs = documents(POD)
    assert docs.trust is not None
    (st,) = docs.trust.document["Statement"]
    assert st["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT


@pytest.mark.parametrize(("create", "version"), [(True, ">= 5.29.0"), (False, ">= 5.0")])
def test_the_provider_constraint_follows_the_resources(create: bool, version: str) -> None:
    from bedrock_gen.emit.terraform.module import aws_version

    text = POD + f"terraform: {{create_pod_identity_associations: {str(create).lower()}}}\n"
    config, _ = configure(text)
    assert aws_version(config) == version


def test_the_pod_identity_example_module_asks_for_the_provider_that_has_associations() -> None:
    versions = (
        ROOT / "examples/envoy-eks-pod-identity/generated/terraform/versions.tf"
    ).read_text()
    assert 'version = ">= 5.29.0"' in versions.replace("  ", " ").replace("  ", " ")


def test_every_example_still_renders_lint_clean_at_the_default_threshold(run_cli: RunCli) -> None:
    files = sorted(str(p) for p in (ROOT / "examples").glob("*/generated/iam/*.json"))
    result = run_cli("lint", *files)
    assert result.code == 0, result.out
    # the suggestion, and Port's "all models" option naming its wildcard (a warning)
    assert all(
        "[BEDROCK_INVOKE_WITHOUT_GUARDRAIL]" in line
        or ("port-all-models" in line and "[BEDROCK_WILDCARD_MODEL_GRANT]" in line)
        for line in result.out.splitlines()[:-1]
    ), result.out


def test_the_independent_evaluator_agrees_on_the_enforced_guardrail() -> None:
    docs = documents(ENFORCED)
    pols = [json.loads(json.dumps(d.document)) for d in docs.invoke]
    route = ev.Route(
        "anthropic.claude-sonnet-4-5-20250929-v1:0", "eu", "eu-west-1", ("eu-north-1",), False
    )
    assert not ev.call_allowed(pols, route, ACCOUNT)
