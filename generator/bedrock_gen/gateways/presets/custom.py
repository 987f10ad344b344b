"""Any other gateway or in-house proxy: every auth mode, no preset principals (name them in
``auth.trusted_principals`` for ``assume_role``), every optional permission."""

from __future__ import annotations

from bedrock_gen.config.gateway import NEED_NAMES, Preset

PRESET = Preset(
    id="custom",
    title="the gateway",
    docs="",
    modes=(
        "assume_role",
        "eks_irsa",
        "eks_pod_identity",
        "aws_service",
        "existing_role",
        "existing_user",
        "access_keys",
    ),
    external_id="optional",
    needs=NEED_NAMES,
)
