"""Amazon Bedrock AgentCore Gateway used as an LLM proxy: AgentCore's service assumes the
gateway's service role (its "Gateway Execution Role") to call Bedrock on the callers' behalf.

AWS (AgentCore developer guide, "Set up permissions for AgentCore Gateway" and "AgentCore
Gateway and Policy in AgentCore IAM Permissions"): the role "must trust the
bedrock-agentcore.amazonaws.com service principal", with ``aws:SourceAccount`` and
``aws:SourceArn``; mode ``aws_service`` with ``service: bedrock-agentcore`` writes that trust,
narrowed to the account's gateways (``gateway/*``) in ``regions``. The permissions it needs to
call models are the invoke policy's; AgentCore's own actions (Cedar policy evaluation, target
invocation, logs) are not Bedrock's and are left to the gateway's other policies.
"""

from __future__ import annotations

from bedrock_gen.config.gateway import Preset
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document, Findings

PRESET = Preset(
    id="agentcore-gateway",
    title="Amazon Bedrock AgentCore Gateway",
    docs="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-prerequisites-permissions.html",
    modes=("aws_service", "existing_role"),
    needs=("count_tokens", "model_discovery", "secure_transport"),
    note="AgentCore assumes the gateway's service role (bedrock-agentcore.amazonaws.com)",
)
SERVICE = "bedrock-agentcore"


def check(doc: Document, config: Config, catalog: object = None) -> list[Diagnostic]:
    """AgentCore Gateway runs as AgentCore's service role: ``aws_service`` must name it."""
    found = Findings(doc)
    service = getattr(config.auth, "service", None)
    if config.auth.mode == "aws_service" and service != SERVICE:
        found.error(
            "mode-unsupported",
            f"Amazon Bedrock AgentCore Gateway calls Bedrock as its service role, which "
            f"bedrock-agentcore.amazonaws.com assumes: set auth.service: {SERVICE} (not "
            f"{service})",
            ("auth", "service"),
        )
    return found.items
