"""How reports look: one registry of reporters, each able to print any command's ``Report``.

``text`` is for people (one line per problem, ``FILE:LINE:COL: severity: message  [code]``,
tables aligned), ``json`` for programs, ``github`` for workflow-command annotations in GitHub
Actions, ``sarif`` for code-scanning dashboards, ``markdown`` for a pull-request comment. What
they print comes from the report's content (diagnostics, file changes, tables, a verdict,
notes, a summary), never from which command made it. Reporters only format; the ``Report``
owns the exit code. Untrusted text passes through ``printable.shown`` before it is printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.output.write import Action, Change, unified_diff
from bedrock_gen.printable import shown
from bedrock_gen.report import FileResult, Mode, Report

Echo = Callable[[str], None]
DRIFT = {
    Action.CREATE: "missing",
    Action.UPDATE: "stale",
    Action.REMOVE: "no longer generated",
    Action.EXTRA: "not written by bedrock-gen (move it away)",
    Action.INTERRUPTED: "left by an interrupted render",
}
# Rule ids of what a result finds besides diagnostics, for SARIF and annotations.
DRIFT_RULE = "DRIFT"
FOUND_RULE = "FOUND"


class Reporter(Protocol):
    def report(self, report: Report, echo: Echo, err: Echo) -> None: ...


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _where(result: FileResult, rel: str) -> str:
    return shown(result.out_dir / rel if result.out_dir is not None else rel)


def drift_text(result: FileResult, change: Change) -> str:
    state = "edited by hand" if change.edited else DRIFT[change.action]
    fix = "" if change.action is Action.EXTRA else f"; run: bedrock-gen render {shown(result.file)}"
    return f"{_where(result, change.path)}: {state}{fix}" + (
        " (--force replaces hand edits)" if change.edited else ""
    )


def _compared(result: FileResult) -> bool:
    return result.mode is not None and result.mode.compares


def _diagnostic_text(d: Diagnostic) -> str:
    return shown(d.format_text())


class TextReporter:
    def report(self, report: Report, echo: Echo, err: Echo) -> None:
        from bedrock_gen import tables

        # A command whose output is a document keeps stdout for it: `> trust.json` is clean.
        to = err if report.document else echo
        for result in report.results:
            for d in result.diagnostics:
                to(_diagnostic_text(d))
            if result.document is not None:
                echo(result.document)
            if result.mode is not None and not result.failures and result.changes:
                self._render(result, echo, report.verbose)
            elif result.tables:
                echo(tables.text(result.tables))
            if result.verdict:
                if result.tables:
                    echo("")
                for line in result.verdict.split("\n"):
                    echo(shown(line))
            if result.mode is None:
                for note in result.notes:
                    echo(f"note: {shown(note)}")
        if report.summary:
            echo(shown(report.summary))

    def _render(self, result: FileResult, echo: Echo, verbose: bool) -> None:
        if _compared(result):
            for c in result.drifted:
                echo(drift_text(result, c))
                if result.mode is Mode.DIFF and c.action is not Action.EXTRA:
                    echo(shown_diff(c).rstrip("\n"))
            for note in result.notes:
                echo(f"{shown(result.file)}: note: {shown(note)}")
            return
        generated = [c for c in result.changes if not c.path.startswith(".")]
        generated = [c for c in generated if c.action not in (Action.EXTRA, Action.INTERRUPTED)]
        changed = [c for c in generated if c.drifted]
        if not changed and not verbose:
            manifest = "; its manifest updated" if result.drifted else ""
            echo(
                f"{shown(result.file)}: up to date in {shown(result.out_dir)} "
                f"({_plural(len(generated), 'file')}{manifest}; -v lists them and the next steps)"
            )
            for note in result.notes:
                echo(f"  note: {shown(note)}")
            return
        assert result.documents is not None and result.config is not None
        sizes = {f"iam/{d.filename}": d for d in result.documents.all()}
        verb = "wrote" if changed else "up to date in"
        echo(f"{shown(result.file)}: {verb} {shown(result.out_dir)}")
        for c in generated:
            doc = sizes.get(c.path)
            note = f"  ({doc.name}: {doc.size:,} of {doc.limit:,} characters)" if doc else ""
            echo(f"  {c.action.value:<9} {shown(c.path)}{note}")
        for note in result.notes:
            echo(f"  note: {shown(note)}")
        from bedrock_gen.gateways.next_steps import steps

        echo("")
        echo("Next steps:")
        policies = tuple(f"iam/{d.filename}" for d in result.documents.invoke)
        for line in steps(result.config, policies, result.out_dir):
            echo(shown(line))


def shown_lines(text: str) -> str:
    """Several lines (a diff of a file someone may have edited), each shown safely."""
    return "\n".join(shown(line) for line in text.split("\n"))


def shown_diff(change: Change) -> str:
    """A unified diff whose lines cannot carry control characters to the terminal."""
    return shown_lines(unified_diff(change))


class JsonReporter:
    def report(self, report: Report, echo: Echo, err: Echo) -> None:
        files = []
        for r in report.results:
            entry: dict[str, object] = {
                "file": r.file,
                "ok": r.ok,
                "diagnostics": [d.to_json() for d in r.diagnostics],
            }
            if r.documents is not None:
                entry["documents"] = [
                    {"name": d.name, "file": f"iam/{d.filename}", "size": d.size, "limit": d.limit}
                    for d in r.documents.all()
                ]
            if r.mode is not None and r.out_dir is not None:
                entry["output_dir"] = str(r.out_dir)
                entry["changes"] = [
                    {"path": c.path, "action": c.action.value, "edited_by_hand": c.edited}
                    for c in r.changes
                ]
                entry["drift"] = [c.path for c in r.drifted]
            # Programs print these (jq -r): made safe like every printed line.
            if r.verdict:
                entry["verdict"] = shown_lines(r.verdict)
            if r.notes:
                entry["notes"] = [shown(n) for n in r.notes]
            if r.data is not None:
                entry["data"] = r.data
            if r.document is not None:
                entry["document"] = r.document
            files.append(entry)
        body = {
            "command": report.command,
            "ok": report.ok,
            "exit_code": report.exit_code,
            "summary": report.summary,
            "files": files,
        }
        echo(json.dumps(body, indent=2))


def _gh_escape(text: str, prop: bool = False) -> str:
    """GitHub's workflow-command escaping, after every control character is made visible
    (an ESC or a CR could otherwise rewrite the log line)."""
    text = shown(text).replace("%", "%25")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _gh_multiline(text: str) -> str:
    """A message of several lines (a diff): each line made safe, joined as GitHub expects."""
    return "%0A".join(_gh_escape(line) for line in text.rstrip("\n").split("\n"))


class GithubReporter:
    def report(self, report: Report, echo: Echo, err: Echo) -> None:
        from bedrock_gen import tables

        for r in report.results:
            for d in r.diagnostics:
                props = [f"file={_gh_escape(d.file or r.file, True)}"]  # shown inside
                if d.location is not None:
                    props += [f"line={d.location.line}", f"col={d.location.column}"]
                props.append(f"title={_gh_escape('bedrock-gen ' + d.code, True)}")
                echo(f"::{d.severity.github} {','.join(props)}::{_gh_escape(d.message)}")
            if _compared(r):
                for c in r.drifted:
                    body = drift_text(r, c) + "\n" + unified_diff(c)
                    echo(
                        f"::error file={_gh_escape(_where(r, c.path), True)},"
                        f"title=bedrock-gen drift::{_gh_multiline(body)}"
                    )
            if r.tables:
                echo(f"::group::{_gh_escape(r.tables[0].title)}")
                for line in tables.text(r.tables).split("\n"):
                    echo(shown(line))
                echo("::endgroup::")
            if r.verdict:
                level = "error" if r.failing else "notice"
                title = _gh_escape(f"bedrock-gen {report.command}", True)
                echo(
                    f"::{level} file={_gh_escape(r.file, True)},title={title}::"
                    f"{_gh_multiline(r.verdict)}"
                )
            if r.document is not None and not r.failures:
                echo(r.document)
        if report.summary:
            echo(shown(report.summary))


class SarifReporter:
    """SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

    def report(self, report: Report, echo: Echo, err: Echo) -> None:
        from bedrock_gen import __version__
        from bedrock_gen.lint.rules import RULES

        findings: list[dict[str, object]] = []
        codes: list[str] = []

        def add(code: str, level: str, message: str, uri: str, region: dict[str, int]) -> None:
            if code not in codes:
                codes.append(code)
            findings.append(_sarif_result(code, level, shown_lines(message), uri, region))

        for r in report.results:
            for d in r.diagnostics:
                region = (
                    {"startLine": d.location.line, "startColumn": d.location.column}
                    if d.location
                    else {"startLine": 1}
                )
                add(d.code, d.severity.sarif, d.message, d.file or r.file, region)
            if _compared(r):
                for c in r.drifted:
                    text = drift_text(r, c) + "\n\n" + unified_diff(c)
                    add(DRIFT_RULE, "error", text, _where(r, c.path), {"startLine": 1})
            if r.verdict and r.failing:
                add(FOUND_RULE, "error", r.verdict, r.file, {"startLine": 1})
        rules = []
        for code in codes:
            rule = RULES.get(code)
            entry: dict[str, object] = {"id": code}
            if rule is not None:
                entry["shortDescription"] = {"text": rule.description}
                entry["helpUri"] = rule.source
            elif code == DRIFT_RULE:
                entry["shortDescription"] = {
                    "text": "A generated file is missing, stale, no longer generated, edited by "
                    "hand, or not written by bedrock-gen."
                }
            elif code == FOUND_RULE:
                entry["shortDescription"] = {
                    "text": "The review found what fails the run: access added, a request "
                    "denied, or catalogs that differ."
                }
            rules.append(entry)
        driver = {
            "name": "bedrock-gen",
            "version": __version__,
            "informationUri": "https://github.com/bedrock-gen/bedrock-gen",
            "rules": rules,
        }
        body = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": findings}],
        }
        echo(json.dumps(body, indent=2))


def _sarif_result(
    code: str, level: str, message: str, uri: str, region: dict[str, int]
) -> dict[str, object]:
    return {
        "ruleId": code,
        "level": level,
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri.replace("\\", "/")},
                    "region": region,
                }
            }
        ],
    }


class MarkdownReporter:
    """For a pull-request comment or a job summary: each result's verdict and summary first,
    details folded (``<details>``), failing results before passing ones, and never more than
    a GitHub comment holds (``tables.fit``: rows are cut from the end, riskiest kept, and the
    comment says so at its top)."""

    def report(self, report: Report, echo: Echo, err: Echo) -> None:
        from bedrock_gen import tables
        from bedrock_gen.tables import Block, md, md_line

        head = f"### bedrock-gen {md(report.command)}"
        if report.summary:
            head += f"\n\n{md_line(report.summary)}"
        blocks = [Block(head, priority=0)]
        results = sorted(report.results, key=lambda r: r.ok)  # failing first, else as given
        for r in results:
            named = (
                len(report.results) > 1
                or bool(r.diagnostics)
                or _compared(r)
                or any(t.kind == tables.SUMMARY for t in r.tables)
            )
            if named:
                blocks.append(Block(f"#### {md(r.file)}", priority=0))
            if r.diagnostics:
                blocks.append(
                    Block(
                        "| where | severity | code | message |\n|---|---|---|---|",
                        [
                            f"| {md(d.where())} | {d.severity.value} | {md(d.code)} | "
                            f"{md(d.message)} |"
                            for d in r.diagnostics
                        ],
                        priority=0,
                        cut=lambda n: f"_{n:,} more diagnostics cut; the text output has all._",
                    )
                )
            if _compared(r) and r.drifted:
                lines = [f"- {md(drift_text(r, c))}" for c in r.drifted]
                blocks.append(Block(lines[0], lines[1:], priority=0))
            if r.verdict:
                first, *rest = r.verdict.split("\n")
                blocks.append(
                    Block("\n".join([f"**{md(first)}**", *(f"<br>{md(x.strip())}" for x in rest)]))
                )
            blocks += tables.markdown_blocks(r.tables, heading="####")
            if r.notes:
                notes = [f"- {md(note)}" for note in r.notes]
                blocks.append(Block(notes[0], notes[1:]))
            if r.document is not None and not r.failures:
                blocks.append(Block(f"```json\n{r.document}\n```", priority=0))
        echo(tables.fit(blocks, notice=_cut_notice))


def _cut_notice(rows: int) -> str:
    from bedrock_gen.tables import COMMENT_LIMIT

    return (
        f"> **Cut to fit a GitHub comment ({COMMENT_LIMIT:,} characters): {rows:,} rows of "
        "detail are left out**, the least risky ones (each cut table says how many). The same "
        "command with `--format text` or `--format json` prints them all."
    )


REPORTERS: dict[str, Callable[[], Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "markdown": MarkdownReporter,
}
FORMATS = list(REPORTERS)
