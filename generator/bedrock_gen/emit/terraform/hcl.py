"""HCL values and layout: what the templates need besides their own text.

- ``value``: any JSON-like value as an HCL expression (the policy documents, defaults, tags),
  every string escaped so no config value can inject HCL or interpolation: quotes,
  backslashes and control characters are escaped and ``${``/``%{`` written as ``\\u0024{`` /
  ``\\u0025{``, which Terraform and python-hcl2 both read literally.
- ``fmt``: aligns ``=`` across consecutive single-line attributes as ``terraform fmt`` does,
  so templates can be written plainly and still render fmt-clean.
- ``tokens``: a lexer for the HCL bedrock-gen writes, shared with ``tfjson``.

bedrock-gen must not need terraform to render; the tests run the real ``terraform fmt -check``
on everything written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

INDENT = "  "
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")
KEYWORDS = {"for", "in", "if", "else", "endif", "endfor", "null", "true", "false"}


class Expr(str):
    """A Terraform expression written by bedrock-gen itself (never from a config)."""


def string(text: str) -> str:
    """A quoted HCL string literal that evaluates to exactly ``text``."""
    out = []
    for i, ch in enumerate(text):
        if ch in "$%" and text[i + 1 : i + 2] == "{":
            out.append("\\u0024" if ch == "$" else "\\u0025")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif not " " <= ch <= "~":  # pure ASCII output: the same bytes on every Python
            code = ord(ch)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    """An object key: bare when that is unambiguous, quoted otherwise."""
    return name if IDENT.match(name) and name not in KEYWORDS else string(name)


def value(val: Any, depth: int = 0) -> str:
    """``val`` as HCL; continuation lines indented for a value at nesting ``depth``."""
    return "\n".join(_lines(val, depth))


def _lines(val: Any, depth: int) -> list[str]:
    pad = INDENT * depth
    if isinstance(val, Expr):
        return [str(val)]
    if isinstance(val, str):
        return [string(val)]
    if isinstance(val, bool):
        return ["true" if val else "false"]
    if val is None:
        return ["null"]
    if isinstance(val, (int, float)):
        return [repr(val)]
    if isinstance(val, (list, tuple)):
        if not val:
            return ["[]"]
        lines = ["["]
        for item in val:
            inner = _lines(item, depth + 1)
            inner[0] = INDENT * (depth + 1) + inner[0]
            inner[-1] += ","
            lines += inner
        return [*lines, pad + "]"]
    if isinstance(val, dict):
        if not val:
            return ["{}"]
        lines = ["{"]
        for k, v in val.items():
            inner = _lines(v, depth + 1)
            lines.append(f"{INDENT * (depth + 1)}{key(str(k))} = {inner[0]}")
            lines += inner[1:]
        return [*lines, pad + "}"]
    raise TypeError(f"cannot write {type(val).__name__} as HCL")


# --------------------------------------------------------------------------------------------
# lexing


class Token(NamedTuple):
    kind: str  # ident number string op newline comment eof
    text: str
    start: int
    end: int


_SIMPLE = re.compile(
    r"""
    (?P<ws>[ \t]+)
  | (?P<newline>\r?\n)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<number>[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%!<>=?:.,(){}\[\]])
""",
    re.VERBOSE | re.DOTALL,
)


class LexError(ValueError):
    pass


def _string_end(text: str, pos: int) -> int:
    """Index after the closing quote of the string starting at ``pos`` (templates nest)."""
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i + 1
        if ch in "$%" and text.startswith(ch + "{", i + 1):  # $${ and %%{ are literal
            i += 3
            continue
        if ch in "$%" and text.startswith("{", i + 1):
            i = _interpolation_end(text, i + 2)
            continue
        if ch == "\n":
            raise LexError(f"newline in a string at {pos}")
        i += 1
    raise LexError(f"unterminated string at {pos}")


def _interpolation_end(text: str, pos: int) -> int:
    depth = 1
    i = pos
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _string_end(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise LexError(f"unterminated interpolation at {pos}")


def tokens(text: str) -> Iterator[Token]:
    pos = 0
    while pos < len(text):
        if text[pos] == '"':
            end = _string_end(text, pos)
            yield Token("string", text[pos:end], pos, end)
            pos = end
            continue
        m = _SIMPLE.match(text, pos)
        if m is None:
            raise LexError(f"unexpected {text[pos]!r} at {pos}")
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            yield Token(kind, m.group(), pos, m.end())
        pos = m.end()
    yield Token("eof", "", pos, pos)


# --------------------------------------------------------------------------------------------
# terraform fmt's alignment


def fmt(text: str) -> str:
    """Align ``=`` of consecutive single-line attributes at one nesting level, drop trailing
    blanks, and keep at most one blank line in a row."""
    lines = text.split("\n")
    kinds = _line_kinds(lines)
    out: list[str] = []
    group: list[int] = []

    def flush() -> None:
        if group:
            width = max(len(_split_attr(lines[i])[0]) for i in group)
            for i in group:
                name, rest = _split_attr(lines[i])
                lines[i] = f"{name.ljust(width)} = {rest}"
        group.clear()

    for i, kind in enumerate(kinds):
        if kind == "single":
            indent = len(lines[i]) - len(lines[i].lstrip())
            if group and len(lines[group[0]]) - len(lines[group[0]].lstrip()) != indent:
                flush()
            group.append(i)
        else:
            flush()
    flush()
    for line in lines:
        line = line.rstrip()
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out)


def _split_attr(line: str) -> tuple[str, str]:
    """``  name   = value`` as ('  name', 'value')."""
    m = _ATTR.match(line)
    assert m is not None
    return line[: m.end(1)], line[m.end() :].lstrip()


_ATTR = re.compile(r"^\s*(\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)\s")


def _line_kinds(lines: list[str]) -> list[str]:
    """Per line: 'single' (an attribute or object item on one line) or 'other' (anything
    else: blocks, blanks, comments, a multi-line value's first line and its insides)."""
    kinds = []
    for line in lines:
        if _ATTR.match(line) and _balance(line.split("=", 1)[1]) == 0:
            kinds.append("single")
        else:
            kinds.append("other")
    return kinds


def _balance(text: str) -> int:
    """Opened minus closed brackets on a line, strings and comments ignored."""
    n = 0
    try:
        for tok in tokens(text):
            if tok.kind == "op" and tok.text in "([{":
                n += 1
            elif tok.kind == "op" and tok.text in ")]}":
                n -= 1
    except LexError:
        return 0
    return n
