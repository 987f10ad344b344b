"""``port.tf``: the external ID as a Port organization secret (Port's Terraform provider)."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Attr, Expr, Item, block, comment, output
from bedrock_gen.emit.terraform.module import HEADER, Facts


def build(f: Facts) -> list[Item]:
    description = f.config.preset_settings.get("secret_description") or (
        f"sts:ExternalId for the Bedrock provider in Port (role {f.name}; bedrock-gen)"
    )
    return [
        comment(
            HEADER,
            "",
            "The external ID as a Port organization secret (port-labs/port-labs provider), so "
            "that the",
            "role's trust policy and the secret Port's gateway sends come from one value, "
            "var.external_id.",
            "Configure the provider with PORT_CLIENT_ID and PORT_CLIENT_SECRET, and "
            "PORT_BASE_URL for",
            "Port's US API (https://api.us.port.io). The value is sensitive and stays in the "
            "state; Port",
            "never returns it, so a change made outside Terraform is not detected.",
        ),
        BLANK,
        block(
            "resource",
            "port_organization_secret",
            "external_id",
            [
                Attr("count", Expr("var.create ? 1 : 0")),
                BLANK,
                Attr("secret_name", Expr("var.port_secret_name")),
                Attr("secret_value", Expr("var.external_id")),
                Attr("description", str(description)),
            ],
        ),
        BLANK,
        output(
            "port_secret_name",
            "Name of the Port organization secret holding the external ID "
            "(externalIdSecretName in port/llm-provider.json), or null.",
            Expr("one(port_organization_secret.external_id[*].secret_name)"),
        ),
    ]
