"""Data-driven configs: ``cases/negative/<case>`` must fail with exactly ``expected.txt``;
``cases/positive/<case>`` must validate (with exactly the warnings in ``expected.txt``).

Each negative case pins one rule with a failing input and its exact message. To add one, make
the folder with a ``bedrock-gen.yaml`` and write the expected output by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, RunCli

NEGATIVE = sorted(p.parent for p in (CASES / "negative").glob("*/bedrock-gen.yaml"))
POSITIVE = sorted(p.parent for p in (CASES / "positive").glob("*/bedrock-gen.yaml"))


def _expected(case: Path) -> tuple[list[str], int]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("exit: ")
    return lines[:-1], int(lines[-1].split()[1])


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda p: p.name)
def test_negative_case_fails_with_its_exact_message(
    case: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "/root")
    lines, code = _expected(case)
    result = run_cli("validate", "bedrock-gen.yaml", cwd=case)
    assert result.out.splitlines() == lines
    assert result.code == code == 1
    assert "Traceback" not in result.out + result.err
    errors = [line for line in result.out.splitlines() if ": error: " in line]
    assert errors, "a negative case must report at least one error"


@pytest.mark.parametrize("case", POSITIVE, ids=lambda p: p.name)
def test_positive_case_validates(
    case: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "/root")
    lines, code = _expected(case)
    result = run_cli("validate", "bedrock-gen.yaml", cwd=case)
    assert result.out.splitlines() == lines
    assert result.code == code == 0


@pytest.mark.parametrize("case", POSITIVE, ids=lambda p: p.name)
def test_positive_case_renders(
    case: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "/root")
    result = run_cli("render", str(case / "bedrock-gen.yaml"), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.out
    assert list((tmp_path / "out" / "iam").glob("*.json"))


def test_every_error_code_of_the_config_rules_has_a_negative_case() -> None:
    codes = set()
    for case in NEGATIVE:
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            if ": error: " in line:
                codes.add(line.rsplit("[", 1)[1].rstrip("]"))
    must = {
        "yaml-syntax",
        "yaml-duplicate-key",
        "yaml-tag",
        "yaml-too-large",
        "yaml-too-deep",
        "yaml-multiple-documents",
        "config-empty",
        "config-not-mapping",
        "file-encoding",
        "unknown-key",
        "missing-key",
        "wrong-type",
        "invalid-value",
        "account-id-number",
        "unknown-region",
        "unknown-model",
        "wrong-model-id",
        "profile-id-as-model",
        "model-id-lookalike",
        "model-not-in-geography",
        "region-cannot-call-geography",
        "external-id",
        "auth-contradiction",
        "no-models",
        "no-geographies",
        "guardrail-enforce-region",
        "guardrail-profile",
        "external-id-missing",
        "external-id-required",
        "mixed-partitions",
        "principal-wildcard",
        "principal-account-root",
        "invalid-tag",
        "invalid-path",
        "model-needs-profile",
        "policy-too-large",
    }
    assert must <= codes, must - codes
