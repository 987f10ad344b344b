"""Untrusted text made safe to print: the one function every reporter and message uses.

Configs, linted policies, imported AWS outputs, file names and the environment are written by
someone else. Printed raw, an escape sequence in a model ID can retitle a terminal or recolour
text, a newline can forge a second line in a CI log, and a bidirectional override can make a
reviewer read a different ARN than the one granted. ``shown`` escapes every such character
visibly (``\\x1b``, ``\\n``, ``\\u202e``) and leaves everything else as it is.

The table is fixed here rather than taken from ``unicodedata``, whose categories change with
the interpreter's Unicode version: the same input prints the same bytes on every Python.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls; line and paragraph separators; the bidirectional
# embeddings, overrides and isolates; zero-width characters and the BOM (they hide or reorder
# text in a terminal or a review page).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A backslash that could be read as the start of one of our escapes.
_ESCAPE_LIKE = re.compile(r"\\[\\xunrt]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """``text`` as a string that prints as one line with no control characters.

    Backslashes are doubled only where the text holds a character to escape or something that
    reads like an escape (``\\x1b`` written out), so ordinary Windows paths read as written while
    two different strings never print alike: an escape cannot be forged.
    """
    raw = str(text)
    if _UNSAFE.search(raw) is None and _ESCAPE_LIKE.search(raw) is None:
        return raw
    return _UNSAFE.sub(_escape, raw.replace("\\", "\\\\"))


def safe(text: object) -> bool:
    """Whether ``text`` prints as it is (``shown`` leaves it unchanged)."""
    raw = str(text)
    return _UNSAFE.search(raw) is None and _ESCAPE_LIKE.search(raw) is None
