"""Located problems: what every stage reports, and what every reporter prints.

A ``Diagnostic`` is one problem with one place. Stages never print; they return or raise
diagnostics, and the reporters decide how they look. ``Severity`` is the one scale for config
problems and lint findings alike (IAM Access Analyzer's finding types), with its GitHub and
SARIF levels, so no module converts severities by hand. (Value types are NamedTuples: a frozen
dataclass costs ~0.6 ms to create at import, a NamedTuple ~0.1 ms, and the CLI starts on every
commit.)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.printable import shown


class Severity(enum.Enum):
    """How bad a problem is, most severe first (Access Analyzer's finding types)."""

    ERROR = "error"
    SECURITY_WARNING = "security_warning"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return _ORDER.index(self)

    @property
    def finding_type(self) -> str:
        """The name Access Analyzer uses: ``SECURITY_WARNING``."""
        return self.name

    @property
    def github(self) -> str:
        """The GitHub Actions workflow-command level."""
        return _GITHUB[self]

    @property
    def sarif(self) -> str:
        """The SARIF 2.1.0 result level."""
        return _SARIF[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``ERROR``, ``error`` or ``security-warning`` alike."""
        return cls(text.strip().lower().replace("-", "_"))

    def at_least(self, threshold: Severity) -> bool:
        """Is this as severe as ``threshold``, or more?"""
        return self.rank <= threshold.rank


_ORDER = tuple(Severity)
_GITHUB = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "error",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "notice",
}
_SARIF = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "error",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "note",
}


class Location(NamedTuple):
    """A 1-based line and column in a file."""

    line: int
    column: int


class Diagnostic(NamedTuple):
    """One problem: ``FILE:LINE:COL: severity: message  [code]`` when printed as text."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    location: Location | None = None

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        loc = self.location or Location(0, 0)
        return (self.file or "", loc.line, loc.column, self.severity.rank, self.code, self.message)

    def where(self) -> str:
        """``FILE:LINE:COL`` (or as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.location is not None:
            parts += [str(self.location.line), str(self.location.column)]
        return ":".join(parts)

    def format_text(self) -> str:
        """One line, whatever the file name and the message hold: every untrusted part of a
        message (a model ID, a key, an ARN, a file name) reaches the terminal through
        ``printable.shown``, here, once."""
        return f"{shown(self.where())}: {self.severity.value}: {shown(self.message)}  [{self.code}]"

    def to_json(self) -> dict[str, object]:
        """The file name exactly (JSON escaping makes it safe; programs open it); the message,
        which people read (``jq -r .message``), shown as ``format_text`` shows it."""
        return {
            "file": self.file,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
            "severity": self.severity.value,
            "code": self.code,
            "message": shown(self.message),
        }


def error(
    code: str, message: str, file: str | None = None, location: Location | None = None
) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, file, location)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable, duplicate-free order, so output is the same bytes on every run."""
    seen: set[Diagnostic] = set()
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out
