"""Rules a gateway preset adds to validation (Port: what Port's API accepts), run on a
config that passed every other check. Kept apart from ``registry`` so that
validating other gateways never imports a preset's rules."""

from __future__ import annotations

from collections.abc import Callable

from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document

Check = Callable[[Document, Config], list[Diagnostic]]


def _port(doc: Document, config: Config) -> list[Diagnostic]:
    from bedrock_gen.gateways.presets.port_rules import check

    return check(doc, config)


def _agentcore(doc: Document, config: Config) -> list[Diagnostic]:
    from bedrock_gen.gateways.presets.agentcore_gateway import check

    return check(doc, config)


CHECKS: dict[str, Check] = {"port": _port, "agentcore-gateway": _agentcore}


def check(doc: Document, config: Config) -> list[Diagnostic]:
    hook = CHECKS.get(config.gateway.id)
    return hook(doc, config) if hook is not None else []
