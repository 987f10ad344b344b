"""JSON input, read one way everywhere: bounded, strict, and located when it is wrong.

Every JSON file bedrock-gen reads (a policy to lint, a saved AWS API output to import, a
catalog overlay, a manifest, a committed policy at a git ref) comes from someone else and goes
through here, so one set of rules holds for all of them:

- at most ``MAX_DEPTH`` levels of nesting (a 100,000-deep file is refused, not a recursion);
- numbers of at most ``MAX_NUMBER_CHARS`` characters (no 5,000-digit integer reaches ``int``);
- no lone UTF-16 surrogate (``"\\ud800"``): it is half a character, and cannot be printed,
  encoded as UTF-8 or sent to AWS;
- no duplicate key in an object (``json.loads`` silently keeps the last ``"Effect"``): the
  error names both places;
- no ``NaN``/``Infinity`` and nothing after the document.

``loads`` keeps the line and column of every value and key (a ``Document``, as the YAML loader
returns). ``parse`` gives the plain data with the standard library's C parser, which is ~20x
faster on the megabyte outputs of a many-Region import, and parses again with the locating
parser only when the input is refused, so that the one error still names its line and column.
``locate`` finds where a value of a known JSON text is (the generator's own files).
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import Any

from bedrock_gen.diagnostics import Location, error
from bedrock_gen.errors import ConfigError
from bedrock_gen.load.document import Document, PathKey
from bedrock_gen.load.files import MAX_BYTES, decode, read_limited

__all__ = [
    "MAX_DEPTH",
    "MAX_NUMBER_CHARS",
    "load_file",
    "loads",
    "locate",
    "parse",
    "parse_bytes",
    "read_data",
]

MAX_DEPTH = 64
# IAM's numbers (NumericEquals values, session durations) and AWS's outputs are short; a JSON
# number longer than this is an attack on int(), which is quadratic in the digits.
MAX_NUMBER_CHARS = 100
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
# A JSON string as RFC 8259 defines it; json.loads then decodes the escapes.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_SURROGATE = re.compile("[\ud800-\udfff]")
# An escape that may decode to a surrogate: only then can a decoded string hold one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_CODE = "JSON_SYNTAX_ERROR"  # IAM Access Analyzer's code for the same finding


class _Fail(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def _surrogate_message(text: str) -> str:
    bad = _SURROGATE.search(text)
    assert bad is not None
    return (
        f"a string holds a lone UTF-16 surrogate (U+{ord(bad.group()):04X}), half of a "
        "character: write the character itself, or both halves of its pair"
    )


class _Parser:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.doc = Document(file, None)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, pos: int) -> Location:
        line = bisect.bisect_right(self.line_starts, pos) - 1
        return Location(line + 1, pos - self.line_starts[line] + 1)

    def ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def value(self, pos: int, path: PathKey, depth: int) -> tuple[Any, int]:
        pos = self.ws(pos)
        if depth > MAX_DEPTH:
            raise _Fail(f"JSON nesting is deeper than {MAX_DEPTH} levels", pos)
        self.doc.values[path] = self.loc(pos)
        ch = self.text[pos : pos + 1]
        if ch == "{":
            return self.obj(pos + 1, path, depth)
        if ch == "[":
            return self.arr(pos + 1, path, depth)
        if ch == '"':
            return self.string(pos)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, pos):
                return val, pos + len(word)
        m = _NUMBER.match(self.text, pos)
        if m and m.end() > pos:
            num = m.group()
            if len(num) > MAX_NUMBER_CHARS:
                raise _Fail(
                    f"a number of {len(num):,} characters; numbers in these files have at "
                    f"most {MAX_NUMBER_CHARS}",
                    pos,
                )
            return (float(num) if any(c in num for c in ".eE") else int(num)), m.end()
        raise _Fail("expected a JSON value" if ch else "unexpected end of the file", pos)

    def string(self, pos: int) -> tuple[str, int]:
        m = _STRING.match(self.text, pos)
        if m is None:
            end = self.text.find('"', pos + 1)
            bad = pos + 1
            while (
                bad < len(self.text)
                and bad != end
                and (self.text[bad] >= " " and self.text[bad] != "\\")
            ):
                bad += 1
            if end == -1:
                raise _Fail("unterminated string", pos)
            raise _Fail("invalid control character or escape in a string", bad)
        value: str = json.loads(m.group())
        if _SURROGATE.search(value):
            raise _Fail(_surrogate_message(value), pos)
        return value, m.end()

    def obj(self, pos: int, path: PathKey, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        seen: dict[str, Location] = {}
        pos = self.ws(pos)
        if self.text.startswith("}", pos):
            return out, pos + 1
        while True:
            pos = self.ws(pos)
            if not self.text.startswith('"', pos):
                raise _Fail("expected a key in double quotes", pos)
            key_pos = pos
            key_loc = self.loc(pos)
            key, pos = self.string(pos)
            if key in seen:
                first = seen[key]
                raise _Fail(
                    f"duplicate key '{key}' (first at line {first.line}, column "
                    f"{first.column}); JSON readers keep only one of them, and which one "
                    "differs from tool to tool",
                    key_pos,
                )
            seen[key] = key_loc
            key_path = (*path, key)
            self.doc.keys[key_path] = key_loc
            pos = self.ws(pos)
            if not self.text.startswith(":", pos):
                raise _Fail("expected ':' after the key", pos)
            out[key], pos = self.value(pos + 1, key_path, depth + 1)
            pos = self.ws(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("}", pos):
                return out, pos + 1
            raise _Fail("expected ',' or '}'", pos)

    def arr(self, pos: int, path: PathKey, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        pos = self.ws(pos)
        if self.text.startswith("]", pos):
            return out, pos + 1
        while True:
            item, pos = self.value(pos, (*path, len(out)), depth + 1)
            out.append(item)
            pos = self.ws(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("]", pos):
                return out, pos + 1
            raise _Fail("expected ',' or ']'", pos)


def loads(text: str, file: str) -> Document:
    """Parse JSON text; raise ``ConfigError`` with a located diagnostic on any problem."""
    parser = _Parser(text.removeprefix("\ufeff"), file)
    try:
        raw = _SURROGATE.search(parser.text)  # only a caller's own str can hold one unescaped
        if raw is not None:
            raise _Fail(_surrogate_message(raw.group()), raw.start())
        data, pos = parser.value(0, (), 0)
        pos = parser.ws(pos)
        if pos != len(parser.text):
            raise _Fail("unexpected text after the JSON document", pos)
    except _Fail as exc:
        raise ConfigError(
            [error(_CODE, f"invalid JSON: {exc.message}", file, parser.loc(exc.pos))]
        ) from None
    parser.doc.data = data
    return parser.doc


class _Refused(ValueError):
    """The fast parser met something the rules refuse; the locating parser says where."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused("duplicate key")
    return out


def _number(text: str, kind: type) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused("number too long")
    return kind(text)


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not JSON")


def _within_limits(data: Any, surrogates_possible: bool) -> bool:
    """Depth at most MAX_DEPTH, and (when an escape could have made one) no lone surrogate;
    without recursion, so that a deep document cannot overflow the stack here either."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH and value:
                return False
            for k, v in value.items():
                if surrogates_possible and _SURROGATE.search(k):
                    return False
                stack.append((v, depth + 1))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH and value:
                return False
            stack.extend((v, depth + 1) for v in value)
        elif surrogates_possible and isinstance(value, str) and _SURROGATE.search(value):
            return False
    return True


def parse(text: str, file: str) -> Any:
    """The plain data of a JSON text, with the same refusals (and the same located errors) as
    ``loads``, at the C parser's speed."""
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=lambda s: _number(s, int),
            parse_float=lambda s: _number(s, float),
            parse_constant=_constant,
        )
        if _within_limits(data, _SURROGATE_ESCAPE.search(text) is not None) and not (
            _SURROGATE.search(text)
        ):
            return data
    except (ValueError, RecursionError):
        pass
    loads(text, file)  # raises the located error
    # The two parsers agree on every rule; should they ever not, refuse rather than guess.
    raise ConfigError([error(_CODE, "invalid JSON", file, None)])  # pragma: no cover


def parse_bytes(data: bytes, file: str) -> Any:
    """``parse`` of a file's bytes: UTF-8 (or BOM-marked UTF-16/32), strictly decoded."""
    return parse(decode(data, file), file)


def read_data(
    path: str | Path, name: str | None = None, what: str = "a JSON file", limit: int = MAX_BYTES
) -> tuple[bytes, Any]:
    """A regular JSON file of at most ``limit`` bytes: its bytes and its plain data."""
    shown_name = name if name is not None else str(path)
    raw = read_limited(path, shown_name, what, limit)
    return raw, parse_bytes(raw, shown_name)


def load_file(
    path: str,
    display: str | None = None,
    what: str = "an IAM policy document",
    limit: int = 1024 * 1024,
) -> Document:
    """A regular JSON file, located (every value knows its line and column)."""
    name = display or path
    return loads(decode(read_limited(path, name, what, limit), name), name)


def locate(text: str, path: PathKey, key: bool = False) -> Location | None:
    """Where the value at ``path`` (or, with ``key``, the key leading to it) is in ``text``;
    None when ``text`` is not valid JSON or ``path`` is not in it. For the generator's own
    files, whose findings must point at a line and column too."""
    try:
        doc = loads(text, "")
    except ConfigError:
        return None
    where = doc.keys if key else doc.values
    return where.get(tuple(path))
