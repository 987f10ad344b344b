"""Port's API rules, as validation errors for the Port gateway (each with its source)."""

from __future__ import annotations

from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document


def check(doc: Document, config: Config) -> list[Diagnostic]:
    return []
