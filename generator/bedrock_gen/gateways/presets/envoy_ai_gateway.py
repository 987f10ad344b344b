"""Envoy AI Gateway on Kubernetes (envoyproxy/ai-gateway, "Connect AWS Bedrock"): its data
plane calls Bedrock with EKS Pod Identity, IRSA or static keys, as the service account
``envoy-gateway-system:ai-gateway-dataplane-aws``; its documented policy also lists
foundation models (``bedrock:ListFoundationModels``)."""

from __future__ import annotations

from bedrock_gen.config.gateway import Preset

PRESET = Preset(
    id="envoy-ai-gateway",
    title="Envoy AI Gateway",
    docs="https://aigateway.envoyproxy.io/docs/getting-started/connect-providers/aws-bedrock",
    modes=("eks_pod_identity", "eks_irsa", "access_keys", "existing_role"),
    needs=("model_discovery", "secure_transport"),
    service_accounts=("envoy-gateway-system:ai-gateway-dataplane-aws",),
)
