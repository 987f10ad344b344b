"""Kong AI Gateway (ai-proxy plugin): static access keys in the plugin's ``auth``, or the AWS
SDK's credential chain (environment, ECS task role, IRSA, instance profile) when none are
given. Chat goes through Converse/ConverseStream, which the Invoke actions authorize."""

from __future__ import annotations

from bedrock_gen.config.gateway import Preset

PRESET = Preset(
    id="kong",
    title="Kong AI Gateway",
    docs="https://developer.konghq.com/ai-gateway/",
    modes=(
        "access_keys",
        "eks_irsa",
        "eks_pod_identity",
        "aws_service",
        "existing_role",
        "existing_user",
    ),
    needs=("guardrail_reads", "secure_transport"),
)
