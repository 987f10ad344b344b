"""IAM wildcard matching in linear time: the matcher agrees with a plain definition on random
patterns, and a hostile pattern (50 ``?*`` pairs) goes through lint, diff and simulate in well
under a second (it took minutes when patterns were backtracking regular expressions)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedrock_gen.iam.arn import action_match, arn_match
from bedrock_gen.iam.evaluate import condition_holds
from bedrock_gen.iam.glob import glob_match
from conftest import ROOT

HOSTILE = "?*" * 50 + "Q"
HOSTILE_ACTION = f"bedrock:{HOSTILE}"
MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0"
LONG_ARN = f"arn:aws:bedrock:eu-west-1::foundation-model/{MODEL}{'x' * 200}"


def reference(pattern: str, value: str) -> bool:
    """IAM's definition, character by character: ``*`` any run (maybe empty), ``?`` one."""

    @functools.cache
    def at(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(value)
        if pattern[i] == "*":
            return at(i + 1, j) or (j < len(value) and at(i, j + 1))
        return j < len(value) and pattern[i] in ("?", value[j]) and at(i + 1, j + 1)

    return at(0, 0)


PATTERNS = st.text(alphabet="ab*?:/", max_size=14)
VALUES = st.text(alphabet="abAB:/*?", max_size=14)


@settings(max_examples=600, deadline=None)
@given(pattern=PATTERNS, value=VALUES)
def test_glob_agrees_with_the_definition_on_random_patterns(pattern: str, value: str) -> None:
    assert glob_match(pattern, value) == reference(pattern, value)


@settings(max_examples=300, deadline=None)
@given(pattern=st.text(alphabet="aB*?", max_size=12), value=st.text(alphabet="AbAb", max_size=12))
def test_glob_ignoring_case_is_the_definition_on_lowered_text(pattern: str, value: str) -> None:
    assert glob_match(pattern, value, ignore_case=True) == reference(pattern.lower(), value.lower())
    assert glob_match(pattern, value) == reference(pattern, value)  # exact otherwise


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.text(alphabet="ab:", max_size=3), min_size=1, max_size=6),
    value=st.text(alphabet="ab:", max_size=16),
)
def test_star_only_patterns_take_the_piece_path_and_agree(pieces: list[str], value: str) -> None:
    pattern = "*".join(pieces)
    assert glob_match(pattern, value) == reference(pattern, value)


def test_iam_case_rules() -> None:
    assert action_match("bedrock:invoke*", "bedrock:InvokeModel")  # actions: any case
    assert not arn_match(
        "arn:aws:bedrock:*::foundation-model/Anthropic.*",
        f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
    )  # ARNs: exact
    ctx = {"aws:PrincipalTag/team": ["Platform"]}
    assert condition_holds("StringLike", "aws:PrincipalTag/team", "Plat*", ctx)
    assert not condition_holds("StringLike", "aws:PrincipalTag/team", "plat*", ctx)
    assert condition_holds("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "platform", ctx)
    assert condition_holds("StringLike", "aws:PrincipalTag/team", "[P]*", {"k": ["x"]}) is False
    assert condition_holds("StringLike", "k", "[P]*", {"k": ["[P]latform"]})  # no classes


def _timed(code: str) -> float:
    """Seconds a fresh interpreter takes for ``code``; fails (does not hang) past 60 s."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
        )
    except subprocess.TimeoutExpired:
        pytest.fail("matching a 50-pair ?* pattern ran for over 60 s")
    assert proc.returncode == 0, proc.stderr
    return time.perf_counter() - start


def test_the_matcher_on_the_hostile_pattern_is_quick() -> None:
    code = (
        "import time\n"
        "from bedrock_gen.iam.glob import glob_match\n"
        "from bedrock_gen.iam.arn import action_match, arn_match\n"
        f"p = {HOSTILE!r}\n"
        "t = time.perf_counter()\n"
        "for n in (60, 600, 6000):\n"
        "    v = 'InvokeModelWithResponseStream' * (n // 30)\n"
        "    assert not glob_match(p, v)\n"
        "    assert glob_match(p[:-1] + 'm', v)\n"
        "    assert not action_match('bedrock:' + p, 'bedrock:' + v)\n"
        f"assert not arn_match('arn:aws:bedrock:*::foundation-model/' + p, {LONG_ARN!r})\n"
        "assert time.perf_counter() - t < 0.5, time.perf_counter() - t\n"
    )
    _timed(code)


def _hostile_policy(path: Path) -> Path:
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [HOSTILE_ACTION, "bedrock:" + "?*" * 50 + "l"],
                "Resource": [
                    f"arn:aws:bedrock:*::foundation-model/{HOSTILE}",
                    f"arn:aws:bedrock:*:*:inference-profile/{'?*' * 50}",
                ],
                "Condition": {"StringLike": {"aws:PrincipalTag/team": HOSTILE}},
            }
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _cli(*args: str) -> tuple[int, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bedrock_gen", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"bedrock-gen {args[0]} ran for over 60 s on a 50-pair ?* pattern")
    return proc.returncode, time.perf_counter() - start, proc.stdout + proc.stderr


# Seconds for the whole command, interpreter start included (typically ~0.2 s; the
# backtracking matcher took minutes): generous for a loaded machine, still a hang detector.
BOUND = 5.0


def test_lint_on_the_hostile_pattern_is_quick(tmp_path: Path) -> None:
    code, took, out = _cli("lint", str(_hostile_policy(tmp_path / "p.json")))
    assert code == 1 and "[INVALID_ACTION]" in out, out
    assert took < BOUND, took


def test_diff_on_the_hostile_pattern_is_quick(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"Version": "2012-10-17", "Statement": []}), encoding="utf-8")
    code, took, out = _cli("diff", str(old), str(_hostile_policy(tmp_path / "new.json")))
    assert code in (0, 1), out
    assert took < 5 * BOUND, took  # diff asks about every call of the catalog


def test_simulate_on_the_hostile_pattern_is_quick(tmp_path: Path) -> None:
    policy = str(_hostile_policy(tmp_path / "p.json"))
    code, took, out = _cli(
        "simulate",
        policy,
        "--action",
        "bedrock:InvokeModel",
        "--resource",
        LONG_ARN,
        "--context",
        "aws:PrincipalTag/team=" + "Q" * 120,
    )
    assert code == 1 and out.startswith("denied:"), out
    assert took < BOUND, took
