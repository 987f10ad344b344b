"""The module README's reference section, in terraform-docs' markdown-table format.

Read from the rendered ``.tf`` files themselves (as terraform-docs reads a module), so the
tables list exactly what the module declares: Requirements, Providers, Modules, Resources,
Inputs (with Required) and Outputs, between terraform-docs' markers so that running
terraform-docs over the module rewrites the same section.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bedrock_gen.emit.terraform.tfjson import Attribute, Block, Item, parse

REGISTRY = "https://registry.terraform.io/providers/{source}/latest/docs/resources/{name}"


def _anchor(kind: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{name}](#{kind}\\_{escaped})'


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _attrs(block: Block) -> dict[str, Attribute]:
    return {i.name: i for i in block.body if isinstance(i, Attribute)}


def _string(attr: Attribute | None) -> str:
    if attr is None:
        return ""
    try:
        value = json.loads(attr.source)
        return value if isinstance(value, str) else attr.source
    except ValueError:
        return attr.source


def _default(attr: Attribute | None) -> tuple[str, bool]:
    """terraform-docs' Default cell, and whether the input is required."""
    if attr is None:
        return "n/a", True
    source = attr.source.strip()
    if "\n" in source:
        return "<pre>" + source.replace("\n", "<br>") + "</pre>", False
    return f"`{source}`", False


def section(files: Mapping[str, str]) -> str:
    items: list[Item] = []
    for name in sorted(files):
        items += parse(files[name])
    blocks = [i for i in items if isinstance(i, Block)]
    terraform = next((b for b in blocks if b.type == "terraform"), None)
    providers: dict[str, tuple[str, str]] = {}
    required_version = ""
    if terraform is not None:
        required_version = _string(_attrs(terraform).get("required_version"))
        for inner in terraform.body:
            if isinstance(inner, Block) and inner.type == "required_providers":
                for attr in inner.body:
                    if isinstance(attr, Attribute):
                        spec = _object(attr.source)
                        providers[attr.name] = (spec.get("source", ""), spec.get("version", ""))
    out = [
        "<!-- BEGIN_TF_DOCS -->",
        "## Requirements",
        "",
        "| Name | Version |",
        "|------|---------|",
    ]
    out.append(f"| {_anchor('requirement', 'terraform')} | {_cell(required_version)} |")
    out += [
        f"| {_anchor('requirement', n)} | {_cell(v)} |" for n, (_s, v) in sorted(providers.items())
    ]
    out += ["", "## Providers", "", "| Name | Version |", "|------|---------|"]
    out += [
        f"| {_anchor('provider', n)} | {_cell(v)} |" for n, (_s, v) in sorted(providers.items())
    ]
    out += [
        "",
        "## Modules",
        "",
        "No modules.",
        "",
        "## Resources",
        "",
        "| Name | Type |",
        "|------|------|",
    ]
    resources = sorted((b.labels[0], b.labels[1]) for b in blocks if b.type == "resource")
    for rtype, name in resources:
        provider = rtype.split("_", 1)[0]
        source = providers.get(provider, ("hashicorp/" + provider, ""))[0]
        url = REGISTRY.format(source=source, name=rtype.split("_", 1)[1])
        out.append(f"| [{rtype}.{name}]({url}) | resource |")
    out += [
        "",
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    variables = sorted((b for b in blocks if b.type == "variable"), key=lambda b: b.labels[0])
    for var in variables:
        attrs = _attrs(var)
        default, required = _default(attrs.get("default"))
        if not required and "sensitive" in attrs and attrs["sensitive"].source == "true":
            default = "(sensitive)"  # never copy a secret default into the README
        out.append(
            f"| {_anchor('input', var.labels[0])} | "
            f"{_cell(_string(attrs.get('description')))} | "
            f"`{_cell(attrs['type'].source) if 'type' in attrs else 'any'}` | "
            f"{_cell(default) if not default.startswith('<pre>') else default} | "
            f"{'yes' if required else 'no'} |"
        )
    out += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    outputs = sorted((b for b in blocks if b.type == "output"), key=lambda b: b.labels[0])
    out += [
        f"| {_anchor('output', b.labels[0])} | {_cell(_string(_attrs(b).get('description')))} |"
        for b in outputs
    ]
    out.append("<!-- END_TF_DOCS -->")
    return "\n".join(out)


def _object(source: str) -> dict[str, Any]:
    """``{ source = "x", version = "y" }`` as a dict of its string items."""
    out: dict[str, Any] = {}
    for item in parse("x {\n" + source.strip().strip("{}") + "\n}")[0].body:  # type: ignore
        if isinstance(item, Attribute):
            out[item.name] = _string(item)
    return out
