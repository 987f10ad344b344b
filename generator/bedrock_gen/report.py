"""The one result type per input and the report that owns the exit code (as black's ``Report``).

Every command builds ``FileResult``s (one per config, policy or other input; never mutated)
into a ``Report`` (``bedrock_gen.commands``); the CLI hands it to a reporter (text, json,
github, sarif, markdown: each prints any report) and exits with ``Report.exit_code``, the same
table for every command: 0 clean; 1 invalid input, failing findings, drift, access added, a
request denied or catalogs that differ; 2 usage errors (raised as ``errors.UsageError``, or
Click's own).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bedrock_gen.diagnostics import Diagnostic, Severity
from bedrock_gen.tables import Table

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
    tables: tuple[Table, ...] = ()  # what a reviewer reads (diff, explain, models, ...)
    verdict: str = ""  # one line saying what the tables mean
    failing: bool = False  # what was found fails the run: access added, denied, differs
    data: Any = None  # the result for programs (the json reporter's "data")
    document: str | None = None  # the command's output itself (a schema, a trust policy)

    @property
    def failures(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.at_least(self.threshold)]

    @property
    def drifted(self) -> list[Change]:
        return [c for c in self.changes if c.drifted]

    @property
    def ok(self) -> bool:
        """No failing diagnostic, nothing found that fails, and, when comparing, no drift."""
        return (
            not self.failures
            and not self.failing
            and not (self.mode is not None and self.mode.compares and self.drifted)
        )


class Report:
    """All results of one command run."""

    def __init__(
        self,
        command: str,
        results: Iterable[FileResult] = (),
        mode: Mode | None = None,
        verbose: bool = False,
        summary: str = "",
        document: bool = False,
    ) -> None:
        self.command = command
        self.results = list(results)
        self.mode = mode
        self.verbose = verbose  # render: every file and the next steps, even when up to date
        self.summary = summary  # the last line a person reads: what the run found
        self.document = document  # the output is a document (stdout holds only it)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1
