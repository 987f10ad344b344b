"""Reading back the HCL bedrock-gen writes: as Terraform JSON (``*.tf.json``), and as the
module structure its terraform-docs README lists.

The templates are the module's one shape; the JSON flavour is that same text converted, so the
two can never disagree. The parser covers the HCL the templates use: blocks with labels,
attributes, literal values (strings, numbers, booleans, null, lists, objects) and any other
expression, which is kept as its source text (``${...}`` in JSON). In Terraform JSON syntax,
strings are templates, so literal ``${`` and ``%{`` are written ``$${`` and ``%%{``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple, Union

from bedrock_gen.emit.terraform.hcl import Token, tokens

# Attributes whose JSON form is the raw expression (references and type constraints), not a
# template: depends_on, moved's from/to, a variable's type, lifecycle's ignore_changes.
RAW = {"depends_on", "from", "to", "type", "ignore_changes", "replace_triggered_by"}
# Nested blocks that may repeat are JSON arrays; the others objects (checkov, like other
# readers of Terraform JSON, expects required_providers and lifecycle as objects).
REPEATED = {
    "validation",
    "assert",
    "moved",
    "run",
    "mock_resource",
    "precondition",
    "postcondition",
}


class Attribute(NamedTuple):
    name: str
    source: str  # the expression as written
    toks: tuple[Token, ...]


class Block(NamedTuple):
    type: str
    labels: tuple[str, ...]
    body: tuple[Item, ...]


Item = Union[Attribute, Block]  # noqa: UP007 - a runtime alias on Python 3.10


class ParseError(ValueError):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = [t for t in tokens(text) if t.kind != "comment"]
        self.i = 0

    def peek(self) -> Token:
        return self.toks[self.i]

    def next(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.i += 1

    def body(self, closing: str | None) -> tuple[Item, ...]:
        items: list[Item] = []
        while True:
            self.skip_newlines()
            tok = self.peek()
            if tok.kind == "eof" or (tok.kind == "op" and tok.text == closing):
                return tuple(items)
            if tok.kind != "ident":
                raise ParseError(f"expected an attribute or block at {tok.start}: {tok.text!r}")
            name = self.next().text
            if self.peek().kind == "op" and self.peek().text == "=":
                self.next()
                items.append(self.attribute(name))
                continue
            labels = []
            while self.peek().kind in ("string", "ident"):
                label = self.next()
                labels.append(json.loads(label.text) if label.kind == "string" else label.text)
            brace = self.next()
            if brace.text != "{":
                raise ParseError(f"expected '{{' at {brace.start}")
            inner = self.body("}")
            self.next()
            items.append(Block(name, tuple(labels), inner))

    def attribute(self, name: str) -> Attribute:
        start = self.i
        depth = 0
        while True:
            tok = self.peek()
            if (
                tok.kind == "eof"
                or (tok.kind == "newline" and depth == 0)
                or (depth == 0 and tok.kind == "op" and tok.text == "}")
            ):
                break
            if tok.kind == "op" and tok.text in "([{":
                depth += 1
            elif tok.kind == "op" and tok.text in ")]}":
                depth -= 1
            self.i += 1
        toks = tuple(self.toks[start : self.i])
        if not toks:
            raise ParseError(f"attribute {name} has no value")
        return Attribute(name, self.text[toks[0].start : toks[-1].end], toks)


def parse(text: str) -> tuple[Item, ...]:
    return _Parser(text).body(None)


# --------------------------------------------------------------------------------------------
# literal values


class _NotLiteral(Exception):
    pass


class Literal(NamedTuple):
    value: Any


def _decode_string(text: str) -> tuple[str, bool]:
    """An HCL quoted string as a JSON template string, and whether it interpolates."""
    body = text[1:-1]
    out: list[str] = []
    interpolates = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            esc = body[i + 1]
            simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
            if esc in simple:
                out.append(simple[esc])
                i += 2
            elif esc in "uU":
                width = 4 if esc == "u" else 8
                char = chr(int(body[i + 2 : i + 2 + width], 16))
                out.append(char)
                i += 2 + width
                if char in "$%" and body.startswith("{", i):
                    out.append(char)  # "$${": literal in a template
                continue
            else:
                raise _NotLiteral
            continue
        if ch in "$%" and body.startswith(ch + "{", i + 1):
            out.append(ch + ch + "{")
            i += 3
            continue
        if ch in "$%" and body.startswith("{", i + 1):
            interpolates = True
        out.append(ch)
        i += 1
    return "".join(out), interpolates


def _literal(toks: list[Token]) -> Any:
    """The literal value of ``toks`` or ``_NotLiteral``."""
    pos, val = _value(toks, 0)
    while pos < len(toks) and toks[pos].kind == "newline":
        pos += 1
    if pos != len(toks):
        raise _NotLiteral
    return val


def _skip_newlines(toks: list[Token], pos: int) -> int:
    while toks[pos].kind == "newline":
        pos += 1
    return pos


def _value(toks: list[Token], pos: int) -> tuple[int, Any]:
    """The literal starting at ``pos`` and the position after it; ``_NotLiteral`` otherwise."""
    pos = _skip_newlines(toks, pos)
    tok = toks[pos]
    if tok.kind == "string":
        text, interpolates = _decode_string(tok.text)
        return pos + 1, Template(text) if interpolates else text
    if tok.kind == "number":
        return pos + 1, json.loads(tok.text)
    if tok.kind == "ident" and tok.text in ("true", "false", "null"):
        if pos + 1 < len(toks) and toks[pos + 1].kind == "op" and toks[pos + 1].text not in ",]}":
            raise _NotLiteral
        return pos + 1, {"true": True, "false": False, "null": None}[tok.text]
    if tok.kind == "op" and tok.text == "[":
        return _list(toks, pos + 1)
    if tok.kind == "op" and tok.text == "{":
        return _object(toks, pos + 1)
    raise _NotLiteral


def _list(toks: list[Token], pos: int) -> tuple[int, list[Any]]:
    items: list[Any] = []
    while True:
        pos = _skip_newlines(toks, pos)
        if toks[pos].text == "]":
            return pos + 1, items
        pos, item = _value(toks, pos)
        items.append(item)
        pos = _skip_newlines(toks, pos)
        if toks[pos].text == ",":
            pos += 1
        elif toks[pos].text != "]":
            raise _NotLiteral


def _object(toks: list[Token], pos: int) -> tuple[int, dict[str, Any]]:
    obj: dict[str, Any] = {}
    while True:
        while toks[pos].kind == "newline" or toks[pos].text == ",":
            pos += 1
        if toks[pos].text == "}":
            return pos + 1, obj
        key = toks[pos]
        if key.kind == "string":
            name, interpolates = _decode_string(key.text)
            if interpolates:
                raise _NotLiteral
        elif key.kind == "ident":
            name = key.text
        else:
            raise _NotLiteral
        if toks[pos + 1].text not in ("=", ":"):
            raise _NotLiteral
        pos, obj[name] = _value(toks, pos + 2)


class Template(str):
    """A string with interpolation: already in template form."""


def _expression(attr_source: str, toks: list[Token]) -> Any:
    """An attribute value in Terraform JSON form."""
    try:
        return _to_json(_literal(toks))
    except (_NotLiteral, IndexError):
        pass
    # a collection literal with expressions inside: convert item by item
    if toks and toks[0].text in "[{" and toks[-1].text in "]}":
        converted = _collection(toks)
        if converted is not None:
            return converted
    return "${" + attr_source + "}"


def _to_json(val: Any) -> Any:
    if isinstance(val, list):
        return [_to_json(v) for v in val]
    if isinstance(val, dict):
        return {k: _to_json(v) for k, v in val.items()}
    return val


def _split_items(toks: list[Token]) -> Iterator[list[Token]]:
    """The comma- or newline-separated items inside brackets."""
    depth = 0
    current: list[Token] = []
    for tok in toks[1:-1]:
        if tok.kind == "op" and tok.text in "([{":
            depth += 1
        elif tok.kind == "op" and tok.text in ")]}":
            depth -= 1
        if depth == 0 and (tok.kind == "newline" or tok.text == ","):
            if current:
                yield current
            current = []
            continue
        current.append(tok)
    if current:
        yield current


def _source(toks: list[Token]) -> str:
    return " ".join(t.text for t in toks if t.kind != "newline")


def _collection(toks: list[Token]) -> Any:
    if toks[0].text == "[":
        return [_expression(_source(item), item) for item in _split_items(toks)]
    obj = {}
    for item in _split_items(toks):
        if len(item) < 3 or item[1].text not in ("=", ":"):
            return None
        k = item[0]
        if k.kind == "string":
            name, interpolates = _decode_string(k.text)
            if interpolates:
                return None
        elif k.kind == "ident":
            name = k.text
        else:
            return None
        obj[name] = _expression(_source(item[2:]), item[2:])
    return obj


# --------------------------------------------------------------------------------------------
# Terraform JSON


def _raw(attr: Attribute) -> Any:
    toks = [t for t in attr.toks if t.kind != "newline"]
    if toks and toks[0].text == "[":
        return [_source(item) for item in _split_items(list(attr.toks))]
    return attr.source


def _body_json(items: tuple[Item, ...], parent: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Attribute):
            if item.name in RAW and not (parent != "variable" and item.name == "type"):
                out[item.name] = _raw(item)
            elif parent == "variable" and item.name == "default":
                out[item.name] = _default(item)
            else:
                out[item.name] = _expression(item.source, list(item.toks))
        else:
            inner = _body_json(item.body, item.type)
            if not item.labels and item.type in REPEATED:
                out.setdefault(item.type, []).append(inner)
            elif not item.labels:
                out[item.type] = inner
            else:
                target = out.setdefault(item.type, {})
                for label in item.labels[:-1]:
                    target = target.setdefault(label, {})
                target[item.labels[-1]] = inner
    return out


def _default(attr: Attribute) -> Any:
    """A variable default: a literal value, not a template (Terraform reads it as-is)."""
    value = _literal(list(attr.toks))

    def undouble(v: Any) -> Any:
        if isinstance(v, str):
            return v.replace("$${", "${").replace("%%{", "%{")
        if isinstance(v, list):
            return [undouble(x) for x in v]
        if isinstance(v, dict):
            return {k: undouble(x) for k, x in v.items()}
        return v

    return undouble(value)


def to_json(text: str) -> dict[str, Any]:
    """A ``.tf`` file's text as the equivalent ``.tf.json`` document."""
    out: dict[str, Any] = {}
    for item in parse(text):
        if isinstance(item, Attribute):
            raise ParseError(f"top-level attribute {item.name}")
        body = _body_json(item.body, item.type)
        if not item.labels:
            if item.type in ("terraform", "locals"):
                out.setdefault(item.type, {}).update(body)
            else:
                out.setdefault(item.type, []).append(body)
            continue
        target = out.setdefault(item.type, {})
        for label in item.labels[:-1]:
            target = target.setdefault(label, {})
        target[item.labels[-1]] = body
    return out
