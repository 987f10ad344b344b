"""Every auth mode and gateway preset bedrock-gen knows, by ID. Add new ones here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bedrock_gen.config.gateway import Preset
from bedrock_gen.gateways.base import Mode
from bedrock_gen.gateways.modes import (
    access_keys,
    assume_role,
    aws_service,
    eks_irsa,
    eks_pod_identity,
    existing,
)
from bedrock_gen.gateways.presets import (
    custom,
    envoy_ai_gateway,
    kong,
    litellm,
    port,
    portkey,
    quilrai,
)

MODES: Mapping[str, Mode] = MappingProxyType(
    {
        m.id: m
        for m in (
            assume_role.MODE,
            eks_irsa.MODE,
            eks_pod_identity.MODE,
            aws_service.MODE,
            existing.ROLE,
            existing.USER,
            access_keys.MODE,
        )
    }
)

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        p.id: p
        for p in (
            port.PRESET,
            portkey.PRESET,
            quilrai.PRESET,
            litellm.PRESET,
            envoy_ai_gateway.PRESET,
            kong.PRESET,
            custom.PRESET,
        )
    }
)

# Keys of the auth section every mode accepts.
COMMON_AUTH_KEYS = frozenset({"mode", "gateway"})
ALL_AUTH_KEYS = frozenset().union(COMMON_AUTH_KEYS, *(m.keys for m in MODES.values()))


def default_preset(mode: str) -> str:
    """Configs from before presets had no 'gateway': Port's modes default to Port."""
    return "port" if mode in ("assume_role", "access_keys") else "custom"
