"""``bedrock-gen simulate`` and the evaluator behind it, checked against a second, independent
evaluator (``policy_oracle.py``) on random policies and requests, and on the rendered
examples call by call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluator as ev
import policy_oracle
from bedrock_gen.iam.evaluate import Evaluator, Policy, Request, evaluate
from conftest import ROOT, RunCli, report_data

MODELS = ["anthropic.claude-sonnet-4-5-20250929-v1:0", "amazon.nova-pro-v1:0", "acme.x-1"]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", ""]
ACCOUNTS = ["123456789012", "999988887777"]
GEOS = ["eu", "us", "global"]


def _profile(region: str, account: str, geo: str, model: str) -> str:
    return f"arn:aws:bedrock:{region or 'eu-west-1'}:{account}:inference-profile/{geo}.{model}"


def _fm(region: str, model: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model}"


def _globbed(text: str, draw: st.DrawFn) -> str:
    """Maybe replace a part of an ARN with a wildcard, as hand-written policies do."""
    choice = draw(st.integers(0, 4))
    parts = text.split(":", 5)
    if choice == 1:
        parts[3] = "*"
    elif choice == 2:
        parts[4] = "*" if parts[4] else parts[4]
    elif choice == 3:
        parts[5] = parts[5].rsplit("/", 1)[0] + "/*"
    elif choice == 4:
        parts[5] = parts[5][:-3] + "?" + parts[5][-2:]
    return ":".join(parts)


@st.composite
def resources(draw: st.DrawFn) -> str:
    model = draw(st.sampled_from(MODELS))
    region = draw(st.sampled_from(REGIONS))
    if draw(st.booleans()):
        return _fm(region, model)
    return _profile(region, draw(st.sampled_from(ACCOUNTS)), draw(st.sampled_from(GEOS)), model)


OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "StringEqualsIgnoreCase",
    "StringEqualsIfExists",
    "ArnLikeIfExists",
    "StringNotEqualsIfExists",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringEquals",
    "ForAnyValue:StringLike",
    "Null",
    "Bool",
]
KEYS = [
    "bedrock:InferenceProfileArn",
    "aws:RequestedRegion",
    "aws:SecureTransport",
    "aws-marketplace:ProductId",
]


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(KEYS))
        # ARN operators compare ARN keys (IAM compares them field by field: a non-ARN value is
        # not an ARN to compare), string operators the rest, as policies write them
        arn_key = key == "bedrock:InferenceProfileArn"
        op = draw(
            st.sampled_from(
                [
                    o
                    for o in OPERATORS
                    if ("Arn" in o) == arn_key or o in ("Null", "StringEqualsIfExists")
                ]
            )
        )
        if op == "Null":
            value: Any = draw(st.sampled_from(["true", "false"]))
        elif op == "Bool":
            value = draw(st.sampled_from(["true", "false"]))
        elif key == "bedrock:InferenceProfileArn":
            value = [_globbed(draw(resources()), draw) for _ in range(draw(st.integers(1, 2)))]
        elif key == "aws:RequestedRegion":
            value = draw(
                st.lists(
                    st.sampled_from(["eu-west-1", "us-east-1", "unspecified", "eu-*"]),
                    min_size=1,
                    max_size=2,
                )
            )
        else:
            value = draw(st.sampled_from(["true", "prod-a", "prod-*"]))
        out.setdefault(op, {})[key] = value
    return out


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    actions = draw(
        st.lists(
            st.sampled_from(
                [
                    "bedrock:InvokeModel",
                    "bedrock:Invoke*",
                    "bedrock:*",
                    "*",
                    "bedrock:invokemodel",
                    "bedrock:CountTokens",
                ]
            ),
            min_size=1,
            max_size=2,
        )
    )
    stmt["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = actions
    res = [_globbed(draw(resources()), draw) for _ in range(draw(st.integers(1, 3)))]
    if draw(st.integers(0, 6)) == 0:
        res = ["*"]
    stmt["NotResource" if draw(st.integers(0, 6)) == 0 else "Resource"] = res
    cond = draw(conditions())
    if cond:
        stmt["Condition"] = cond
    return stmt


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, list[str]]]:
    action = draw(
        st.sampled_from(
            ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:CountTokens"]
        )
    )
    resource = draw(resources())
    ctx: dict[str, list[str]] = {}
    if draw(st.booleans()):
        ctx["aws:RequestedRegion"] = [
            draw(st.sampled_from(["eu-west-1", "us-east-1", "unspecified"]))
        ]
    if draw(st.booleans()):
        ctx["bedrock:InferenceProfileArn"] = [draw(resources())]
    if draw(st.booleans()):
        ctx["aws:SecureTransport"] = [draw(st.sampled_from(["true", "false"]))]
    if draw(st.booleans()):
        ctx["aws-marketplace:ProductId"] = draw(
            st.lists(st.sampled_from(["prod-a", "prod-b"]), min_size=1, max_size=2, unique=True)
        )
    return action, resource, ctx


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=st.lists(statements(), min_size=1, max_size=4), request=requests())
def test_evaluator_agrees_with_an_independent_one(
    policy: list[dict[str, Any]], request: tuple[str, str, dict[str, list[str]]]
) -> None:
    action, resource, ctx = request
    doc = {"Version": "2012-10-17", "Statement": policy}
    ours = evaluate([Policy("p.json", doc)], Request(action, resource, ctx))
    theirs = policy_oracle.decide([doc], action, resource, ctx)
    assert ours.allowed == theirs, (ours, policy, request)
    assert Evaluator([Policy("p.json", doc)]).allowed(Request(action, resource, ctx)) == theirs


def _example_policies(name: str) -> list[dict[str, Any]]:
    folder = ROOT / "examples" / name / "generated/iam"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("bedrock-invoke-*.json"))]


def test_every_route_of_the_examples_is_decided_as_the_test_evaluator_decides() -> None:
    """Route by route, the shipped evaluator and tests/evaluator.py (the least-privilege
    oracle) agree on the rendered examples."""
    cat = ev.load_catalog()
    routes = ev.routes(cat)
    for name in ("strict", "port-specific-models", "access-keys"):
        docs = _example_policies(name)
        ours = Evaluator([Policy(str(i), d) for i, d in enumerate(docs)])
        for route in routes:
            if route.geography not in ("eu", "global", "us"):
                continue
            profile = (
                f"arn:aws:bedrock:{route.source}:123456789012:inference-profile/"
                f"{route.geography}.{route.model}"
            )
            expected = ev.allowed(docs, ev.INVOKE, profile, {"aws:RequestedRegion": route.source})
            got = ours.allowed(Request(ev.INVOKE, profile, {"aws:RequestedRegion": [route.source]}))
            assert got == expected, (name, route)


def test_simulate_names_the_deciding_statement_and_the_exit_code(run_cli: RunCli) -> None:
    out = ROOT / "examples/strict/generated"
    profile = (
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    fm = "arn:aws:bedrock:eu-north-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    ok = run_cli(
        "simulate",
        str(out),
        "--action",
        "bedrock:InvokeModel",
        "--resource",
        fm,
        "--context",
        f"bedrock:InferenceProfileArn={profile}",
    )
    assert ok.code == 0 and ok.out.startswith("allowed: bedrock:InvokeModel")
    assert "AllowFoundationModelsThroughInferenceProfiles" in ok.out
    assert "aws:RequestedRegion=eu-north-1" in ok.out  # taken from the resource
    direct = run_cli("simulate", str(out), "--action", "bedrock:InvokeModel", "--resource", fm)
    assert direct.code == 1 and direct.out.startswith("denied:")
    assert "condition ArnEquals bedrock:InferenceProfileArn" in direct.out
    data = report_data(
        run_cli(
            "simulate",
            str(out),
            "--action",
            "bedrock:InvokeModel",
            "--resource",
            profile,
            "--format",
            "json",
        ).out
    )
    assert data["allowed"] and data["statement"]["sid"] == "AllowInferenceProfiles"


def test_simulate_reports_an_explicit_deny(run_cli: RunCli, tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "All", "Effect": "Allow", "Action": "bedrock:*", "Resource": "*"},
                    {
                        "Sid": "NoUs",
                        "Effect": "Deny",
                        "Action": "bedrock:InvokeModel",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
                    },
                ],
            }
        )
    )
    fm = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
    denied = run_cli("simulate", str(policy), "--action", "bedrock:InvokeModel", "--resource", fm)
    assert denied.code == 1 and "explicitly denied by statement NoUs" in denied.out
    eu = fm.replace("us-east-1", "eu-west-1")
    assert (
        run_cli("simulate", str(policy), "--action", "bedrock:InvokeModel", "--resource", eu).code
        == 0
    )


def test_simulate_usage_errors_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    out = str(ROOT / "examples/strict/generated")
    assert (
        run_cli("simulate", out, "--action", "bedrock:InvokeModel", "--resource", "not-an-arn").code
        == 2
    )
    assert (
        run_cli(
            "simulate",
            out,
            "--action",
            "bedrock:InvokeModel",
            "--resource",
            "*",
            "--context",
            "novalue",
        ).code
        == 2
    )
    assert (
        run_cli("simulate", str(tmp_path / "missing"), "--action", "x:y", "--resource", "*").code
        == 2
    )
    empty = tmp_path / "empty"
    empty.mkdir()  # no policies to ask: invalid input
    assert run_cli("simulate", str(empty), "--action", "x:y", "--resource", "*").code == 1


def test_simulate_trust_policies_with_a_principal(run_cli: RunCli) -> None:
    trust = str(ROOT / "examples/strict/generated/iam/trust-policy.json")
    role = "arn:aws:iam::123456789012:role/port-bedrock-strict"
    port_eu = "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-eu-west-1"
    ok = run_cli(
        "simulate",
        trust,
        "--action",
        "sts:AssumeRole",
        "--resource",
        role,
        "--principal",
        port_eu,
        "--context",
        "sts:ExternalId=strict-2b7e151628aed2a6",
    )
    assert ok.code == 0, ok.out
    wrong_id = run_cli(
        "simulate",
        trust,
        "--action",
        "sts:AssumeRole",
        "--resource",
        role,
        "--principal",
        port_eu,
        "--context",
        "sts:ExternalId=guess",
    )
    assert wrong_id.code == 1
    other = run_cli(
        "simulate",
        trust,
        "--action",
        "sts:AssumeRole",
        "--resource",
        role,
        "--principal",
        "arn:aws:iam::185657066287:role/someone-else",
        "--context",
        "sts:ExternalId=strict-2b7e151628aed2a6",
    )
    assert other.code == 1
