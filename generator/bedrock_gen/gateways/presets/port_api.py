"""Port's API, for the provider registration bedrock-gen writes (``port/``)."""

from __future__ import annotations

import json

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config
from bedrock_gen.gateways.base import StepContext


def files(config: Config, documents: Documents) -> dict[str, bytes]:
    return {}


def terraform_output(config: Config) -> str:
    """The ``port_provider_config`` output: Port's Bedrock config with the ARN from the apply."""
    region = json.dumps(config.primary_region) if config.primary_region else "null"
    if config.is_role:
        secret = ""
        spec = config.external_id
        name = getattr(config.auth, "secret_name", None)
        if spec is not None and name:
            secret = f", externalIdSecretName = {json.dumps(name)}"
        return (f"{{ roleArn = try(aws_iam_role.this[0].arn, null), region = {region}{secret} }}")
    return ('{ accessKeyIdSecretName = "BEDROCK_AWS_ACCESS_KEY_ID", secretAccessKeySecretName = '
            f'"BEDROCK_AWS_SECRET_ACCESS_KEY", region = {region} }}')


def next_steps(config: Config, ctx: StepContext) -> list[str]:
    spec = config.external_id
    name = getattr(config.auth, "secret_name", None)
    region = config.primary_region or "<the Region you call Bedrock in>"
    if config.is_role:
        out = []
        if spec is not None and name:
            source = f"the value of ${spec.env}" if spec.from_env else "auth.external_id"
            out.append(f"In Port, create the secret '{name}' holding the external ID ({source}), "
                       "character for character.")
        secret = f", externalIdSecretName {name}" if spec is not None and name else ""
        out.append(f"Register the Bedrock provider in Port: roleArn {ctx.entity_arn}{secret}, "
                   f"region {region}.")
        return out
    return ["Store the key ID and secret as Port secrets (BEDROCK_AWS_ACCESS_KEY_ID, "
            "BEDROCK_AWS_SECRET_ACCESS_KEY).",
            f"Register the Bedrock provider in Port with those secret names and region {region}."]
