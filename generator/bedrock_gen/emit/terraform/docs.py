"""The module README's reference section, in terraform-docs' markdown-table format.

Read from the module's blocks (what terraform-docs reads from the files), so the tables list
exactly what the module declares: Requirements, Providers, Modules, Resources, Inputs (with
Required) and Outputs, between terraform-docs' markers so that running terraform-docs over the
module rewrites the same section.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bedrock_gen.emit.terraform.blocks import Attr, Block, Item
from bedrock_gen.emit.terraform.hcl import value

REGISTRY = "https://registry.terraform.io/providers/{source}/latest/docs/resources/{name}"


def _anchor(kind: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{name}](#{kind}\\_{escaped})'


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _attrs(block: Block) -> dict[str, Any]:
    return {i.name: i.value for i in block.body if isinstance(i, Attr)}


def _default(attrs: dict[str, Any]) -> tuple[str, bool]:
    """terraform-docs' Default cell, and whether the input is required."""
    if "default" not in attrs:
        return "n/a", True
    if attrs.get("sensitive") is True:
        return "(sensitive)", False  # never copy a secret default into the README
    source = value(attrs["default"], 1)
    if "\n" in source:
        return "<pre>" + source.replace("\n", "<br>") + "</pre>", False
    return _cell(f"`{source}`"), False


def section(files: Iterable[Sequence[Item]]) -> str:
    blocks = [item for body in files for item in body if isinstance(item, Block)]
    terraform = next((b for b in blocks if b.type == "terraform"), None)
    providers: dict[str, tuple[str, str]] = {}
    required_version = ""
    if terraform is not None:
        required_version = str(_attrs(terraform).get("required_version", ""))
        for inner in terraform.body:
            if isinstance(inner, Block) and inner.type == "required_providers":
                for name, spec in _attrs(inner).items():
                    providers[name] = (spec.get("source", ""), spec.get("version", ""))
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
        default, required = _default(attrs)
        out.append(
            f"| {_anchor('input', var.labels[0])} | "
            f"{_cell(str(attrs.get('description', '')))} | "
            f"`{_cell(str(attrs['type'])) if 'type' in attrs else 'any'}` | "
            f"{default} | "
            f"{'yes' if required else 'no'} |"
        )
    out += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    outputs = sorted((b for b in blocks if b.type == "output"), key=lambda b: b.labels[0])
    out += [
        f"| {_anchor('output', b.labels[0])} | {_cell(str(_attrs(b).get('description', '')))} |"
        for b in outputs
    ]
    out.append("<!-- END_TF_DOCS -->")
    return "\n".join(out)
