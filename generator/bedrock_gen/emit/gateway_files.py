"""Files a gateway preset adds to the output (Port: its provider registration requests): the
preset's own ``files`` hook (``gateways.registry.hook``)."""

from __future__ import annotations

from bedrock_gen.config.model import Config
from bedrock_gen.gateways.registry import hook


def files(config: Config) -> dict[str, bytes]:
    own = hook(config.gateway.id, "files")
    found: dict[str, bytes] = own(config) if own is not None else {}
    return found
