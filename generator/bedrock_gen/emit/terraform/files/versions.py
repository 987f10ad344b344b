"""``versions.tf``: the Terraform and provider versions the module needs."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Attr, Item, block, comment
from bedrock_gen.emit.terraform.module import HEADER, PORT_VERSION, TERRAFORM_VERSION, Facts


def providers(f: Facts) -> list[Item]:
    out: list[Item] = [Attr("aws", {"source": "hashicorp/aws", "version": f.aws_version})]
    if f.port_secret:
        out.append(Attr("port", {"source": "port-labs/port-labs", "version": PORT_VERSION}))
    return out


def build(f: Facts) -> list[Item]:
    return [
        comment(HEADER),
        BLANK,
        block(
            "terraform",
            [
                Attr("required_version", TERRAFORM_VERSION),
                BLANK,
                block("required_providers", providers(f)),
            ],
        ),
    ]
