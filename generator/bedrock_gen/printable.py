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


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """``text`` as a string that prints as one line with no control characters.

    Idempotent (``shown(shown(x)) == shown(x)``), so a message built from already-shown parts
    and shown again at the print boundary is escaped once. Backslashes are left as written:
    a literal ``\\x1b`` in an input prints as those four harmless characters.
    """
    raw = str(text)
    if _UNSAFE.search(raw) is None:
        return raw
    return _UNSAFE.sub(_escape, raw)


def safe(text: object) -> bool:
    """Whether ``text`` prints as it is (``shown`` leaves it unchanged)."""
    return _UNSAFE.search(str(text)) is None


def quoted(value: object) -> str:
    """A value as a message quotes it: ``'text'`` for a string, its characters as they are
    (the reporters print every message through ``shown``, once; ``repr`` would escape by the
    interpreter's Unicode tables), JSON for the rest (``1``, ``true``, ``null``, ``["a"]``)."""
    if isinstance(value, str):
        return f"'{value}'"
    import json

    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return f"'{value}'"
