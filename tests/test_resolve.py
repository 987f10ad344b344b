"""Resolution into IAM documents: Port's examples, scoping, guardrails, Marketplace, sizes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bedrock_gen.access.resolve import Documents, resolve
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.errors import ResolveError
from bedrock_gen.iam.limits import iam_size
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def docs_for(text: str) -> Documents:
    config, diags = validate(load_text(text, "c.yaml"), catalog_mod.load())
    assert config is not None, [d.format_text() for d in diags]
    return resolve(config, catalog_mod.load())


def example_docs(name: str) -> Documents:
    return docs_for((ROOT / "examples" / name / "bedrock-gen.yaml").read_text())


def guide(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())  # type: ignore[no-any-return]


def resources(doc: dict[str, Any]) -> set[str]:
    """The resources of the Allow statements."""
    return {r for s in doc["Statement"] if s["Effect"] == "Allow" for r in s["Resource"]}


def allowed(doc: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The resources and actions of the Allow statements: what Port's guide grants, as sets."""
    allows = [s for s in doc["Statement"] if s["Effect"] == "Allow"]
    return (
        {r for s in allows for r in s["Resource"]},
        {a for s in allows for a in s["Action"]},
    )


def test_port_option1_example_renders_the_guides_resources_and_actions() -> None:
    (policy,) = example_docs("port-specific-models").invoke
    expected = guide("port-guide-option1-specific-models.json")
    # The corrections: the guide's Opus 4.6 ID has a ':0' that matches no model, and Claude
    # Sonnet 4, past its end of life (2026-10-14, AWS's model-lifecycle-legacy.md), is
    # replaced by Claude Sonnet 4.6.
    fixed = {
        r.replace("claude-opus-4-6-v1:0", "claude-opus-4-6-v1").replace(
            "claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-6"
        )
        for r in resources(expected)
    }
    (wanted,) = expected["Statement"]
    assert allowed(policy.document) == (fixed, set(wanted["Action"]))
    sids = {s["Sid"] for s in policy.document["Statement"]}
    assert wanted["Sid"] in sids


def test_port_option2_example_renders_the_guides_resources_and_actions() -> None:
    (policy,) = example_docs("port-all-models").invoke
    expected = guide("port-guide-option2-all-models.json")
    assert allowed(policy.document) == allowed(expected)


@pytest.mark.parametrize("example", ["port-specific-models", "port-all-models"])
def test_unpinned_foundation_models_are_reachable_only_through_the_chosen_profiles(
    example: str,
) -> None:
    """Why (issue 21): with no account_id and no regions, the foundation model was granted on
    arn:aws:bedrock:*::foundation-model/ID unconditioned, so direct calls were allowed in every
    Region although in_region is false."""
    (policy,) = example_docs(example).invoke
    for st in policy.document["Statement"]:
        if st["Effect"] != "Allow":
            continue
        if any(":foundation-model/" in r for r in st["Resource"]):
            (values,) = st["Condition"]["ArnLike"].values()
            assert all(":inference-profile/" in v and ":*:inference-profile/" in v for v in values)


def test_trust_policy_names_both_port_roles_and_the_external_id() -> None:
    trust = example_docs("port-specific-models").trust
    assert trust is not None
    (st,) = trust.document["Statement"]
    (wanted,) = guide("port-guide-trust-policy.json")["Statement"]
    assert st["Principal"] == wanted["Principal"]
    assert st["Action"] == wanted["Action"] == "sts:AssumeRole"
    assert st["Condition"] == {"StringEquals": {"sts:ExternalId": "port-bedrock-3f9c2a71"}}


def test_an_external_id_opt_out_trusts_without_a_condition_and_keeps_the_reason() -> None:
    text = (
        "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "auth: {mode: assume_role, external_id: {none: 'reviewed: Port tenant pinned by SSO'}}\n"
    )
    config, _ = validate(load_text(text, "c.yaml"), catalog_mod.load())
    assert config is not None
    assert config.external_id is None
    assert config.external_id_opt_out == "reviewed: Port tenant pinned by SSO"
    docs = resolve(config, catalog_mod.load())
    assert docs.trust is not None
    assert "Condition" not in docs.trust.document["Statement"][0]


def test_access_keys_mode_has_the_same_invoke_policy_and_no_trust_policy() -> None:
    base = "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
    role = docs_for(base + "auth: {mode: assume_role, external_id: {env: GW_EXTERNAL_ID}}\n")
    user = docs_for(base + "auth: {mode: access_keys}\n")
    assert user.trust is None
    assert [p.document for p in user.invoke] == [p.document for p in role.invoke]


def test_guardrails_get_their_own_statement_on_guardrail_resources() -> None:
    docs = docs_for(
        "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "guardrails: [arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123]\n"
        "auth: {mode: access_keys}\n"
    )
    statements = docs.invoke[0].document["Statement"]
    (gr,) = [s for s in statements if "bedrock:ApplyGuardrail" in s["Action"]]
    assert gr["Action"] == ["bedrock:ApplyGuardrail"]
    assert gr["Resource"] == [
        "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123",
        "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123:*",
    ]
    others = [s for s in statements if s is not gr]
    assert all("bedrock:ApplyGuardrail" not in s["Action"] for s in others)


def test_marketplace_subscribe_is_scoped_to_the_selected_product_ids() -> None:
    docs = docs_for(
        "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5, claude-haiku-4-5], "
        "geographies: [eu]}\nmarketplace: {subscribe: true}\n"
        "auth: {mode: access_keys}\n"
    )
    st = {s["Sid"]: s for s in docs.invoke[0].document["Statement"]}
    assert st["AllowMarketplaceSubscription"] == {
        "Sid": "AllowMarketplaceSubscription",
        "Effect": "Allow",
        "Action": ["aws-marketplace:Subscribe"],
        "Resource": ["*"],
        "Condition": {
            "ForAnyValue:StringEquals": {
                "aws-marketplace:ProductId": ["prod-mxcfnwvpd6kb4", "prod-xdkflymybwmvi"]
            }
        },
    }
    view = st["AllowMarketplaceViewSubscriptions"]
    assert view["Action"] == ["aws-marketplace:ViewSubscriptions"]


def test_marketplace_subscribe_always_carries_the_product_ids() -> None:
    """Never an unconditioned Subscribe (issue 20): Cohere Embed v4's card gives its ID."""
    docs = docs_for(
        "version: 1\nname: gw\nmodels: {ids: [cohere.embed-v4:0], geographies: [eu]}"
        "\nmarketplace: {subscribe: true}\nauth: {mode: access_keys}\n"
    )
    (st,) = [
        s
        for s in docs.invoke[0].document["Statement"]
        if s["Sid"] == "AllowMarketplaceSubscription"
    ]
    assert st["Condition"] == {
        "ForAnyValue:StringEquals": {"aws-marketplace:ProductId": ["prod-ft3cj5gst3spo"]}
    }


def test_no_marketplace_statement_unless_asked() -> None:
    docs = example_docs("port-specific-models")
    assert all(
        not a.startswith("aws-marketplace:")
        for s in docs.invoke[0].document["Statement"]
        for a in s["Action"]
    )


def test_pinned_foundation_models_are_reachable_only_through_profiles() -> None:
    docs = docs_for(
        "version: 1\nname: gw\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
        "models: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "auth: {mode: access_keys}\n"
    )
    stmts = [s for s in docs.invoke[0].document["Statement"] if s["Effect"] == "Allow"]
    assert [s["Sid"] for s in stmts] == [
        "AllowInferenceProfiles",
        "AllowFoundationModelsThroughInferenceProfiles",
    ]
    assert stmts[0]["Resource"] == [
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    ]
    assert stmts[1]["Condition"] == {
        "ArnEquals": {"bedrock:InferenceProfileArn": stmts[0]["Resource"]}
    }
    regions = sorted(r.split(":")[3] for r in stmts[1]["Resource"])
    assert regions == [
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-3",
    ]


def test_global_profile_gets_awss_three_part_grant() -> None:
    docs = docs_for(
        "version: 1\nname: gw\naccount_id: '123456789012'\nregions: [us-east-1]\n"
        "models: {ids: [claude-sonnet-4-5], geographies: [global]}\n"
        "auth: {mode: access_keys}\n"
    )
    stmts = {s["Sid"]: s for s in docs.invoke[0].document["Statement"]}
    profile = (
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    assert stmts["AllowInferenceProfiles"]["Resource"] == [profile]
    assert stmts["AllowFoundationModelsThroughInferenceProfiles"]["Resource"] == [
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    ]
    glob = stmts["AllowGlobalFoundationModelsThroughInferenceProfiles"]
    assert glob["Resource"] == [
        "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    ]
    assert glob["Condition"] == {
        "ArnEquals": {"bedrock:InferenceProfileArn": [profile]},
        "StringEquals": {"aws:RequestedRegion": "unspecified"},
    }


def test_wildcard_profile_arns_use_arnlike() -> None:
    docs = docs_for(
        "version: 1\nname: gw\naccount_id: '123456789012'\n"
        "models: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "auth: {mode: access_keys}\n"
    )
    stmt = docs.invoke[0].document["Statement"][1]
    assert list(stmt["Condition"]) == ["ArnLike"]


def test_in_region_adds_a_direct_statement_in_the_pinned_regions() -> None:
    docs = docs_for(
        "version: 1\nname: gw\naccount_id: '123456789012'\nregions: [us-east-1]\n"
        "models: {ids: [nova-pro], geographies: [us], in_region: true}\n"
        "auth: {mode: access_keys}\n"
    )
    (direct,) = [
        s
        for s in docs.invoke[0].document["Statement"]
        if s["Sid"] == "AllowDirectFoundationModelCalls"
    ]
    assert direct["Resource"] == [
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
    ]
    assert "Condition" not in direct


def test_allow_all_narrowed_to_geographies() -> None:
    docs = docs_for(
        "version: 1\nname: gw\nmodels: {allow: all, geographies: [eu]}\nauth: {mode: access_keys}\n"
    )
    assert resources(docs.invoke[0].document) == {
        "arn:aws:bedrock:*:*:inference-profile/eu.*",
        "arn:aws:bedrock:*::foundation-model/*",
    }


def test_whole_catalog_in_every_geography_fits_the_quotas() -> None:
    cat = catalog_mod.load()
    ids = [m.id for m in cat.models if any(g != "us-gov" for g in m.profiles) and not m.unpublished]
    geos = [g for g in cat.geographies if g != "us-gov"]
    docs = docs_for(
        f"version: 1\nname: all\nmodels: {{ids: {json.dumps(ids)}, "
        f"geographies: {json.dumps(geos)}}}\n"
        "auth: {mode: assume_role, external_id: {env: GW_EXTERNAL_ID}}\n"
    )
    assert 1 <= len(docs.invoke) <= 10
    for p in docs.all():
        assert p.size == iam_size(p.document) <= p.limit
    assert docs.trust is not None and docs.trust.size <= 2048


def test_split_policies_together_grant_what_one_would() -> None:
    custom = "".join(f"    - {{id: acme.m{i:03d}-v1:0, geographies: [eu]}}\n" for i in range(40))
    docs = docs_for(
        "version: 1\nname: gw\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
        f"models:\n  geographies: [eu]\n  custom:\n{custom}"
        "auth: {mode: access_keys}\n"
    )
    assert len(docs.invoke) > 1
    assert [p.filename for p in docs.invoke] == ["bedrock-invoke-policy.json"] + [
        f"bedrock-invoke-policy-{i}.json" for i in range(2, len(docs.invoke) + 1)
    ]
    assert all(p.size <= 6144 for p in docs.invoke)
    every = set().union(*(resources(p.document) for p in docs.invoke))
    assert len([r for r in every if "inference-profile" in r]) == 40


def test_too_many_policies_is_an_error_with_the_numbers() -> None:
    custom = "".join(f"    - {{id: acme.m{i:03d}-v1:0, geographies: [eu]}}\n" for i in range(80))
    config, _ = validate(
        load_text(
            "version: 1\nname: gw\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
            f"models:\n  geographies: [eu]\n  custom:\n{custom}limits: "
            "{managed_policies_per_entity: 1}\nauth: {mode: access_keys}\n",
            "c.yaml",
        ),
        catalog_mod.load(),
    )
    assert config is not None
    with pytest.raises(
        ResolveError,
        match=r"needs \d+ managed policies \([\d,]+ characters, "
        r"6,144 each\) but at most 1 can be attached",
    ):
        resolve(config, catalog_mod.load())


def test_trust_policy_over_its_quota_is_an_error() -> None:
    principals = ", ".join(
        f"'arn:aws:iam::{i:012d}:role/gateway-role-with-a-long-name'" for i in range(1, 40)
    )
    config, _ = validate(
        load_text(
            "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
            f"auth: {{mode: assume_role, trusted_principals: [{principals}], "
            "allow_custom_principals: true}\n",
            "c.yaml",
        ),
        catalog_mod.load(),
    )
    assert config is not None
    with pytest.raises(
        ResolveError,
        match=r"trust policy takes [\d,]+ characters; the role "
        r"trust policy quota is 2,048",
    ):
        resolve(config, catalog_mod.load())


def test_iam_size_ignores_white_space() -> None:
    assert iam_size({"a": [1, 2]}) == len('{"a":[1,2]}')


def test_every_list_in_every_document_is_sorted_and_order_is_fixed() -> None:
    for name in ("strict", "access-keys", "port-specific-models"):
        for p in example_docs(name).invoke:
            for st in p.document["Statement"]:
                assert list(st)[:3] == ["Sid", "Effect", "Action"]
                for key in ("Action", "Resource"):
                    if isinstance(st[key], list):
                        assert st[key] == sorted(st[key])
