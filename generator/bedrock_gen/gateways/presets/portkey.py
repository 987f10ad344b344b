"""Portkey's hosted AI gateway, Bedrock through an assumed role (Portkey docs,
"Amazon Bedrock: assumed role"): Portkey's own role assumes the customer's role, with an
optional external ID."""

from __future__ import annotations

from types import MappingProxyType

from bedrock_gen.gateways.base import Preset

PRESET = Preset(
    id="portkey",
    title="Portkey",
    docs="https://portkey.ai/docs/integrations/llms/aws-bedrock",
    modes=("assume_role", "access_keys"),
    roles=MappingProxyType({"default": "arn:aws:iam::299329113195:role/portkey-app"}),
    default_roles=("default",),
    external_id="optional",
    note="Portkey's role arn:aws:iam::299329113195:role/portkey-app assumes yours.",
)
