"""A small HCL (and Terraform JSON) writer whose output is ``terraform fmt``-clean as written.

bedrock-gen must not need terraform to render, so the formatting rules of ``terraform fmt``
are reproduced here: two-space indents; one item per line in multi-line lists and objects,
with trailing commas in lists; ``=`` aligned across *consecutive single-line* attributes (a
multi-line value, a blank line or a comment ends the group, and the multi-line attribute is
not aligned). The tests run the real ``terraform fmt -check`` on everything this writes.

Every string from a config passes through ``string`` (HCL) or ``template_literal`` (JSON):
quotes, backslashes and control characters are escaped and ``${``/``%{`` made literal, so no
config value can inject HCL or interpolation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Union

INDENT = "  "
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
KEYWORDS = {"for", "in", "if", "else", "endif", "endfor", "null", "true", "false"}


class Expr(str):
    """A Terraform expression written by bedrock-gen itself (never from a config)."""


class Attr(NamedTuple):
    key: str
    value: Any


class Blank(NamedTuple):
    """An empty line between groups of attributes or blocks."""


class Comment(NamedTuple):
    text: str


class Block(NamedTuple):
    type: str
    labels: tuple[str, ...] = ()
    body: Sequence[Item] = ()


Item = Union[Attr, Blank, Comment, Block]  # noqa: UP007 - a runtime alias on Python 3.10


def template_literal(text: str) -> str:
    """Double the template introducers so the text is taken literally."""
    return text.replace("${", "$${").replace("%{", "%%{")


def string(text: str) -> str:
    """A quoted HCL string literal that evaluates to exactly ``text``.

    ``${`` and ``%{`` are written with a Unicode escape (``\u0024{``, ``\u0025{``): Terraform
    reads that as the literal characters, and unlike the doubled ``$${`` form it also parses in
    HCL tools outside Terraform (python-hcl2, and the scanners built on it) in every position.
    """
    out = []
    for i, ch in enumerate(text):
        if ch in "$%" and text[i + 1:i + 2] == "{":
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
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    """An object key or attribute name: bare when that is unambiguous, quoted otherwise."""
    return name if IDENT.match(name) and name not in KEYWORDS else string(name)


def value_lines(value: Any, depth: int) -> list[str]:
    """Lines of a value; the first goes after ``key = ``, the others are fully indented."""
    pad = INDENT * depth
    if isinstance(value, Expr):
        return [str(value)]
    if isinstance(value, str):
        return [string(value)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if value is None:
        return ["null"]
    if isinstance(value, (int, float)):
        return [repr(value)]
    if isinstance(value, (list, tuple)):
        if not value:
            return ["[]"]
        lines = ["["]
        for item in value:
            inner = value_lines(item, depth + 1)
            inner[0] = INDENT * (depth + 1) + inner[0]
            inner[-1] += ","
            lines += inner
        return [*lines, pad + "]"]
    if isinstance(value, dict):
        if not value:
            return ["{}"]
        body = body_lines([Attr(k, v) for k, v in value.items()], depth + 1)
        return ["{", *body, pad + "}"]
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def body_lines(items: Iterable[Item], depth: int) -> list[str]:
    """The lines of a block body or object, aligned as ``terraform fmt`` aligns them."""
    pad = INDENT * depth
    out: list[str] = []
    group: list[tuple[str, str]] = []  # consecutive single-line attributes

    def flush() -> None:
        width = max((len(k) for k, _ in group), default=0)
        out.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in group)
        group.clear()

    for item in items:
        if isinstance(item, Attr):
            name = key(item.key)
            lines = value_lines(item.value, depth)
            if len(lines) == 1:
                group.append((name, lines[0]))
                continue
            flush()
            out.append(f"{pad}{name} = {lines[0]}")
            out.extend(lines[1:])
        else:
            flush()
            if isinstance(item, Blank):
                out.append("")
            elif isinstance(item, Comment):
                out.extend(f"{pad}# {line}".rstrip() for line in item.text.splitlines())
            else:
                out.extend(block_lines(item, depth))
    flush()
    return out


def block_lines(block: Block, depth: int = 0) -> list[str]:
    pad = INDENT * depth
    head = " ".join([block.type, *(string(label) for label in block.labels)])
    if not block.body:
        return [f"{pad}{head} {{", f"{pad}}}"]
    return [f"{pad}{head} {{", *body_lines(block.body, depth + 1), f"{pad}}}"]


# --------------------------------------------------------------------------------------------
# Terraform JSON syntax (*.tf.json) from the same blocks


def json_value(value: Any, literal: bool = False) -> Any:
    """A value in Terraform JSON syntax: expressions as ``${…}``, strings as literal templates.

    ``literal`` is for places Terraform reads without template evaluation (variable defaults).
    """
    if isinstance(value, Expr):
        return "${" + value + "}"
    if isinstance(value, str):
        return value if literal else template_literal(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v, literal) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v, literal) for k, v in value.items()}
    return value


def json_body(items: Iterable[Item], literal_keys: frozenset[str] = frozenset(),
              bare_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Attr):
            if item.key in bare_keys and isinstance(item.value, Expr):
                body[item.key] = str(item.value)  # e.g. a variable's type: no ${ } wrapper
            else:
                body[item.key] = json_value(item.value, literal=item.key in literal_keys)
        elif isinstance(item, Block):
            target: Any = body.setdefault(item.type, [] if not item.labels else {})
            inner = json_body(item.body, literal_keys)
            if not item.labels:
                target.append(inner)
            else:
                for label in item.labels[:-1]:
                    target = target.setdefault(label, {})
                target[item.labels[-1]] = inner
    return body


def json_document(blocks: Sequence[Item]) -> dict[str, Any]:
    """A whole ``.tf.json`` file from top-level blocks."""
    out: dict[str, Any] = {}
    for item in blocks:
        if not isinstance(item, Block):
            continue
        literal = frozenset({"default"}) if item.type == "variable" else frozenset()
        bare = frozenset({"type"}) if item.type == "variable" else frozenset()
        body = json_body(item.body, literal, bare)
        if item.type == "locals":
            out.setdefault("locals", {}).update(body)
            continue
        target = out.setdefault(item.type, {})
        if not item.labels:
            target.update(body)
            continue
        for label in item.labels[:-1]:
            target = target.setdefault(label, {})
        target[item.labels[-1]] = body
    return out
