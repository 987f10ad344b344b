"""Portkey's hosted AI gateway, Bedrock through an assumed role (Portkey docs, "Connect Bedrock
with Amazon Assumed Role"): Portkey's role ``portkey-app`` assumes the customer's role, with an
optional external ID ("If you set an external ID, add it to the condition"). That role is the
hosted app's only; a self-hosted Portkey runs as a workload of your own (``gateway: custom``
with eks_irsa, eks_pod_identity or aws_service). Portkey's template trust policy carries an
empty ``"Condition": {}`` (Access Analyzer: EMPTY_OBJECT_CONDITION), which is not copied."""

from __future__ import annotations

from types import MappingProxyType

from bedrock_gen.config.gateway import Preset

PRESET = Preset(
    id="portkey",
    title="Portkey",
    docs=("https://portkey.ai/docs/product/model-catalog/connect-bedrock-with-amazon-assumed-role"),
    modes=("assume_role", "access_keys"),
    roles=MappingProxyType({"default": "arn:aws:iam::299329113195:role/portkey-app"}),
    default_roles=("default",),
    external_id="optional",
    multi_tenant=True,
    note="Portkey's role arn:aws:iam::299329113195:role/portkey-app assumes yours.",
)
