"""Every auth mode and gateway preset bedrock-gen knows, by ID.

A gateway preset is one module (or package) in ``gateways/presets/``, found by its file name
(``envoy_ai_gateway.py`` is ``envoy-ai-gateway``): its ``PRESET``, and optionally the hooks
``check(doc, config, catalog)`` (validation only it needs), ``files(config)`` (files only it
writes) and ``next_steps(config, ctx)``. Nothing else names a preset; the schema's ``gateway``
enums are checked against this list (tests/test_registry.py). A module is imported the first
time its entry is read, so validating a Port config does not load Envoy's or Kong's.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

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

PRESETS_PACKAGE = "bedrock_gen.gateways.presets"


def _preset_modules() -> dict[str, str]:
    """Preset ID -> module name, from the presets folder (nothing is imported)."""
    folder = Path(__file__).resolve().parent / "presets"
    found = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if entry.is_dir() and (Path(entry.path) / "__init__.py").is_file():
            module = name
        elif name.endswith(".py") and name != "__init__.py":
            module = name[:-3]
        else:
            continue
        if not module.startswith("_"):
            found[module.replace("_", "-")] = module
    return found


PRESET_MODULES = _preset_modules()
PRESETS: Mapping[str, Preset] = _Lazy(
    PRESETS_PACKAGE, {pid: f"{module}:PRESET" for pid, module in PRESET_MODULES.items()}
)


def hook(preset: str, name: str) -> Callable[..., Any] | None:
    """A preset's own ``check``, ``files`` or ``next_steps``, if it has one."""
    module = importlib.import_module(f"{PRESETS_PACKAGE}.{PRESET_MODULES[preset]}")
    found = getattr(module, name, None)
    return found if callable(found) else None


def default_preset(mode: str) -> str:
    """Configs from before presets had no 'gateway': Port's modes default to Port."""
    return "port" if mode in ("assume_role", "access_keys") else "custom"
