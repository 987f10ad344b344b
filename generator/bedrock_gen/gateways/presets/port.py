"""Port's "bring your own LLM" gateway (docs.port.io, AI interfaces, LLM providers).

Port assumes the customer's role from one of its two gateway roles (EU for app.getport.io, US
for app.us.port.io; Port recommends trusting both), optionally with an external ID kept as a
Port secret, or signs in with an IAM user's access keys kept as two Port secrets.
"""

from __future__ import annotations

from types import MappingProxyType

from bedrock_gen.gateways.base import Preset

DOCS = ("https://docs.port.io/ai-interfaces/port-ai/llm-providers-management/"
        "setup-and-configuration")

PRESET = Preset(
    id="port",
    title="Port",
    docs=DOCS,
    modes=("assume_role", "access_keys"),
    roles=MappingProxyType({
        "eu": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-eu-west-1",
        "us": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-us-east-1",
    }),
    default_roles=("eu", "us"),
    external_id="recommended",
    secret_name="BEDROCK_ROLE_EXTERNAL_ID",
    note="Port's gateway roles: eu (app.getport.io), us (app.us.port.io).",
)
