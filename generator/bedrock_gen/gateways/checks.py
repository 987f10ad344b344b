"""Rules a gateway preset adds to validation (Port: what Port's API accepts), run on a
config that passed every other check: the preset's own ``check`` hook (``registry.hook``),
imported only when a config names that preset."""

from __future__ import annotations

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.gateways.registry import hook
from bedrock_gen.load.document import Document


def check(doc: Document, config: Config, catalog: Catalog) -> list[Diagnostic]:
    """The preset's own rules; the catalog is the config's (with its overlay), so a rule may
    ask where a model is routed."""
    own = hook(config.gateway.id, "check")
    found: list[Diagnostic] = own(doc, config, catalog) if own is not None else []
    return found
