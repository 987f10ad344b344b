"""Reviewing access: ``diff`` (what a change adds), ``explain`` (what a config grants), the
organization SCP (written, linted, and checked against a config's routes), and lint judging
broad grants."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, RunCli, report_data

DATA = ROOT / "tests/data"


def _copy(name: str, dest: Path) -> Path:
    shutil.copytree(ROOT / "examples" / name, dest / name)
    return dest / name / "bedrock-gen.yaml"


def test_diff_of_a_change_that_adds_a_model_names_it_and_exits_1(
    run_cli: RunCli, tmp_path: Path
) -> None:
    cfg = _copy("strict", tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(
        cfg.read_text().replace("claude-haiku-4-5, ", "claude-haiku-4-5, claude-opus-4-6, ")
    )
    result = run_cli("diff", str(cfg.parent / "generated"), str(new))
    assert result.code == 1, result.out
    added = [line for line in result.out.splitlines() if line.lstrip().startswith("+")]
    assert any(
        "anthropic.claude-opus-4-6-v1" in line and "eu profile" in line and "eu-north-1" in line
        for line in added
    ), result.out
    assert any("Subscribe" in line and "prod-5ukwuglpt66kg" in line for line in added)
    assert not [
        line
        for line in result.out.splitlines()
        if line.lstrip().startswith("- ") and "anthropic" in line
    ]
    assert "access added" in result.out


def test_diff_that_only_removes_access_exits_0(run_cli: RunCli, tmp_path: Path) -> None:
    cfg = _copy("strict", tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(cfg.read_text().replace("claude-haiku-4-5, ", ""))
    result = run_cli("diff", str(cfg), str(new))
    assert result.code == 0, result.out
    assert "no access added" in result.out
    assert any(
        line.lstrip().startswith("-") and "claude-haiku-4-5" in line
        for line in result.out.splitlines()
    )


def test_diff_of_the_same_access_written_differently_is_empty(run_cli: RunCli) -> None:
    example = ROOT / "examples/port-specific-models"
    result = run_cli("diff", str(example / "generated"), str(example / "bedrock-gen.yaml"))
    assert result.code == 0 and result.out.strip() == "no access changed"


def test_diff_compares_wildcards_by_what_they_allow(run_cli: RunCli) -> None:
    narrow = str(ROOT / "examples/port-specific-models/generated")
    wide = str(ROOT / "examples/port-all-models/generated")
    assert run_cli("diff", wide, narrow).code == 0
    broader = run_cli("diff", narrow, wide, "--format", "json")
    assert broader.code == 1
    data = report_data(broader.out)
    models = {a["model"] for a in data["added"] if a["kind"] == "invoke"}
    assert "bedrock-gen.any-other-model" in models  # models nobody names, too
    assert "amazon.nova-pro-v1:0" in models


def test_diff_catches_a_broad_action_grant(run_cli: RunCli, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["bedrock:InvokeModel"], "Resource": "*"}
                ],
            }
        )
    )
    broad = tmp_path / "broad.json"
    broad.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}],
            }
        )
    )
    result = run_cli("diff", str(base), str(broad), "--format", "markdown")
    assert result.code == 1
    assert "| + | bedrock | action |" in result.out and "CreateAgent" in result.out
    admin = tmp_path / "admin.json"
    admin.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}],
            }
        )
    )
    data = report_data(run_cli("diff", str(base), str(admin), "--format", "json").out)
    assert any(a["action"] == "s3:GetObject" for a in data["added"])
    assert not any(a["action"] == "iam:PassRole" for a in data["added"])


def test_diff_reports_a_new_trusted_principal(run_cli: RunCli, tmp_path: Path) -> None:
    cfg = _copy("strict", tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(cfg.read_text().replace("gateway_regions: [eu]", "gateway_regions: [eu, us]"))
    result = run_cli("diff", str(cfg), str(new))
    assert result.code == 1
    assert "port-ai-bring-your-own-llm-us-east-1" in result.out
    assert "strict-2b7e151628aed2a6" not in result.out  # an external ID is never printed


def test_diff_reports_under_grants_of_the_new_side(run_cli: RunCli) -> None:
    naive = str(ROOT / "tests/lint/bad/javabin-naive-profile.json")
    data = report_data(run_cli("diff", naive, naive, "--format", "json").out)
    assert data["under_grants"], data
    broken = data["under_grants"][0]
    assert broken["geography"] == "eu" and "eu-north-1" in broken["missing"]


def test_diff_against_a_git_ref(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    cfg = _copy("strict", repo)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    assert run_cli("diff", "--base", "HEAD", str(cfg)).code == 0
    cfg.write_text(
        cfg.read_text().replace("claude-haiku-4-5, ", "claude-haiku-4-5, claude-opus-4-6, ")
    )
    changed = run_cli("diff", "--base", "HEAD", str(cfg))
    assert changed.code == 1 and "anthropic.claude-opus-4-6-v1" in changed.out
    missing = run_cli("diff", "--base", "no-such-ref", str(cfg))
    assert missing.code == 1 and "[git]" in missing.out  # an input that cannot be read


def test_diff_usage_errors_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("diff").code == 2
    assert run_cli("diff", "--base", "HEAD").code == 2
    assert run_cli("diff", "a.json").code == 2
    refused = run_cli("diff", "--base", "HEAD", "generated/iam")
    assert refused.code == 2 and "give OLD and NEW" in refused.err
    # files that are not there are invalid input, as for every command
    assert run_cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")).code == 1


def test_explain_shows_routes_direct_calls_guardrails_marketplace_and_trust(
    run_cli: RunCli,
) -> None:
    cfg = str(ROOT / "examples/strict/bedrock-gen.yaml")
    text = run_cli("explain", cfg).out
    assert "eu profile" in text and "global profile" in text and "(Region-less)" in text
    assert "ApplyGuardrail" in text and "prod-mxcfnwvpd6kb4" in text
    assert "port-ai-bring-your-own-llm-eu-west-1" in text
    markdown = run_cli("explain", cfg, "--format", "markdown").out
    assert "#### Summary: bedrock-gateway" in markdown
    assert "<details><summary>What bedrock-gateway grants: models (9 rows)</summary>" in markdown
    data = report_data(run_cli("explain", cfg, "--format", "json").out)
    eu = [
        g
        for g in data["grants"]
        if g["via"] == "eu profile" and g["subject"].startswith("anthropic.claude-sonnet-4-5")
    ]
    assert eu and "eu-south-2" in eu[0]["served"]
    assert data["under_grants"] == [] and data["over_grants"] == []


def test_render_writes_an_scp_that_lints_clean_and_blocks_no_chosen_route(
    run_cli: RunCli, tmp_path: Path
) -> None:
    case = ROOT / "tests/cases/positive/organization-allowed-regions/bedrock-gen.yaml"
    out = tmp_path / "out"
    assert run_cli("render", str(case), "-o", str(out)).code == 0
    scp = out / "iam/scp-bedrock-inference.json"
    assert scp.exists()
    result = run_cli(
        "lint", "--kind", "scp", "--config", str(case), "--fail-on", "SUGGESTION", str(scp)
    )
    assert result.code == 0, result.out
    assert result.out == "bedrock-gen: 0 findings in 1 file\n"


def test_lint_scp_reports_the_chosen_routes_an_existing_scp_blocks(
    run_cli: RunCli, tmp_path: Path
) -> None:
    case = ROOT / "tests/cases/positive/organization-allowed-regions/bedrock-gen.yaml"
    region_deny = tmp_path / "region-deny.json"  # AWS's Organizations example, EU only
    region_deny.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyAllOutsideEU",
                        "Effect": "Deny",
                        "NotAction": ["iam:*", "sts:*"],
                        "Resource": "*",
                        "Condition": {
                            "StringNotEquals": {
                                "aws:RequestedRegion": [
                                    "eu-central-1",
                                    "eu-north-1",
                                    "eu-south-1",
                                    "eu-south-2",
                                    "eu-west-1",
                                    "eu-west-3",
                                ]
                            }
                        },
                    }
                ],
            }
        )
    )
    result = run_cli("lint", "--kind", "scp", "--config", str(case), str(region_deny))
    assert result.code == 1
    assert "[BEDROCK_SCP_BLOCKS_ROUTE]" in result.out
    assert "global.anthropic.claude-sonnet-4-5-20250929-v1:0 called from eu-west-1" in result.out
    assert "unspecified" in result.out
    assert "eu.anthropic" not in result.out  # the geographic routes stay inside the list
    allowing = tmp_path / "with-unspecified.json"
    allowing.write_text(
        region_deny.read_text().replace('"eu-west-3"', '"eu-west-3", "unspecified"')
    )
    assert run_cli("lint", "--kind", "scp", "--config", str(case), str(allowing)).code == 0


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("bedrock-star-on-star.json", "ACCESS_SERVICE_WILDCARD_ACTION"),
        ("star-on-star.json", "ACCESS_ALL_ACTIONS"),
        ("allow-not-action.json", "ACCESS_ALLOW_WITH_NOT_ACTION"),
        ("profile-id-in-model-arn.json", "BEDROCK_PROFILE_ID_IN_MODEL_ARN"),
        ("port-guide-placeholder-external-id.json", "TRUST_EXTERNAL_ID_PLACEHOLDER"),
    ],
)
def test_lint_fails_broad_grants_at_its_default_threshold(
    name: str, code: str, run_cli: RunCli
) -> None:
    result = run_cli("lint", str(ROOT / "tests/lint/bad" / name))
    assert result.code == 1, result.out
    assert f"[{code}]" in result.out
