"""Fuzzing the commands that read someone else's JSON: lint, catalog import, diff, simulate
(issue 25, item 7).

Inputs are drawn three ways: documents built from IAM's grammar with every element given a
random JSON type and hostile strings; real files (generated policies, saved AWS API outputs)
with bytes flipped, cut or inserted; and the shapes the attack used (deep nesting, long
numbers, lone surrogates, duplicate keys). Whatever comes in, the command exits 0, 1 or 2,
never with "internal error" or a traceback, prints nothing raw that a terminal would obey, and
answers within ``LIMIT`` seconds. ``max_examples`` is kept small: this runs in ``make test``.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from test_hostile_output import assert_printable

LIMIT = 2.0  # seconds per command; the hang the attack found took minutes
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run and machine: no flaky CI
)

POLICIES = sorted(p for e in EXAMPLES for p in (e.parent / "generated/iam").glob("*.json"))
AWS_OUTPUTS = sorted((ROOT / "tests/data/aws").glob("*.json"))
SEEDS = [p.read_bytes() for p in [*POLICIES[:6], *AWS_OUTPUTS]]

HOSTILE_TEXT = st.sampled_from(
    [
        "*",
        "?*?*?*",
        "bedrock:*",
        "bedrock:InvokeModel",
        "sts:AssumeRole",
        "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:*:111122223333:inference-profile/eu.*",
        "arn:aws:iam::111122223333:root",
        "${aws:username}",
        "\x1b]0;x\x07",
        "\r\n::error::x",
        "\u202e",
        "\x9b",
        "\ud800",  # written out as a JSON escape: a lone surrogate
        "",
        " ",
        "é",
    ]
)
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=12))
SCALAR = st.one_of(
    TEXT,
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _element(strings: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An element as IAM's grammar has it (a string or a list of strings), or anything."""
    return st.one_of(strings, st.lists(strings, max_size=4), JSON)


STATEMENT = st.fixed_dictionaries(
    {},
    optional={
        "Sid": st.one_of(st.sampled_from(["A", "B1", ""]), JSON),
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny"]), JSON),
        "Action": _element(HOSTILE_TEXT),
        "NotAction": _element(HOSTILE_TEXT),
        "Resource": _element(HOSTILE_TEXT),
        "NotResource": _element(HOSTILE_TEXT),
        "Principal": st.one_of(
            st.just("*"),
            st.dictionaries(
                st.sampled_from(["AWS", "Service", "Federated", "CanonicalUser", "Foo"]),
                _element(HOSTILE_TEXT),
                max_size=3,
            ),
            JSON,
        ),
        "Condition": st.one_of(
            st.dictionaries(
                st.sampled_from(["StringEquals", "StringLike", "ArnLike", "Bool", "Null", "X"]),
                st.dictionaries(
                    st.sampled_from(["aws:SourceArn", "sts:ExternalId", "aws:RequestedRegion"]),
                    JSON,
                    max_size=3,
                ),
                max_size=3,
            ),
            JSON,
        ),
    },
)
POLICY = st.fixed_dictionaries(
    {},
    optional={
        "Version": st.one_of(st.just("2012-10-17"), JSON),
        "Statement": st.one_of(st.lists(STATEMENT, max_size=3), STATEMENT, JSON),
        "Id": JSON,
    },
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    kind = draw(st.sampled_from(["flip", "truncate", "insert"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(raw) - 1))
            raw[i] = draw(st.integers(0, 255))
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    else:
        i = draw(st.integers(0, len(raw)))
        raw[i:i] = draw(st.sampled_from([b'"a": 1, ', b"[", b"{", b"\\ud800", b"9" * 200, b"\x00"]))
    return bytes(raw)


@st.composite
def shapes(draw: st.DrawFn) -> bytes:
    """What the attack used: deep nesting, long numbers, lone surrogates, duplicate keys."""
    depth = draw(st.integers(1, 3000))
    kind = draw(st.sampled_from(["deep-list", "deep-object", "digits", "surrogate", "duplicate"]))
    if kind == "deep-list":
        return ("[" * depth + "]" * depth).encode()
    if kind == "deep-object":
        return ('{"a":' * depth + "0" + "}" * depth).encode()
    if kind == "digits":
        return ('{"Version": ' + "7" * depth + "}").encode()
    if kind == "surrogate":
        return b'{"Version": "2012-10-17", "Statement": {"Action": "\\udc00"}}'
    return b'{"Version": "2012-10-17", "Version": "2012-10-17"}'


def _as_json(data: Any) -> bytes:
    # ensure_ascii: a lone surrogate the strategy drew is written as its \ud800 escape
    return json.dumps(data).encode()


INPUT = st.one_of(POLICY.map(_as_json), mutated(), shapes())


def run(*args: str) -> tuple[int, str]:
    """The CLI in this process, as the console script runs it; its exit code and output."""
    from bedrock_gen.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    took = time.perf_counter() - start
    text = out.getvalue() + err.getvalue()
    assert took < LIMIT, f"{args[0]} took {took:.1f} s"
    assert code in (0, 1, 2), (code, text[:500])
    assert "internal error" not in text and "Traceback" not in text, text[:1000]
    assert_printable(text, args[0])
    return code, text


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


@FUZZ
@given(data=INPUT, fmt=st.sampled_from(["text", "json", "github", "sarif"]))
def test_lint_answers_any_input_in_bounded_time(
    data: bytes, fmt: str, tmp_path_factory: Any
) -> None:
    folder = tmp_path_factory.mktemp("lint")
    path = _write(folder, "policy.json", data)
    for kind in ("auto", "trust", "scp"):
        run("lint", "--format", fmt, "--kind", kind, path)


@FUZZ
@given(data=INPUT)
def test_catalog_import_answers_any_input_and_writes_only_a_valid_overlay(
    data: bytes, tmp_path_factory: Any
) -> None:
    folder = tmp_path_factory.mktemp("import")
    path = _write(folder, "outputs.json", data)
    overlay = folder / "overlay.json"
    code, _ = run("catalog", "import", path, "-o", str(overlay))
    assert overlay.exists() is (code == 0)
    if code == 0:  # what was written is an overlay the catalog reads back
        run("models", "--catalog", str(overlay))
    run("catalog", "diff", path)


def _readable(data: bytes) -> bool:
    """Whether the evaluator may be handed this input: it is not JSON at all (refused when
    read), or it has the JSON types IAM's grammar allows (``lint.engine.unreadable``)."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.errors import BedrockGenError
    from bedrock_gen.lint.engine import unreadable
    from bedrock_gen.load.files import decode
    from bedrock_gen.load.json_source import loads

    try:
        doc = loads(decode(data, "f"), "f")
    except BedrockGenError:
        return True
    return not unreadable(doc, bundled.load())


def _diff(old: bytes, new: bytes, fmt: str, folder: Path) -> None:
    run("diff", "--format", fmt, _write(folder, "old.json", old), _write(folder, "new.json", new))


@FUZZ
@given(old=INPUT, new=INPUT, fmt=st.sampled_from(["text", "markdown", "json"]))
def test_diff_answers_any_pair_of_readable_inputs(
    old: bytes, new: bytes, fmt: str, tmp_path_factory: Any
) -> None:
    if _readable(old) and _readable(new):
        _diff(old, new, fmt, tmp_path_factory.mktemp("diff"))


@FUZZ
@given(old=INPUT, new=INPUT)
@example(old=b"[]", new=b"[]")
@example(old=b"{}", new=b'{"Statement": [{"Effect": "Allow", "Action": {"a": 1}}]}')
def test_diff_refuses_unreadable_inputs_with_located_errors(
    old: bytes, new: bytes, tmp_path_factory: Any
) -> None:
    if not _readable(new):
        _diff(old, new, "text", tmp_path_factory.mktemp("diff"))


REQUEST = {
    "action": HOSTILE_TEXT | TEXT,
    "resource": st.sampled_from(
        [
            "*",
            "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
            "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.x",
        ]
    )
    | TEXT,
    "context": st.lists(TEXT.map(lambda v: f"aws:RequestedRegion={v}"), max_size=2),
}


def _simulate(data: bytes, action: str, resource: str, context: list[str], folder: Path) -> None:
    args = ["simulate", _write(folder, "policy.json", data), "--action", action]
    args += ["--resource", resource]
    for item in context:
        args += ["--context", item]
    if "\x00" not in "".join(args):  # no process can be given a NUL in its arguments
        run(*args)


@FUZZ
@given(data=INPUT, **REQUEST)
def test_simulate_answers_any_readable_policy_and_request(
    data: bytes, action: str, resource: str, context: list[str], tmp_path_factory: Any
) -> None:
    if _readable(data):
        _simulate(data, action, resource, context, tmp_path_factory.mktemp("sim"))


@FUZZ
@given(data=INPUT, **REQUEST)
@example(data=b"[]", action="*", resource="*", context=[])
@example(data=b'{"Statement": "x"}', action="s3:GetObject", resource="*", context=[])
def test_simulate_refuses_unreadable_policies_with_located_errors(
    data: bytes, action: str, resource: str, context: list[str], tmp_path_factory: Any
) -> None:
    if not _readable(data):
        _simulate(data, action, resource, context, tmp_path_factory.mktemp("sim"))
