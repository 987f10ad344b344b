"""Port's "bring your own LLM" gateway (docs.port.io, AI interfaces, LLM providers).

Port assumes the customer's role from one of its two gateway roles (EU for app.getport.io, US
for app.us.port.io; Port recommends trusting both), optionally with an external ID kept as a
Port secret, or signs in with an IAM user's access keys kept as two Port secrets.

The constants below are what Port's own API reference says about registering the provider
(``POST /v1/llm-providers``, ``PUT /v1/llm-providers/{provider}``) and about organization
secrets (``POST /v1/organization/secrets``), read from the port-labs/port-docs snapshot of
2026-01-28 (``static/apispec.yaml``). They live here, apart from the code that uses them, so
that a change in Port's API is a change of data; ``tests/data/port/`` keeps the request
schemas they come from.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING

from bedrock_gen.config.gateway import Preset

if TYPE_CHECKING:
    from bedrock_gen.catalog.model import Catalog
    from bedrock_gen.config.model import Config
    from bedrock_gen.diagnostics import Diagnostic
    from bedrock_gen.gateways.base import StepContext
    from bedrock_gen.load.document import Document

DOCS = "https://docs.port.io/ai-interfaces/port-ai/llm-providers-management/setup-and-configuration"

PRESET = Preset(
    id="port",
    title="Port",
    described_as="Port's LLM gateway",
    docs=DOCS,
    modes=("assume_role", "access_keys"),
    roles=MappingProxyType(
        {
            "eu": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-eu-west-1",
            "us": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-us-east-1",
        }
    ),
    default_roles=("eu", "us"),
    external_id="recommended",
    secret_name="BEDROCK_ROLE_EXTERNAL_ID",
    multi_tenant=True,
    note="Port's gateway roles: eu (app.getport.io), us (app.us.port.io).",
)

# Where each rule comes from, named in every message that enforces it.
SNAPSHOT = "port-labs/port-docs snapshot of 2026-01-28"
PROVIDER_SOURCE = f"Port's API reference, POST /v1/llm-providers, {SNAPSHOT}"
SECRET_SOURCE = f"Port's API reference, POST /v1/organization/secrets, {SNAPSHOT}"
API_REFERENCE = "https://docs.port.io/api-reference/create-or-connect-an-llm-provider"

# Port's API hosts (static/apispec.yaml `servers`; port-api.info.mdx: Europe and United States).
API_URLS = MappingProxyType({"eu": "https://api.port.io", "us": "https://api.us.port.io"})
API_URL_VARIABLE = "PORT_API_URL"
API_TOKEN_VARIABLE = "PORT_API_TOKEN"

# The patterns of Port's request schemas, verbatim (ECMA-262; ASCII here as there).
ROLE_ARN_PATTERN = r"^arn:aws:iam::\d{12}:role/[\w+=,.@-]+$"
REGION_PATTERN = r"^[a-z]{2}-[a-z]+-\d{1}$"
SECRET_NAME_PATTERN = r"^[A-Za-z0-9-_]*$"


def _ecma(pattern: str) -> re.Pattern[str]:
    """ECMA-262 semantics: ``$`` is the end of the input (Python's also allows a newline)."""
    return re.compile(pattern.removesuffix("$") + r"\Z", re.ASCII)


ROLE_ARN_RE = _ecma(ROLE_ARN_PATTERN)
REGION_RE = _ecma(REGION_PATTERN)
SECRET_NAME_RE = _ecma(SECRET_NAME_PATTERN)
SECRET_NAME_MAX = 100
SECRET_DESCRIPTION_MAX = 200

# Port's model names for the bedrock provider: the keys of overrides.models, which POST
# requires all of and allows no others. Port states no mapping to Bedrock model IDs; this one is
# the IAM example of Port's setup guide ("Option 1: Allow specific models"), which lists each of
# them as the foundation model anthropic.<name>-v1:0.
MODELS = MappingProxyType(
    {
        "claude-sonnet-4-20250514": "anthropic.claude-sonnet-4-20250514-v1:0",
        "claude-haiku-4-5-20251001": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "claude-sonnet-4-5-20250929": "anthropic.claude-sonnet-4-5-20250929-v1:0",
    }
)
# PUT's schema requires these too (an OpenAI model, never served through Bedrock): disabled.
PUT_ONLY_MODELS = ("gpt-5",)

# Secret names of Port's guide (Step 2: Store API Keys in Secrets).
ACCESS_KEY_ID_SECRET = "aws-bedrock-access-key-id"
SECRET_ACCESS_KEY_SECRET = "aws-bedrock-secret-access-key"
# Where the printed commands read the IAM user's key from. Not AWS_ACCESS_KEY_ID: a shell that
# holds the operator's own credentials there would store them in Port.
ACCESS_KEY_ID_ENV = "BEDROCK_AWS_ACCESS_KEY_ID"
SECRET_ACCESS_KEY_ENV = "BEDROCK_AWS_SECRET_ACCESS_KEY"

# The variable the commands fill from the trust policy when auth.external_id is a literal.
LITERAL_EXTERNAL_ID_ENV = "PORT_EXTERNAL_ID"

GUARDRAIL_VERSION = "DRAFT"
# roleArn needs the 12-digit account; without one in the config this stands in, and validate
# warns (Port's connection test then fails loudly instead of registering a wrong role).
ACCOUNT_PLACEHOLDER = "000000000000"


# -- Port's hooks (gateways/registry.py): each imports Port's module only when a Port config
# is validated, rendered or given its next steps.


def check(doc: Document, config: Config, catalog: Catalog) -> list[Diagnostic]:
    """What Port's API accepts (``rules``)."""
    from bedrock_gen.gateways.presets.port import rules

    return rules.check(doc, config, catalog)


def files(config: Config) -> dict[str, bytes]:
    """Port's provider registration requests (``api``)."""
    from bedrock_gen.gateways.presets.port import api

    return api.files(config)


def next_steps(config: Config, ctx: StepContext) -> list[str]:
    """Create Port's secret, register the provider (``api``)."""
    from bedrock_gen.gateways.presets.port import api

    return api.next_steps(config, ctx)
