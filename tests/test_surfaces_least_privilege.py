"""Issue 22's surfaces grant exactly what a config asks for, judged by the independent evaluator.

``evaluator.py`` shares no code with bedrock_gen. For each surface a config is rendered, and a
universe of requests is asked of its documents: every action of the resource types involved
(from the Service Authorization Reference *data*), on the resources the config names and on
their neighbours (another Region, account, ID, tag, model), with and without the condition
values a call would carry. The allowed set must equal the set this test derives from the
config and AWS's rules by itself (the ``expected`` predicates), request for request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluator as ev
import trust_evaluator as te
from bedrock_gen.access.resolve import Documents, resolve
from bedrock_gen.catalog import bundled
from bedrock_gen.diagnostics import has_errors
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate

ROOT = Path(__file__).resolve().parents[1]
CAT = ev.load_catalog()
ROUTES = ev.routes(CAT)
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "999988887777"
COMMERCIAL = sorted(r for r, v in CAT["regions"].items() if v["partition"] == "aws")
SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"
# On demand in eu-west-1 and us-east-1 (not us-west-2), with a us profile (AWS's card, as the
# catalog records it).
OLD_SONNET = "cohere.embed-v4:0"
INVOKE = (ev.INVOKE, ev.STREAM)
TAG = "aws:ResourceTag/bedrock-gen:application-inference-profile"

Request = tuple[str, str, Mapping[str, str]]


@cache
def sar() -> dict[str, Any]:
    with open(ROOT / "generator/bedrock_gen/data/iam_actions.json", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)["services"]
    return data


def actions_on(service: str, *kinds: str) -> list[str]:
    """Every action of ``service`` the SAR lets a policy scope to one of these types."""
    return sorted(
        f"{service}:{name}"
        for name, a in sar()[service]["actions"].items()
        if set(a["resource_types"]) & set(kinds)
    )


def render(cfg: dict[str, Any]) -> Documents:
    config, diagnostics = validate(load_text(json.dumps(cfg), "c.yaml"), bundled.load(), {})
    assert config is not None and not has_errors(diagnostics), diagnostics
    return resolve(config, bundled.load())


def identity(docs: Documents) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(p.document)) for p in docs.invoke]


def route(model: str, geo: str, source: str) -> ev.Route:
    (found,) = [r for r in ROUTES if r.model == model and r.geography == geo and r.source == source]
    return found


def fm(region: str, model: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model}"


def exactly(
    policies: list[dict[str, Any]],
    universe: Iterable[Request],
    expected: Callable[[str, str, Mapping[str, str]], bool],
) -> int:
    """Every request of the universe is allowed iff expected; returns how many were allowed."""
    allowed = 0
    for action, resource, context in universe:
        got = ev.allowed(policies, action, resource, context)
        want = expected(action, resource, context)
        assert got == want, (
            "over-grant" if got else "under-grant",
            action,
            resource,
            dict(context),
        )
        allowed += got
    return allowed


BASE: dict[str, Any] = {
    "version": 1,
    "name": "gw",
    "account_id": ACCOUNT,
    "auth": {"mode": "access_keys"},
}


# --------------------------------------------------------------------------------------------
# application inference profiles

APP_CFG: dict[str, Any] = {
    **BASE,
    "regions": ["eu-west-1", "us-east-1"],
    "models": {},
    "application_inference_profiles": [
        {"name": "acme", "model": "claude-sonnet-4-5", "geography": "eu", "tags": {"t": "acme"}},
        {"name": "initech", "model": OLD_SONNET, "source_region": "eu-west-1"},
        {
            "name": "globex",
            "model": "claude-haiku-4-5",
            "geography": "global",
            "source_region": "us-east-1",
        },
    ],
}
# What each profile copies, from the catalog data (not from bedrock-gen): source, model, the
# Regions its foundation model is authorized in ('' = Region-less).
APP_PROFILES = {
    "gw/acme": ("eu-west-1", SONNET, route(SONNET, "eu", "eu-west-1").destinations),
    "gw/initech": ("eu-west-1", OLD_SONNET, ("eu-west-1",)),
    "gw/globex": ("us-east-1", HAIKU, ("us-east-1", "")),
}


def app_arn(region: str, account: str = ACCOUNT, ident: str = "a1b2c3d4e5f6") -> str:
    return f"arn:aws:bedrock:{region}:{account}:application-inference-profile/{ident}"


def app_universe() -> list[Request]:
    out: list[Request] = []
    actions = actions_on("bedrock", "application-inference-profile")
    tags = [{}, *({TAG: v} for v in APP_PROFILES), {TAG: "gw/other"}, {TAG: "other/acme"}]
    for region in ["eu-west-1", "us-east-1", "eu-central-1"]:
        for account in (ACCOUNT, OTHER_ACCOUNT):
            for ident in ("a1b2c3d4e5f6", "zz9"):
                for action in actions:
                    for tag in tags:
                        out.append(
                            (
                                action,
                                app_arn(region, account, ident),
                                {**tag, "aws:RequestedRegion": region},
                            )
                        )
    profiles = [None, app_arn("eu-west-1"), app_arn("us-east-1"), app_arn("eu-central-1")]
    profiles += [app_arn("eu-west-1", OTHER_ACCOUNT)]
    profiles += [f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/eu.{SONNET}"]
    for model in (SONNET, HAIKU, OLD_SONNET, "amazon.nova-pro-v1:0"):
        for region in [*COMMERCIAL, ""]:
            for action in (*INVOKE, "bedrock:CountTokens", "bedrock:GetFoundationModel"):
                for parn in profiles:
                    ctx = {"aws:RequestedRegion": region or "unspecified"}
                    if parn is not None:
                        ctx["bedrock:InferenceProfileArn"] = parn
                    out.append((action, fm(region, model), ctx))
    return out


def app_expected(action: str, resource: str, ctx: Mapping[str, str]) -> bool:
    parts = resource.split(":", 5)
    region, account, res = parts[3], parts[4], parts[5]
    if res.startswith("application-inference-profile/"):
        owned = [v for v, (src, _, _) in APP_PROFILES.items() if src == region]
        return (
            account == ACCOUNT
            and action in (*INVOKE, "bedrock:GetInferenceProfile")
            and ctx.get(TAG) in owned
        )
    model = res.split("/", 1)[1]
    if action == "bedrock:CountTokens":  # count_tokens: the models in their profiles' Regions
        # with or without a profile in the request: CountTokens never carries one
        return any(m == model and src == region for src, m, _ in APP_PROFILES.values())
    if action not in INVOKE:
        return False
    through = ctx.get("bedrock:InferenceProfileArn", "")
    if ":application-inference-profile/" not in through or through.split(":")[4] != ACCOUNT:
        return False
    src = through.split(":")[3]
    return any(s == src and m == model and region in dests for s, m, dests in APP_PROFILES.values())


def test_application_profiles_grant_exactly_the_tagged_profiles_and_their_routes() -> None:
    cfg = {**APP_CFG, "permissions": {"count_tokens": True}}
    docs = render(cfg)
    n = exactly(identity(docs), app_universe(), app_expected)
    assert n > 30


def test_application_profiles_do_not_grant_the_copied_system_profile() -> None:
    """The narrower choice where AWS's pages are silent (explain says so)."""
    policies = identity(render(APP_CFG))
    parn = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/eu.{SONNET}"
    assert not ev.allowed(policies, ev.INVOKE, parn, {"aws:RequestedRegion": "eu-west-1"})
    assert not ev.call_allowed(policies, route(SONNET, "eu", "eu-west-1"), ACCOUNT)


def test_two_tenants_of_one_model_share_its_routes_and_nothing_else() -> None:
    cfg = {
        **BASE,
        "regions": ["us-east-1"],
        "models": {},
        "application_inference_profiles": [
            {"name": f"tenant-{t}", "model": "claude-sonnet-4-5", "geography": "us"}
            for t in ("a", "b", "c")
        ],
    }
    policies = identity(render(cfg))
    dests = route(SONNET, "us", "us-east-1").destinations
    for t in ("a", "b", "c"):
        ctx = {TAG: f"gw/tenant-{t}", "aws:RequestedRegion": "us-east-1"}
        assert ev.allowed(policies, ev.STREAM, app_arn("us-east-1"), ctx)
    for region in COMMERCIAL:
        ctx = {"bedrock:InferenceProfileArn": app_arn("us-east-1"), "aws:RequestedRegion": region}
        assert ev.allowed(policies, ev.INVOKE, fm(region, SONNET), ctx) == (region in dests)


# --------------------------------------------------------------------------------------------
# the OpenAI-compatible APIs


def project(region: str, ident: str = "default", account: str = ACCOUNT) -> str:
    return f"arn:aws:bedrock:{region}:{account}:project/{ident}"


def test_responses_grant_the_default_project_only_for_the_chosen_profiles() -> None:
    cfg = {
        **BASE,
        "regions": ["us-east-1", "us-west-2"],
        "models": {"ids": ["claude-sonnet-4-5"], "geographies": ["us"]},
        "permissions": {"openai_responses": True, "openai_chat": True},
    }
    policies = identity(render(cfg))
    chosen = {
        f"arn:aws:bedrock:{r}:{ACCOUNT}:inference-profile/us.{SONNET}"
        for r in ("us-east-1", "us-west-2")
    }
    targets = [
        None,
        *sorted(chosen),
        f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.{HAIKU}",
        f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/global.{SONNET}",
        fm("us-east-1", SONNET),
        app_arn("us-east-1"),
    ]
    universe: list[Request] = []
    for action in actions_on("bedrock", "project"):
        for region in ("us-east-1", "us-west-2", "eu-west-1"):
            for res in (
                project(region),
                project(region, "proj_x"),
                project(region, "default", OTHER_ACCOUNT),
            ):
                for target in targets:
                    ctx = {"aws:RequestedRegion": region}
                    if target is not None:
                        ctx["bedrock:ModelArn"] = target
                    universe.append((action, res, ctx))

    def expected(action: str, resource: str, ctx: Mapping[str, str]) -> bool:
        region, account, res = resource.split(":", 5)[3:]
        if account != ACCOUNT or res != "project/default" or region == "eu-west-1":
            return False
        if action in ("bedrock:GetInvoke", "bedrock:CancelInvoke", "bedrock:DeleteInvoke"):
            return True
        # Creating a response: InvokeModel (never the streaming action) on the project, for a
        # profile the request names and the gateway may call from this Region.
        target = ctx.get("bedrock:ModelArn", "")
        return action == ev.INVOKE and target in chosen and target.split(":")[3] == region

    assert exactly(policies, universe, expected) > 0
    # ... and the inference target itself is the model grant (Chat Completions too).
    assert ev.call_allowed(policies, route(SONNET, "us", "us-east-1"), ACCOUNT, action=ev.STREAM)


def test_mantle_grants_create_inference_on_projects_for_the_listed_models_only() -> None:
    cfg = {
        **BASE,
        "regions": ["us-east-1"],
        "models": {},
        "permissions": {"mantle": {"models": ["openai.gpt-oss-120b", "openai.gpt-oss-20b"]}},
    }
    policies = identity(render(cfg))
    universe: list[Request] = []
    for action in actions_on("bedrock-mantle", "project"):
        for region in ("us-east-1", "us-west-2"):
            for account in (ACCOUNT, OTHER_ACCOUNT):
                for ident in ("default", "proj_abc123"):
                    res = f"arn:aws:bedrock-mantle:{region}:{account}:project/{ident}"
                    for model in (
                        None,
                        "openai.gpt-oss-120b",
                        "openai.gpt-oss-20b",
                        "openai.gpt-5",
                    ):
                        ctx = {"aws:RequestedRegion": region}
                        if model is not None:
                            ctx["bedrock-mantle:Model"] = model
                        universe.append((action, res, ctx))

    def expected(action: str, resource: str, ctx: Mapping[str, str]) -> bool:
        region, account = resource.split(":")[3:5]
        return (
            action == "bedrock-mantle:CreateInference"
            and region == "us-east-1"
            and account == ACCOUNT
            and ctx.get("bedrock-mantle:Model") in ("openai.gpt-oss-120b", "openai.gpt-oss-20b")
        )

    assert exactly(policies, universe, expected) == 4


# --------------------------------------------------------------------------------------------
# models invoked by ARN, CountTokens


BY_ARN = [
    f"arn:aws:bedrock:us-east-1:{ACCOUNT}:provisioned-model/abcd1234efgh",
    f"arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model-deployment/x1y2z3",
    f"arn:aws:bedrock:us-west-2:{ACCOUNT}:imported-model/m0d3l",
]


def test_models_by_arn_are_granted_exactly() -> None:
    cfg = {**BASE, "regions": ["us-east-1", "us-west-2"], "models": {"provisioned": BY_ARN}}
    policies = identity(render(cfg))
    neighbours = set()
    for arn in BY_ARN:
        p = arn.split(":")
        kind, ident = p[5].split("/")
        neighbours |= {
            arn,
            ":".join([*p[:3], "eu-west-1", *p[4:]]),
            ":".join([*p[:4], OTHER_ACCOUNT, p[5]]),
            ":".join([*p[:5], f"{kind}/{ident}x"]),
            ":".join([*p[:5], f"{kind}/{ident[:-1]}"]),
        }
        for other in ("provisioned-model", "custom-model-deployment", "imported-model"):
            neighbours.add(":".join([*p[:5], f"{other}/{ident}"]))
    kinds = ("provisioned-model", "custom-model-deployment", "imported-model")
    universe = [
        (action, arn, {"aws:RequestedRegion": arn.split(":")[3]})
        for action in actions_on("bedrock", *kinds)
        for arn in sorted(neighbours)
    ]
    n = exactly(policies, universe, lambda a, r, _: a in INVOKE and r in BY_ARN)
    assert n == 2 * len(BY_ARN)


def test_count_tokens_needs_no_profile_and_is_allowed_only_in_the_source_regions() -> None:
    cfg = {
        **BASE,
        "regions": ["eu-west-1"],
        "models": {"ids": ["claude-sonnet-4-5"], "geographies": ["eu"]},
        "permissions": {"count_tokens": True},
    }
    policies = identity(render(cfg))
    parn = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/eu.{SONNET}"
    universe: list[Request] = []
    for model in (SONNET, HAIKU):
        for region in COMMERCIAL:
            for ctx in ({}, {"bedrock:InferenceProfileArn": parn}):
                universe.append(
                    (
                        "bedrock:CountTokens",
                        fm(region, model),
                        {**ctx, "aws:RequestedRegion": region},
                    )
                )
    n = exactly(
        policies,
        universe,
        lambda _a, r, _c: r == fm("eu-west-1", SONNET),
    )
    assert n == 2  # with and without a profile in the request: CountTokens carries none


# --------------------------------------------------------------------------------------------
# batch inference


BATCH_CFG: dict[str, Any] = {
    **BASE,
    "regions": ["us-east-1"],
    "models": {"ids": ["cohere-embed-v4"], "geographies": ["us"], "in_region": True},
    "batch": {
        "input_bucket": "gw-batch-in",
        "output_bucket": "gw-batch-out",
        "input_prefix": "jobs/",
    },
}
ROLE = f"arn:aws:iam::{ACCOUNT}:role/gw-bedrock-batch"


def test_batch_gateway_may_manage_jobs_and_pass_exactly_the_service_role_to_bedrock() -> None:
    policies = identity(render(BATCH_CFG))
    jobs = [
        f"arn:aws:bedrock:{r}:{a}:model-invocation-job/{j}"
        for r in ("us-east-1", "us-west-2")
        for a in (ACCOUNT, OTHER_ACCOUNT)
        for j in ("abc123", "x")
    ]
    models = [fm(r, m) for r in ("us-east-1", "us-west-2") for m in (OLD_SONNET, HAIKU)]
    universe: list[Request] = []
    for action in actions_on("bedrock", "model-invocation-job"):
        for res in jobs:
            universe.append((action, res, {"aws:RequestedRegion": res.split(":")[3]}))
    for res in models:
        universe.append(
            ("bedrock:CreateModelInvocationJob", res, {"aws:RequestedRegion": res.split(":")[3]})
        )
    universe.append(("bedrock:ListModelInvocationJobs", "*", {"aws:RequestedRegion": "us-east-1"}))
    for role in (
        ROLE,
        f"arn:aws:iam::{ACCOUNT}:role/gw",
        f"arn:aws:iam::{OTHER_ACCOUNT}:role/gw-bedrock-batch",
    ):
        for to in (None, "bedrock.amazonaws.com", "ec2.amazonaws.com"):
            universe.append(
                ("iam:PassRole", role, {} if to is None else {"iam:PassedToService": to})
            )

    def expected(action: str, resource: str, ctx: Mapping[str, str]) -> bool:
        if action == "iam:PassRole":
            return resource == ROLE and ctx.get("iam:PassedToService") == "bedrock.amazonaws.com"
        if action == "bedrock:ListModelInvocationJobs":
            return True
        region, account = resource.split(":")[3:5]
        if ":foundation-model/" in resource:
            return action == "bedrock:CreateModelInvocationJob" and resource == fm(
                "us-east-1", OLD_SONNET
            )
        return (
            region == "us-east-1"
            and account == ACCOUNT
            and action
            in (
                "bedrock:CreateModelInvocationJob",
                "bedrock:GetModelInvocationJob",
                "bedrock:StopModelInvocationJob",
            )
        )

    assert exactly(policies, universe, expected) > 0


def test_batch_service_role_reads_the_input_writes_the_output_and_invokes_the_chosen_models() -> (
    None
):
    docs = render(BATCH_CFG)
    trust, policy = (d.document for d in docs.batch)
    policies = [json.loads(json.dumps(policy))]
    universe: list[Request] = []
    objects = [
        "arn:aws:s3:::gw-batch-in",
        "arn:aws:s3:::gw-batch-in/jobs/a.jsonl",
        "arn:aws:s3:::gw-batch-in/other/a.jsonl",
        "arn:aws:s3:::gw-batch-out",
        "arn:aws:s3:::gw-batch-out/run/out.jsonl.out",
        "arn:aws:s3:::gw-batch-inx/jobs/a.jsonl",
    ]
    for action in (
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "s3:DeleteObject",
        "s3:PutBucketPolicy",
    ):
        for res in objects:
            for owner in (ACCOUNT, OTHER_ACCOUNT):
                for prefix in (None, "jobs/", "other/"):
                    ctx = {"aws:ResourceAccount": owner}
                    if prefix is not None:
                        ctx["s3:prefix"] = prefix
                    universe.append((action, res, ctx))

    def expected(action: str, resource: str, ctx: Mapping[str, str]) -> bool:
        if ctx["aws:ResourceAccount"] != ACCOUNT:
            return False
        if action == "s3:GetObject":
            return resource == "arn:aws:s3:::gw-batch-in/jobs/a.jsonl"
        if action == "s3:ListBucket":
            return resource == "arn:aws:s3:::gw-batch-in" and ctx.get("s3:prefix") == "jobs/"
        if action == "s3:PutObject":
            return resource == "arn:aws:s3:::gw-batch-out/run/out.jsonl.out"
        return False

    assert exactly(policies, universe, expected) > 0
    # The models: InvokeModel as the gateway may (directly, in_region; through its profile),
    # never the streaming action, nothing else.
    assert ev.direct_allowed(policies, OLD_SONNET, "us-east-1")
    assert not ev.direct_allowed(policies, OLD_SONNET, "us-west-2")
    assert not ev.direct_allowed(policies, OLD_SONNET, "us-east-1", action=ev.STREAM)
    assert ev.call_allowed(policies, route(OLD_SONNET, "us", "us-east-1"), ACCOUNT)
    assert not ev.call_allowed(
        policies, route(OLD_SONNET, "us", "us-east-1"), ACCOUNT, action=ev.STREAM
    )
    # Its trust: Bedrock, for this account's batch jobs in the chosen Regions only.
    job = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-invocation-job/abc123"
    assert te.service(trust, "bedrock.amazonaws.com", ACCOUNT, job)
    assert not te.service(trust, "bedrock.amazonaws.com", OTHER_ACCOUNT, job)
    assert not te.service(
        trust, "bedrock.amazonaws.com", ACCOUNT, job.replace("us-east-1", "us-west-2")
    )
    assert not te.service(
        trust,
        "bedrock.amazonaws.com",
        ACCOUNT,
        f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-customization-job/x",
    )
    assert not te.service(trust, "bedrock.amazonaws.com", None)
    assert not te.service(trust, "sagemaker.amazonaws.com", ACCOUNT, job)


# --------------------------------------------------------------------------------------------
# AgentCore Gateway


def test_agentcore_gateway_role_trusts_only_the_accounts_gateways_in_its_regions() -> None:
    cfg = {
        **BASE,
        "gateway": "agentcore-gateway",
        "regions": ["us-east-1", "us-west-2"],
        "models": {"ids": ["claude-sonnet-4-5"], "geographies": ["us"]},
        "auth": {"mode": "aws_service", "service": "bedrock-agentcore"},
    }
    docs = render(cfg)
    assert docs.trust is not None
    trust = docs.trust.document
    principal = "bedrock-agentcore.amazonaws.com"

    def gw(region: str, account: str = ACCOUNT, kind: str = "gateway") -> str:
        return f"arn:aws:bedrock-agentcore:{region}:{account}:{kind}/llm-gw-x1y2z3"

    assert te.service(trust, principal, ACCOUNT, gw("us-east-1"))
    assert te.service(trust, principal, ACCOUNT, gw("us-west-2"))
    assert not te.service(trust, principal, ACCOUNT, gw("eu-west-1"))
    assert not te.service(trust, principal, OTHER_ACCOUNT, gw("us-east-1", OTHER_ACCOUNT))
    assert not te.service(trust, principal, ACCOUNT, gw("us-east-1", kind="runtime"))
    assert not te.service(trust, principal, ACCOUNT)
    assert not te.service(trust, "bedrock.amazonaws.com", ACCOUNT, gw("us-east-1"))
    # The invoke policy is the gateway's usual one.
    assert ev.call_allowed(identity(docs), route(SONNET, "us", "us-west-2"), ACCOUNT)


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        ({"mode": "aws_service", "service": "lambda"}, "set auth.service: bedrock-agentcore"),
        ({"mode": "assume_role", "external_id": "x" * 20}, "does not document mode: assume_role"),
    ],
)
def test_agentcore_gateway_refuses_other_trusts(auth: dict[str, Any], message: str) -> None:
    cfg = {
        **BASE,
        "gateway": "agentcore-gateway",
        "regions": ["us-east-1"],
        "models": {"ids": ["claude-sonnet-4-5"], "geographies": ["us"]},
        "auth": auth,
    }
    config, diagnostics = validate(load_text(json.dumps(cfg), "c.yaml"), bundled.load(), {})
    assert config is None
    assert any(message in d.message for d in diagnostics), diagnostics


# --------------------------------------------------------------------------------------------
# random application profiles over the whole catalog

COPYABLE = [r for r in ROUTES if CAT["geographies"][r.geography]["partition"] == "aws"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(COPYABLE), min_size=1, max_size=4, unique=True))
def test_random_application_profiles_reach_exactly_their_routes(picked: list[ev.Route]) -> None:
    profiles = [
        {
            "name": f"p{i}",
            "model": r.model,
            "geography": r.geography,
            "source_region": r.source,
        }
        for i, r in enumerate(picked)
    ]
    regions = sorted({r.source for r in picked})
    cfg = {**BASE, "regions": regions, "models": {}, "application_inference_profiles": profiles}
    policies = identity(render(cfg))
    # Per source Region, the Regions each model may be served in through its profiles there
    # (application profiles of one Region are told apart by tag only, not by model route).
    served: dict[tuple[str, str], set[str]] = {}
    for r in picked:
        dests = {r.source, ""} if r.is_global else set(r.destinations)
        served.setdefault((r.source, r.model), set()).update(dests)
    models = sorted({r.model for r in picked})
    for source in [*regions, "sa-east-1" if "sa-east-1" not in regions else "me-central-1"]:
        tags = {f"gw/p{i}" for i, r in enumerate(picked) if r.source == source}
        for tag in sorted(tags | {"gw/other"}):
            ctx = {TAG: tag, "aws:RequestedRegion": source}
            assert ev.allowed(policies, ev.INVOKE, app_arn(source), ctx) == (tag in tags)
        for model in models:
            for region in [*COMMERCIAL, ""]:
                ctx = {
                    "bedrock:InferenceProfileArn": app_arn(source),
                    "aws:RequestedRegion": region or "unspecified",
                }
                want = region in served.get((source, model), set())
                got = ev.allowed(policies, ev.STREAM, fm(region, model), ctx)
                assert got == want, (source, model, region)
                assert not ev.allowed(
                    policies, ev.INVOKE, fm(region, model), {"aws:RequestedRegion": region}
                )
