"""``bedrock-gen lint``: no false findings on good policies, the right code on bad ones, and
the generator's own output always passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_gen.access.resolve import resolve
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.diagnostics import Severity
from bedrock_gen.lint.engine import failing, lint_data
from bedrock_gen.lint.generated import lint_generated
from bedrock_gen.lint.rules import ALIASES, RULES, canonical
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate
from conftest import EXAMPLES, ROOT, RunCli, report_data

LINT = Path(__file__).resolve().parent / "lint"
GOOD = sorted((LINT / "good").glob("*.json"))
BAD = sorted((LINT / "bad").glob("*.json"))


# Every policy that allows invoking without a guardrail condition gets this suggestion; the
# tests that want "no findings at all" mean every other rule.
UNGUARDED = "BEDROCK_INVOKE_WITHOUT_GUARDRAIL"


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_policies_have_no_findings_at_all(path: Path, run_cli: RunCli) -> None:
    result = run_cli(
        "lint", "--fail-on", "SUGGESTION", "--ignore", UNGUARDED, path.name, cwd=path.parent
    )
    assert result.out == "bedrock-gen: 0 findings in 1 file\n"
    assert result.code == 0


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_policies_get_their_exact_findings(path: Path, run_cli: RunCli) -> None:
    expected = path.with_suffix(".expected").read_text().splitlines()
    result = run_cli("lint", path.name, cwd=path.parent)
    assert result.out.splitlines() == expected[:-1]
    assert f"exit: {result.code}" == expected[-1]


def test_ports_guardrail_example_is_flagged_as_granting_nothing(run_cli: RunCli) -> None:
    result = run_cli("lint", str(ROOT / "tests/data/port-guide-guardrails.json"))
    assert result.code == 1
    assert "[BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL]" in result.out


def test_generated_documents_are_clean(run_cli: RunCli) -> None:
    """Clean but for the one grant chosen on purpose: models.allow: all is named as granting
    every model, present and future (a warning, below render's self-lint threshold)."""
    files = sorted(str(p) for e in EXAMPLES for p in (e.parent / "generated/iam").glob("*.json"))
    result = run_cli("lint", *files)
    assert result.code == 0, result.out
    result = run_cli("lint", "--fail-on", "SUGGESTION", "--ignore", UNGUARDED, *files)
    lines = result.out.splitlines()
    assert lines[-1].startswith(f"bedrock-gen: {len(lines) - 1} findings in {len(files)} files")
    allow_all = ROOT / "examples/port-all-models/generated/iam/bedrock-invoke-policy.json"
    assert len(lines) == 3 and all(
        line.startswith(f"{allow_all}:")
        and ": warning: " in line
        and "present and future" in line
        and line.endswith("[BEDROCK_WILDCARD_MODEL_GRANT]")
        for line in lines[:-1]
    ), result.out
    others = [f for f in files if f != str(allow_all)]
    clean = run_cli("lint", "--fail-on", "SUGGESTION", "--ignore", UNGUARDED, *others)
    assert clean.code == 0 and clean.out == f"bedrock-gen: 0 findings in {len(others)} files\n"


MODELS = sorted(m.id for m in catalog_mod.load().models if m.profiles)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    models=st.lists(st.sampled_from(MODELS), min_size=1, max_size=4, unique=True),
    geos=st.sets(st.sampled_from(["us", "eu", "apac", "jp", "au", "global"]), min_size=1),
    account=st.booleans(),
    region=st.sampled_from([None, "us-east-1", "eu-west-1", "ap-northeast-1"]),
    guard=st.booleans(),
    market=st.booleans(),
)
def test_random_configs_render_lint_clean_documents(
    models: list[str], geos: set[str], account: bool, region: str | None, guard: bool, market: bool
) -> None:
    cfg: dict[str, Any] = {
        "version": 1,
        "name": "gw",
        "models": {"ids": models, "geographies": sorted(geos)},
        "marketplace": {"subscribe": market},
        "auth": {"mode": "assume_role", "external_id": "ext-123"},
    }
    if account:
        cfg["account_id"] = "123456789012"
    if region:
        cfg["regions"] = [region]
    if guard:
        cfg["guardrails"] = ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123"]
    config, _ = validate(load_text(json.dumps(cfg), "c.yaml"), catalog_mod.load(), {})
    if config is None:
        return
    docs = resolve(config, catalog_mod.load())
    findings = [d for d in lint_generated(docs, catalog_mod.load(), 2048) if d.code != UNGUARDED]
    assert findings == [], [d.format_text() for d in findings]


def test_every_rule_has_a_code_type_description_source_and_fix() -> None:
    for code, rule in RULES.items():
        assert code == rule.code and code.isupper()
        assert rule.severity.finding_type in ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")
        assert rule.description.endswith(".") and rule.source.startswith("https://")
        assert rule.hint


def test_list_rules(run_cli: RunCli) -> None:
    text = run_cli("lint", "--list-rules").out
    assert all(code in text for code in RULES)
    data = report_data(run_cli("lint", "--list-rules", "--format", "json").out)
    assert {r["code"] for r in data} == set(RULES)


def test_fail_on_is_a_threshold() -> None:
    everything = lint_data(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["bedrock:*", "bedrock:*"], "Resource": "*"}
            ],
        },
        "x.json",
        catalog_mod.load(),
    )
    found = {d.severity for d in everything}
    assert {Severity.SECURITY_WARNING, Severity.SUGGESTION} <= found
    assert {d.severity for d in failing(everything, Severity.SECURITY_WARNING)} == {
        Severity.SECURITY_WARNING
    }
    assert {d.severity for d in failing(everything, Severity.SUGGESTION)} == found
    assert failing(everything, Severity.ERROR) == []


def test_codes_of_earlier_releases_still_name_their_rule() -> None:
    for old, new in ALIASES.items():
        assert canonical(old) == new and canonical(old.lower()) == new


def test_fail_on_changes_the_exit_code(run_cli: RunCli) -> None:
    path = str(LINT / "bad/missing-version.json")
    assert run_cli("lint", path).code == 0
    assert run_cli("lint", "--fail-on", "WARNING", path).code == 1


def test_findings_can_be_ignored_by_flag_and_by_config(run_cli: RunCli, tmp_path: Path) -> None:
    path = str(LINT / "bad/port-guide-guardrails.json")
    assert run_cli("lint", "--ignore", "BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL", path).code == 0
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(
        "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "auth: {mode: access_keys}\n"
        "lint: {ignore: [BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL]}\n"
    )
    assert run_cli("lint", "--config", str(cfg), path).code == 0
    assert run_cli("lint", "--ignore", "NOPE", path).code == 2


def test_unknown_lint_code_in_config_is_located(run_cli: RunCli, tmp_path: Path) -> None:
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(
        "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [eu]}\n"
        "auth: {mode: access_keys}\nlint:\n  ignore: [REDUNDANT_RESOURCES]\n"
    )
    result = run_cli("validate", str(cfg))
    assert result.code == 1
    assert (
        f"{cfg}:6:12: error: unknown lint code 'REDUNDANT_RESOURCES'; did you mean "
        "'REDUNDANT_RESOURCE'?"
    ) in result.out


def test_many_files_in_one_call_each_reported(run_cli: RunCli) -> None:
    files = [
        str(LINT / "bad/duplicate-sid.json"),
        str(LINT / "good/aws-global-example.json"),
        str(LINT / "bad/json-syntax.json"),
    ]
    result = run_cli("lint", *files)
    assert result.code == 1
    assert "duplicate-sid.json:11:14: error:" in result.out
    assert "json-syntax.json:2:22: error: invalid JSON" in result.out
    assert "3 files" in result.out


def test_lint_reporters(run_cli: RunCli) -> None:
    path = str(LINT / "bad/javabin-naive-profile.json")
    data = json.loads(run_cli("lint", "--format", "json", "--ignore", UNGUARDED, path).out)
    (finding,) = data["files"][0]["diagnostics"]
    assert finding["code"] == "BEDROCK_MISSING_DESTINATION_MODELS" and finding["line"] == 12
    gh = run_cli("lint", "--format", "github", "--ignore", UNGUARDED, path).out
    assert gh.startswith(
        f"::error file={path},line=12,col=9,title=bedrock-gen BEDROCK_MISSING_DESTINATION_MODELS::"
    )
    sarif = json.loads(run_cli("lint", "--format", "sarif", "--ignore", UNGUARDED, path).out)
    (res,) = sarif["runs"][0]["results"]
    assert res["ruleId"] == "BEDROCK_MISSING_DESTINATION_MODELS"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].startswith("https://")


def test_no_traceback_on_hostile_json(run_cli: RunCli, tmp_path: Path) -> None:
    for i, text in enumerate(
        [
            "",
            "[" * 5000,
            '{"a": "\\ud800"}',
            "\x00",
            '{"Statement": 5}',
            "null",
            '{"Statement": [{"Action": {"x": 1}, "Resource": 3}]}',
        ]
    ):
        f = tmp_path / f"h{i}.json"
        f.write_text(text)
        result = run_cli("lint", str(f))
        assert result.code in (0, 1), (text[:20], result.out, result.err)
        assert "Traceback" not in result.out + result.err


def test_scps_get_their_own_grammar_and_quota(run_cli: RunCli, tmp_path: Path) -> None:
    """SCPs allow a wildcard only at the end of an action, and hold 5,120 characters."""
    wildcard = tmp_path / "scp-wildcard.json"
    wildcard.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Deny", "Action": "bedrock:Invoke*Stream", "Resource": "*"}
                ],
            }
        )
    )
    result = run_cli("lint", "--kind", "scp", str(wildcard))
    assert result.code == 1 and "[SCP_SYNTAX_ERROR_ACTION_WILDCARD]" in result.out
    large = tmp_path / "scp-large.json"
    regions = [f"xx-region-{i}" for i in range(500)]
    large.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "*",
                        "Resource": "*",
                        "Condition": {"StringNotEquals": {"aws:RequestedRegion": regions}},
                    }
                ],
            }
        )
    )
    result = run_cli("lint", "--kind", "scp", str(large))
    assert result.code == 1 and "[POLICY_SIZE_EXCEEDS_SCP_QUOTA]" in result.out
