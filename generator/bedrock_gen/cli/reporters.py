"""How results look: one registry of reporters shared by validate, render and lint.

``text`` is for people (one line per problem, ``FILE:LINE:COL: severity: message  [code]``),
``json`` for programs, ``github`` for workflow-command annotations in GitHub Actions, ``sarif``
for code-scanning dashboards. Drift (``render --check``/``--diff``) is a result in every
format, with its diff. Reporters only format; the ``Report`` owns the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

from bedrock_gen.output.write import Action, Change, unified_diff
from bedrock_gen.printable import shown
from bedrock_gen.report import FileResult, Report

Echo = Callable[[str], None]
DRIFT = {Action.CREATE: "missing", Action.UPDATE: "stale", Action.REMOVE: "no longer generated"}


class Reporter(Protocol):
    def report(self, report: Report, echo: Echo) -> None: ...


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _where(result: FileResult, rel: str) -> str:
    return str(result.out_dir / rel) if result.out_dir is not None else rel


def drift_text(result: FileResult, change: Change) -> str:
    state = "edited by hand" if change.edited else DRIFT[change.action]
    return (
        f"{shown(_where(result, change.path))}: {state}; run: bedrock-gen render "
        f"{shown(result.file)}" + (" (--force replaces hand edits)" if change.edited else "")
    )


def _lines(text: str) -> str:
    """Several lines (a diff of a file someone may have edited), each shown safely."""
    return "\n".join(shown(line) for line in text.split("\n"))


class TextReporter:
    def report(self, report: Report, echo: Echo) -> None:
        for result in report.results:
            for d in result.diagnostics:
                echo(d.format_text())
            if report.command == "render" and not result.failures and result.changes:
                self._render(result, echo, report.verbose)
        bad = len(report.failed)
        total = len(report.results)
        if report.command == "validate":
            echo(
                f"bedrock-gen: {_plural(bad, 'config')} of {total} invalid"
                if bad
                else f"bedrock-gen: {_plural(total, 'config')} valid"
            )
        elif report.command == "lint":
            found = sum(len(r.diagnostics) for r in report.results)
            failing = sum(len(r.failures) for r in report.results)
            echo(
                f"bedrock-gen: {_plural(found, 'finding')} in {_plural(total, 'file')}"
                + (f", {failing} failing" if failing else "")
            )
        elif report.command == "render":
            errors = sum(bool(r.failures) for r in report.results)
            if report.mode is not None and report.mode.compares:
                drifted = sum(bool(r.drifted) for r in report.results if not r.failures)
                if bad:
                    echo(
                        f"bedrock-gen: {_plural(drifted, 'config')} would be re-rendered"
                        + (f", {errors} failed" if errors else "")
                    )
                else:
                    echo(f"bedrock-gen: {_plural(total, 'config')} up to date")
            elif errors:
                echo(
                    f"bedrock-gen: {_plural(errors, 'config')} failed; nothing written for "
                    f"{'it' if errors == 1 else 'them'}"
                )

    def _render(self, result: FileResult, echo: Echo, verbose: bool) -> None:
        if result.mode is not None and result.mode.compares:
            for c in result.drifted:
                echo(drift_text(result, c))
                if result.mode.value == "diff":
                    echo(_lines(unified_diff(c).rstrip("\n")))
            for note in result.notes:
                echo(f"{shown(result.file)}: note: {shown(note)}")
            return
        generated = [c for c in result.changes if not c.path.startswith(".")]
        changed = [c for c in generated if c.drifted]
        if not changed and not verbose:
            # Said briefly, the same whether the render answered from the manifest or in full
            # (which alone has the documents): the next steps were printed when it wrote.
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
        echo(
            f"{shown(result.file)}: {'wrote' if changed else 'up to date in'} "
            f"{shown(result.out_dir)}"
        )
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


class JsonReporter:
    def report(self, report: Report, echo: Echo) -> None:
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
            if report.command == "render" and r.out_dir is not None:
                entry["output_dir"] = str(r.out_dir)
                entry["changes"] = [
                    {"path": c.path, "action": c.action.value, "edited_by_hand": c.edited}
                    for c in r.changes
                ]
                entry["drift"] = [c.path for c in r.drifted]
            if r.notes:
                entry["notes"] = [shown(n) for n in r.notes]
            files.append(entry)
        echo(json.dumps({"command": report.command, "ok": report.ok, "files": files}, indent=2))


def _gh_escape(text: str, prop: bool = False) -> str:
    """A workflow-command value: ``%``, CR and LF escaped as GitHub reads them (a message of
    several lines); every other control character (ESC, BEL, C1) already ``shown``."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


class GithubReporter:
    def report(self, report: Report, echo: Echo) -> None:
        for r in report.results:
            for d in r.diagnostics:
                props = [f"file={_gh_escape(shown(d.file or r.file), True)}"]
                if d.location is not None:
                    props += [f"line={d.location.line}", f"col={d.location.column}"]
                props.append(f"title={_gh_escape('bedrock-gen ' + d.code, True)}")
                echo(f"::{d.severity.github} {','.join(props)}::{_gh_escape(shown(d.message))}")
            if r.mode is not None and r.mode.compares:
                for c in r.drifted:
                    message = drift_text(r, c) + "\n" + _lines(unified_diff(c))
                    echo(
                        f"::error file={_gh_escape(shown(_where(r, c.path)), True)},"
                        f"title=bedrock-gen drift::{_gh_escape(message.rstrip())}"
                    )


class SarifReporter:
    """SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

    def report(self, report: Report, echo: Echo) -> None:
        from bedrock_gen import __version__
        from bedrock_gen.lint.rules import RULES

        findings: list[dict[str, object]] = []
        codes: list[str] = []
        for r in report.results:
            for d in r.diagnostics:
                if d.code not in codes:
                    codes.append(d.code)
                region = (
                    {"startLine": d.location.line, "startColumn": d.location.column}
                    if d.location
                    else {"startLine": 1}
                )
                findings.append(
                    _sarif_result(
                        d.code, d.severity.sarif, shown(d.message), d.file or r.file, region
                    )
                )
            if r.mode is not None and r.mode.compares:
                for c in r.drifted:
                    if "DRIFT" not in codes:
                        codes.append("DRIFT")
                    findings.append(
                        _sarif_result(
                            "DRIFT",
                            "error",
                            drift_text(r, c) + "\n\n" + _lines(unified_diff(c)),
                            _where(r, c.path),
                            {"startLine": 1},
                        )
                    )
        rules = []
        for code in codes:
            rule = RULES.get(code)
            entry: dict[str, object] = {"id": code}
            if rule is not None:
                entry["shortDescription"] = {"text": rule.description}
                entry["helpUri"] = rule.source
            elif code == "DRIFT":
                entry["shortDescription"] = {
                    "text": "A generated file is missing, stale, no "
                    "longer generated or edited by hand."
                }
            rules.append(entry)
        echo(
            json.dumps(
                {
                    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                    "version": "2.1.0",
                    "runs": [
                        {
                            "tool": {
                                "driver": {
                                    "name": "bedrock-gen",
                                    "version": __version__,
                                    "informationUri": "https://github.com/bedrock-gen/bedrock-gen",
                                    "rules": rules,
                                }
                            },
                            "results": findings,
                        }
                    ],
                },
                indent=2,
            )
        )


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
                    "artifactLocation": {"uri": shown(uri.replace("\\", "/"))},
                    "region": region,
                }
            }
        ],
    }


REPORTERS: dict[str, Callable[[], Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
