"""The module's blocks as Terraform JSON (``*.tf.json``).

The same blocks the HCL files are written from, so the two flavours cannot disagree. In
Terraform JSON a string is a template: an expression is written ``"${...}"``, and a literal
``${`` or ``%{`` in a value is written ``$${`` / ``%%{``. A variable's ``default`` is a literal
value, not a template; ``depends_on``, ``moved``'s ``from``/``to``, ``ignore_changes`` and a
variable's ``type`` are bare expressions. Comments have no place in Terraform JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bedrock_gen.emit.terraform.blocks import Attr, Block, Expr, For, InlineList, Item, Template
from bedrock_gen.emit.terraform.hcl import inline

# Attributes whose JSON form is the bare expression (references and type constraints), not a
# template.
RAW = {"depends_on", "from", "to", "ignore_changes", "replace_triggered_by"}
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


def _template(text: str) -> str:
    return text.replace("${", "$${").replace("%{", "%%{")


def _value(val: Any) -> Any:
    """An attribute value (or a collection item) in Terraform JSON form."""
    if isinstance(val, Template):
        return str(val)
    if isinstance(val, Expr):
        return "${" + val + "}"
    if isinstance(val, For):
        return "${" + inline(val) + "}"
    if isinstance(val, str):
        return _template(val)
    if isinstance(val, (list, tuple)):
        return [_value(v) for v in val]
    if isinstance(val, dict):
        return {str(k): _value(v) for k, v in val.items()}
    return val


def _raw(val: Any) -> Any:
    if isinstance(val, InlineList):
        return [str(v) for v in val]
    return str(val)


def _body(items: Sequence[Item], parent: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Attr):
            if item.name in RAW or (parent == "variable" and item.name == "type"):
                out[item.name] = _raw(item.value)
            elif parent == "variable" and item.name == "default":
                out[item.name] = item.value  # a literal value, not a template
            else:
                out[item.name] = _value(item.value)
        elif isinstance(item, Block):
            inner = _body(item.body, item.type)
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


def document(items: Sequence[Item]) -> dict[str, Any]:
    """A ``.tf`` file's blocks as the equivalent ``.tf.json`` document."""
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, Block):
            continue  # comments and layout
        body = _body(item.body, item.type)
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
