"""LiteLLM (proxy or SDK), which signs Bedrock calls with whatever AWS credentials it runs with:
IRSA or Pod Identity on EKS, a task or function role, or access keys. Its Bedrock client can
count tokens (``bedrock:CountTokens``) and read guardrails, and it caps web-identity sessions
to those actions (BerriAI/litellm, litellm/llms/bedrock/base_aws_llm.py)."""

from __future__ import annotations

from bedrock_gen.config.gateway import Preset

PRESET = Preset(
    id="litellm",
    title="LiteLLM",
    docs="https://docs.litellm.ai/docs/providers/bedrock",
    modes=(
        "eks_irsa",
        "eks_pod_identity",
        "aws_service",
        "existing_role",
        "assume_role",
        "access_keys",
        "existing_user",
    ),
    needs=("count_tokens", "guardrail_reads", "model_discovery", "secure_transport"),
)
