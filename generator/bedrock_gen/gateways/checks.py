"""Rules a gateway preset adds to validation (Port: what Port's API accepts), run on a
config that passed every other check. Kept apart from ``registry`` so that
validating other gateways never imports a preset's rules."""

from __future__ import annotations

from collections.abc import Callable

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document

# The catalog is the config's (with its overlay): a rule may ask where a model is routed.
Check = Callable[[Document, Config, Catalog], list[Diagnostic]]


def _port(doc: Document, config: Config, catalog: Catalog) -> list[Diagnostic]:
    from bedrock_gen.gateways.presets.port_rules import check

    return check(doc, config, catalog)


CHECKS: dict[str, Check] = {"port": _port}


def check(doc: Document, config: Config, catalog: Catalog) -> list[Diagnostic]:
    hook = CHECKS.get(config.gateway.id)
    return hook(doc, config, catalog) if hook is not None else []
