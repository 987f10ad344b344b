"""The one exception hierarchy of bedrock-gen.

Every stage raises a ``BedrockGenError`` subclass for problems with the user's input or
environment; the CLI prints its diagnostics, one line each, and exits 1. Anything else that
escapes is a bug: the CLI says so and how to report it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bedrock_gen.diagnostics import Diagnostic, error


class BedrockGenError(Exception):
    """A problem with the user's input or environment, explained by its diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.format_text() for d in self.diagnostics))

    @classmethod
    def one(cls, code: str, message: str, file: str | None = None) -> BedrockGenError:
        """An error of this class with a single diagnostic."""
        return cls([error(code, message, file)])


class ConfigError(BedrockGenError):
    """A config, policy or API-output file cannot be read, parsed or validated."""


class CatalogError(BedrockGenError):
    """A catalog or catalog overlay is unusable."""


class ResolveError(BedrockGenError):
    """A valid config asks for documents that AWS would reject (size, attachment limits)."""


class OutputError(BedrockGenError):
    """The output directory cannot be written safely."""


class UsageError(BedrockGenError):
    """The command was asked something it cannot do (an action IAM does not have, options that
    exclude each other): exit 2, like Click's own usage errors."""
