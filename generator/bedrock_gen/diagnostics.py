"""Located problems: what every stage reports, and what every reporter prints.

A ``Diagnostic`` is one problem with one place. Stages never print; they return or raise
diagnostics, and the reporters in ``reporters`` decide how they look. (Value types across the
package are NamedTuples: creating a frozen dataclass costs ~0.6 ms at import, a NamedTuple
~0.1 ms, and the CLI starts on every commit.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

Severity = Literal["error", "security_warning", "warning", "suggestion"]


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
        return (
            self.file or "",
            loc.line,
            loc.column,
            ("error", "security_warning", "warning", "suggestion").index(self.severity),
            self.code,
            self.message,
        )

    def where(self) -> str:
        """``FILE:LINE:COL`` (or as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.location is not None:
            parts += [str(self.location.line), str(self.location.column)]
        return ":".join(parts)

    def format_text(self) -> str:
        return f"{self.where()}: {self.severity}: {self.message}  [{self.code}]"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable, duplicate-free order, so output is the same bytes on every run."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = (d.file, d.location, d.severity, d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
