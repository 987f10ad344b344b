"""Files a gateway preset adds to the output (Port: its provider registration request).

Kept apart from ``registry`` because these need the resolved documents: ``access`` imports the
registry for the trust policies, so the registry must not import ``access``.
"""

from __future__ import annotations

from collections.abc import Callable

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config

Files = Callable[[Config, Documents], dict[str, bytes]]


def _port(config: Config, documents: Documents) -> dict[str, bytes]:
    from bedrock_gen.gateways.presets.port_api import files

    return files(config, documents)


FILES: dict[str, Files] = {"port": _port}


def files(config: Config, documents: Documents) -> dict[str, bytes]:
    hook = FILES.get(config.gateway.id)
    return hook(config, documents) if hook is not None else {}
