"""Files a gateway preset adds to the output (Port: its provider registration requests).

One entry per preset that has any; each preset's module builds its own files from the config.
"""

from __future__ import annotations

from collections.abc import Callable

from bedrock_gen.config.model import Config

Files = Callable[[Config], dict[str, bytes]]


def _port(config: Config) -> dict[str, bytes]:
    from bedrock_gen.gateways.presets.port_api import files

    return files(config)


FILES: dict[str, Files] = {"port": _port}


def files(config: Config) -> dict[str, bytes]:
    hook = FILES.get(config.gateway.id)
    return hook(config) if hook is not None else {}
