"""QuilrAI's hosted LLM gateway, Bedrock through an assumed role (QuilrAI docs, "AWS Bedrock -
Assume Role Setup"): QuilrAI's gateway IAM *user* ``quilr-gateway`` assumes the customer's role,
and an external ID is required ("ExternalId is required"); the customer generates it (a UUID)
and enters it in QuilrAI's API key form. Static access keys are its other option."""

from __future__ import annotations

from types import MappingProxyType

from bedrock_gen.config.gateway import Preset

PRESET = Preset(
    id="quilrai",
    title="QuilrAI",
    docs="https://docs.quilrai.dev/llm-gateway/bedrock-assume-role",
    modes=("assume_role", "access_keys"),
    roles=MappingProxyType({"default": "arn:aws:iam::975050335771:user/quilr-gateway"}),
    default_roles=("default",),
    external_id="required",
    multi_tenant=True,
    note="QuilrAI's gateway user arn:aws:iam::975050335771:user/quilr-gateway assumes yours.",
)
