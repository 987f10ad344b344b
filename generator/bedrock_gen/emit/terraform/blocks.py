"""The module as data: blocks with labels, attributes, comments and blank lines.

Every generated Terraform file is built as a list of these items (``files/``), then written
as HCL (``hcl.write``, aligned as ``terraform fmt`` would) or as Terraform JSON
(``tfjson.document``), and listed in the README (``docs``): one structure, three views that
cannot disagree. An attribute's value is a plain value (str, bool, int, None, list, dict: a
literal, escaped when written) or an expression bedrock-gen writes itself (``Expr``,
``Template``, or a one-line ``Inline``/``InlineList`` collection of them).

Adding a resource, a variable or an output is adding a ``Block`` to the file that holds its
kind; ``variable`` and ``output`` build the common shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Union


class Expr(str):
    """A Terraform expression written by bedrock-gen itself (never from a config)."""


class Template(str):
    """The inside of a quoted string template, interpolations and all (``${var.x}-1``):
    written in quotes in HCL, and as the same template string in Terraform JSON."""


class Inline(dict[str, Any]):
    """An object written on one line: ``{ a = 1, b = x }``."""


class InlineList(tuple[Any, ...]):
    """A list written on one line: ``[a.b, c.d]``."""


class For(NamedTuple):
    """A ``for`` expression that builds a list: ``[for i, x in var.xs : {item}]``; ``item`` is
    a value like any other (a dict of literals and expressions)."""

    head: str  # "for i, x in var.xs"
    item: Any


class Attr(NamedTuple):
    name: str
    value: Any


class Block(NamedTuple):
    type: str
    labels: tuple[str, ...]
    body: tuple[Item, ...]


class Comment(NamedTuple):
    """Comment lines, each written as it is (``# ...`` or ``#checkov:skip=...``) at the
    indentation of where it stands. Terraform JSON has no comments: they are HCL-only."""

    lines: tuple[str, ...]


class Blank(NamedTuple):
    """An empty line (layout only)."""


Item = Union[Attr, Block, Comment, Blank]  # noqa: UP007 - a runtime alias on Python 3.10
BLANK = Blank()


def block(kind: str, *labels_and_body: Any) -> Block:
    """``block("resource", "aws_iam_role", "this", [items...])``: labels, then the body."""
    *labels, body = labels_and_body
    return Block(kind, tuple(labels), tuple(body))


def comment(*lines: str) -> Comment:
    """``# line`` for each line (an empty line gives a bare ``#``)."""
    return Comment(tuple(f"# {line}" if line else "#" for line in lines))


def variable(
    name: str,
    description: str,
    type_: str,
    default: Any = ...,
    *,
    validations: Sequence[tuple[str, str]] = (),
    sensitive: bool = False,
    nullable: bool | None = None,
) -> Block:
    """A ``variable`` block; ``default=...`` (the default) makes the input required."""
    body: list[Item] = [Attr("description", description), Attr("type", Expr(type_))]
    if sensitive:
        body.append(Attr("sensitive", True))
    if nullable is not None:
        body.append(Attr("nullable", nullable))
    if default is not ...:
        body.append(Attr("default", default))
    for condition, message in validations:
        body += [
            BLANK,
            block(
                "validation",
                [Attr("condition", Expr(condition)), Attr("error_message", message)],
            ),
        ]
    return block("variable", name, body)


def output(
    name: str,
    description: str,
    value: Any,
    *,
    depends_on: Sequence[str] = (),
    sensitive: bool = False,
) -> Block:
    body: list[Item] = [Attr("description", description), Attr("value", value)]
    if depends_on:
        body.append(Attr("depends_on", InlineList(Expr(d) for d in depends_on)))
    if sensitive:
        body.append(Attr("sensitive", True))
    return block("output", name, body)
