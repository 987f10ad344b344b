"""The one result type per file and the report that owns the exit code (as black's ``Report``).

Library functions return a ``FileResult`` per input file, built whole (never mutated); the CLI
collects them in a ``Report``, hands it to a reporter and exits with ``Report.exit_code``:
0 clean, 1 problems (invalid input, failing findings, drift), 2 usage errors (Click's own).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bedrock_gen.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from bedrock_gen.access.resolve import Documents
    from bedrock_gen.config.model import Config
    from bedrock_gen.output.write import Change


class Mode(enum.Enum):
    """What ``render`` does with its output (black's write-back modes)."""

    WRITE = "write"
    CHECK = "check"  # write nothing; fail on drift
    DIFF = "diff"  # as check, and show a unified diff

    @property
    def compares(self) -> bool:
        return self is not Mode.WRITE


class FileResult(NamedTuple):
    """What happened to one config or policy file."""

    file: str
    diagnostics: tuple[Diagnostic, ...] = ()
    config: Config | None = None
    documents: Documents | None = None
    out_dir: Path | None = None
    changes: tuple[Change, ...] = ()
    mode: Mode | None = None  # render only
    threshold: Severity = Severity.ERROR  # diagnostics this severe or worse fail the file
    notes: tuple[str, ...] = ()  # what a person does next, or what was taken over

    @property
    def failures(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.at_least(self.threshold)]

    @property
    def drifted(self) -> list[Change]:
        return [c for c in self.changes if c.drifted]

    @property
    def ok(self) -> bool:
        """No failing diagnostic and, when comparing, no drift."""
        return not self.failures and not (
            self.mode is not None and self.mode.compares and self.drifted
        )


class Report:
    """All results of one command run."""

    def __init__(
        self,
        command: str,
        results: Iterable[FileResult] = (),
        mode: Mode | None = None,
        verbose: bool = False,
    ) -> None:
        self.command = command
        self.results = list(results)
        self.mode = mode
        self.verbose = verbose  # render: every file and the next steps, even when up to date

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1
