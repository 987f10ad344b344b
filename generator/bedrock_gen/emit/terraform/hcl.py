"""HCL values, and the writer that lays out ``blocks`` as ``terraform fmt`` would.

- ``string``/``value``: any JSON-like value as an HCL expression (the policy documents,
  defaults, tags), every string escaped so no config value can inject HCL or interpolation:
  quotes, backslashes and control characters are escaped and ``${``/``%{`` written as
  ``\\u0024{`` / ``\\u0025{``, which Terraform and python-hcl2 both read literally. Output is
  pure ASCII: the same bytes on every Python.
- ``Expr`` (an expression bedrock-gen writes itself, never from a config), ``Template`` (a
  quoted string template), ``Inline``/``InlineList`` (a collection written on one line).
- ``write``: a body of ``blocks`` items as text, ``=`` aligned across consecutive single-line
  attributes (and object items) at one level, as ``terraform fmt`` aligns them.

bedrock-gen must not need terraform to render; the tests run the real ``terraform fmt -check``
on everything written here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bedrock_gen.emit.terraform.blocks import (
    Attr,
    Blank,
    Block,
    Comment,
    Expr,
    For,
    Inline,
    InlineList,
    Item,
    Template,
)

__all__ = [
    "Expr",
    "For",
    "Inline",
    "InlineList",
    "Template",
    "inline",
    "key",
    "string",
    "value",
    "write",
]

INDENT = "  "
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")
KEYWORDS = {"for", "in", "if", "else", "endif", "endfor", "null", "true", "false"}


# What string() escapes: quotes, backslashes, anything but printable ASCII, and the $ or % that
# would start an interpolation or directive.
_ESCAPED = re.compile(r'["\\]|[^ -~]|[$%](?=\{)')
_SIMPLE = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "$":
        return "\\u0024"
    if ch == "%":
        return "\\u0025"
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    code = ord(ch)  # pure ASCII output: the same bytes on every Python
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def string(text: str) -> str:
    """A quoted HCL string literal that evaluates to exactly ``text``."""
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def key(name: str) -> str:
    """An object key: bare when that is unambiguous, quoted otherwise (a ``Template`` key is
    bedrock-gen's own interpolation, written as it is)."""
    if isinstance(name, Template):
        return '"' + name + '"'
    return name if IDENT.match(name) and name not in KEYWORDS else string(name)


def inline(val: Any) -> str:
    """``val`` as HCL on one line (collections with commas): for an expression inside a
    Terraform JSON string."""
    if isinstance(val, For):
        return f"[{val.head} : {inline(val.item)}]"
    if isinstance(val, dict) and val:
        return "{ " + ", ".join(f"{key(k)} = {inline(v)}" for k, v in val.items()) + " }"
    if isinstance(val, (list, tuple)) and not isinstance(val, InlineList) and val:
        return "[" + ", ".join(inline(v) for v in val) + "]"
    return value(val)


def value(val: Any, depth: int = 0) -> str:
    """``val`` as HCL; continuation lines indented for a value at nesting ``depth``."""
    return "\n".join(_lines(val, depth))


def _lines(val: Any, depth: int) -> list[str]:
    pad = INDENT * depth
    if isinstance(val, Template):
        return ['"' + val + '"']
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
    if isinstance(val, For):
        inner = _lines(val.item, depth)
        if len(inner) == 1:
            return [f"[{val.head} : {inner[0]}]"]
        return [f"[{val.head} : {inner[0]}", *inner[1:-1], inner[-1] + "]"]
    if isinstance(val, InlineList):
        return ["[" + ", ".join(value(v) for v in val) + "]"]
    if isinstance(val, Inline):
        items = ", ".join(f"{key(k)} = {value(v)}" for k, v in val.items())
        return ["{ " + items + " }"]
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
        pairs = [(key(k), _lines(v, depth + 1)) for k, v in val.items()]
        widths = _widths([(k, len(v) == 1) for k, v in pairs])
        lines = ["{"]
        for (k, inner), width in zip(pairs, widths, strict=True):
            lines.append(f"{INDENT * (depth + 1)}{k.ljust(width)} = {inner[0]}")
            lines += inner[1:]
        return [*lines, pad + "}"]
    raise TypeError(f"cannot write {type(val).__name__} as HCL")


def _widths(items: Sequence[tuple[str | None, bool]]) -> list[int]:
    """The padded width of each name: consecutive single-line attributes (name, True) align
    on the longest name among them; anything else (None: a block, comment or blank line)
    ends the run."""
    widths = [0] * len(items)
    run: list[int] = []
    longest = 0
    for i, (name, single) in enumerate(items):
        if name is not None and single:
            run.append(i)
            longest = max(longest, len(name))
        elif run:
            for j in run:
                widths[j] = longest
            run, longest = [], 0
    for j in run:
        widths[j] = longest
    return widths


def write(body: Sequence[Item], depth: int = 0) -> str:
    """A file (or a block's body at ``depth``) as HCL text, without the final newline."""
    return "\n".join(_body(body, depth))


def _body(body: Sequence[Item], depth: int) -> list[str]:
    pad = INDENT * depth
    rendered: list[tuple[str | None, bool, list[str]]] = []
    for item in body:
        if isinstance(item, Attr):
            lines = _lines(item.value, depth)
            rendered.append((item.name, len(lines) == 1, lines))
        elif isinstance(item, Block):
            head = " ".join([item.type, *(string(label) for label in item.labels)])
            if not item.body:
                rendered.append((None, False, [f"{pad}{head} {{}}"]))
            else:
                inner = _body(item.body, depth + 1)
                rendered.append((None, False, [f"{pad}{head} {{", *inner, f"{pad}}}"]))
        elif isinstance(item, Comment):
            rendered.append((None, False, [pad + line for line in item.lines]))
        elif isinstance(item, Blank):
            rendered.append((None, False, [""]))
    widths = _widths([(name, single) for name, single, _ in rendered])
    out: list[str] = []
    for (name, _single, lines), width in zip(rendered, widths, strict=True):
        if name is None:
            out += lines
        else:
            out.append(f"{pad}{name.ljust(width)} = {lines[0]}")
            out += lines[1:]
    return out
