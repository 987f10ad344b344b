"""The one exception hierarchy of bedrock-gen.

The CLI catches ``BedrockGenError`` and prints its diagnostics, one line each, and exits 1.
Anything else that escapes is a bug: the CLI says so and how to report it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_gen.diagnostics import Diagnostic


class BedrockGenError(Exception):
    """A problem with the user's input or environment, explained by its diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.format_text() for d in self.diagnostics))


class ConfigError(BedrockGenError):
    """The config file cannot be read, parsed or validated."""


class ResolveError(BedrockGenError):
    """A valid config asks for documents that AWS would reject (size, attachment limits)."""


class OutputError(BedrockGenError):
    """The output directory cannot be written safely."""
