"""Every auth mode and gateway preset bedrock-gen knows, by ID. Add new ones here.

Each entry names the module that holds the mode or preset; the module is imported the first
time its entry is read, so validating a Port config does not load Envoy's or Kong's.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

from bedrock_gen.config.gateway import Preset
from bedrock_gen.gateways.base import Mode

T = TypeVar("T")


class _Lazy(Mapping[str, T], Generic[T]):
    """IDs known up front; each value imported from ``module:attribute`` on first use."""

    def __init__(self, package: str, entries: Mapping[str, str]) -> None:
        self._package = package
        self._entries = dict(entries)
        self._loaded: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        if key not in self._loaded:
            module, _, attr = self._entries[key].partition(":")
            value: T = getattr(importlib.import_module(f"{self._package}.{module}"), attr)
            self._loaded[key] = value
        return self._loaded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


MODES: Mapping[str, Mode] = _Lazy(
    "bedrock_gen.gateways.modes",
    {
        "assume_role": "assume_role:MODE",
        "eks_irsa": "eks_irsa:MODE",
        "eks_pod_identity": "eks_pod_identity:MODE",
        "aws_service": "aws_service:MODE",
        "existing_role": "existing:ROLE",
        "existing_user": "existing:USER",
        "access_keys": "access_keys:MODE",
    },
)

PRESETS: Mapping[str, Preset] = _Lazy(
    "bedrock_gen.gateways.presets",
    {
        "port": "port:PRESET",
        "portkey": "portkey:PRESET",
        "quilrai": "quilrai:PRESET",
        "litellm": "litellm:PRESET",
        "envoy-ai-gateway": "envoy_ai_gateway:PRESET",
        "kong": "kong:PRESET",
        "agentcore-gateway": "agentcore_gateway:PRESET",
        "custom": "custom:PRESET",
    },
)


def default_preset(mode: str) -> str:
    """Configs from before presets had no 'gateway': Port's modes default to Port."""
    return "port" if mode in ("assume_role", "access_keys") else "custom"
