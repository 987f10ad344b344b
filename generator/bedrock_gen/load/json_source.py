"""JSON parsing that keeps the line and column of every value and key.

``json.loads`` forgets positions and silently keeps the last of duplicate keys; a linter must
point at the offending line and must not hide a duplicate ``"Effect"``. The result is the same
``Document`` the YAML loader returns, so both share ``locate`` and diagnostics.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from bedrock_gen.diagnostics import Location, error
from bedrock_gen.errors import ConfigError
from bedrock_gen.load.document import Document, PathKey
from bedrock_gen.load.files import read_text

MAX_DEPTH = 64
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
# A JSON string as RFC 8259 defines it; json.loads then decodes the escapes.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')


class _Fail(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


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
            key_loc = self.loc(pos)
            key, pos = self.string(pos)
            if key in seen:
                raise _Fail(
                    f"duplicate key '{key}' (first at line {seen[key].line}); IAM "
                    "would use only one of them",
                    self.line_pos(key_loc),
                )
            seen[key] = key_loc
            key_path = (*path, key)
            self.doc.keys[key_path] = key_loc
            pos = self.ws(pos)
            if not self.text.startswith(":", pos):
                raise _Fail("expected ':' after the key", pos)
            out[key], pos = self.value(pos + 1, (*path, key), depth + 1)
            pos = self.ws(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("}", pos):
                return out, pos + 1
            raise _Fail("expected ',' or '}'", pos)

    def line_pos(self, loc: Location) -> int:
        return self.line_starts[loc.line - 1] + loc.column - 1

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
        data, pos = parser.value(0, (), 0)
        pos = parser.ws(pos)
        if pos != len(parser.text):
            raise _Fail("unexpected text after the JSON document", pos)
    except _Fail as exc:
        raise ConfigError(
            [error("JSON_SYNTAX", f"invalid JSON: {exc.message}", file, parser.loc(exc.pos))]
        ) from None
    parser.doc.data = data
    return parser.doc


def load_file(
    path: str,
    display: str | None = None,
    what: str = "an IAM policy document",
    limit: int = 1024 * 1024,
) -> Document:
    name = display or path
    return loads(read_text(path, name, what, limit), name)
