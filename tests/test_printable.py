"""``printable.shown``: untrusted text prints as one visible line, the same on every Python."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedrock_gen.printable import quoted, safe, shown


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("eu.anthropic.claude", "eu.anthropic.claude"),
        ("a\x1b]0;owned\x07b", "a\\x1b]0;owned\\x07b"),
        ("ok\n::error::forged", "ok\\n::error::forged"),
        ("arn\u202e1:2", "arn\\u202e1:2"),
        ("C:\\configs\\app", "C:\\configs\\app"),
        ("C:\\x1b written out", "C:\\x1b written out"),
        ("C:\\x\x1b", "C:\\x\\x1b"),
        ("lone\ud800", "lone\\ud800"),
        ("\u2028", "\\u2028"),
        ("\x9b31m", "\\x9b31m"),
        ("Zürich 東京", "Zürich 東京"),
    ],
)
def test_control_characters_are_escaped_visibly(raw: str, printed: str) -> None:
    assert shown(raw) == printed
    assert safe(raw) is (raw == printed)


@given(st.text())
def test_shown_text_has_no_control_characters_and_is_one_line(text: str) -> None:
    out = shown(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in out for c in "\u2028\u2029\u202e\u2066\ufeff")
    assert out == text or not safe(text)


@given(st.text())
def test_shown_is_idempotent(text: str) -> None:
    assert shown(shown(text)) == shown(text)


def test_quoted_is_the_same_on_every_python_once_shown() -> None:
    assert shown(quoted("gw\n")) == "'gw\\n'"
    assert shown(quoted("\U0001e030")) == "'\U0001e030'"  # a letter Python 3.10 does not know
    assert quoted(["a", 1]) == '["a", 1]' and quoted(None) == "null"
