"""``simulate --action`` takes only actions IAM has: an API operation's name is refused with the
action IAM checks instead, a typo with a did-you-mean (exit 2, a usage error), never "denied"."""

from __future__ import annotations

import pytest

from conftest import ROOT, RunCli

OUT = str(ROOT / "examples/strict/generated")
FM = "arn:aws:bedrock:eu-north-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"


def _simulate(run_cli: RunCli, action: str, resource: str = FM) -> tuple[int, str]:
    result = run_cli("simulate", OUT, "--action", action, "--resource", resource)
    return result.code, result.out + result.err


def test_converse_is_refused_naming_invoke_model(run_cli: RunCli) -> None:
    code, out = _simulate(run_cli, "bedrock:Converse")
    assert code == 2, out
    assert "IAM authorizes Converse as bedrock:InvokeModel" in out
    assert "simulate --action bedrock:InvokeModel" in out
    assert "denied" not in out


def test_converse_stream_names_invoke_model_with_response_stream(run_cli: RunCli) -> None:
    code, out = _simulate(run_cli, "bedrock:ConverseStream")
    assert code == 2
    assert "IAM authorizes ConverseStream as bedrock:InvokeModelWithResponseStream" in out


def test_on_a_guardrail_converse_names_apply_guardrail(run_cli: RunCli) -> None:
    guard = "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abcd1234efgh"
    code, out = _simulate(run_cli, "bedrock:Converse", guard)
    assert code == 2 and "IAM authorizes Converse as bedrock:ApplyGuardrail" in out


@pytest.mark.parametrize(
    ("action", "meant"),
    [
        ("bedrock:InvokeModle", "bedrock:InvokeModel"),
        ("bedrock:invokemodelwithresponsestreem", "bedrock:InvokeModelWithResponseStream"),
        ("bedrok:InvokeModel", "bedrock:InvokeModel"),
        ("sts:AssumeRol", "sts:AssumeRole"),
    ],
)
def test_a_typo_gets_a_did_you_mean(run_cli: RunCli, action: str, meant: str) -> None:
    code, out = _simulate(run_cli, action)
    assert code == 2, out
    assert f"did you mean {meant}?" in out


def test_an_unknown_action_without_a_near_name_is_refused(run_cli: RunCli) -> None:
    code, out = _simulate(run_cli, "bedrock:Frobnicate")
    assert code == 2 and "bedrock has no action Frobnicate" in out


@pytest.mark.parametrize("action", ["bedrock:Invoke*", "bedrock:Invoke?odel", "InvokeModel", ":x"])
def test_patterns_and_malformed_actions_are_usage_errors(run_cli: RunCli, action: str) -> None:
    assert _simulate(run_cli, action)[0] == 2


def test_actions_iam_has_are_simulated_in_any_case(run_cli: RunCli) -> None:
    profile = (
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    code, out = _simulate(run_cli, "bedrock:invokemodel", profile)
    assert code == 0 and out.startswith("allowed:"), out
    # services not in the data are not second-guessed
    assert _simulate(run_cli, "s3:GetObject", "arn:aws:s3:::bucket/key")[0] == 1
