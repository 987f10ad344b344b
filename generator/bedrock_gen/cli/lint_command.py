"""``bedrock-gen lint``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from bedrock_gen.cli import options

FINDING_TYPES = ["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"]


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@options.report_format
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="TYPE",
    type=click.Choice(FINDING_TYPES, case_sensitive=False),
    help="Fail on findings of this type or more severe (ERROR > SECURITY_WARNING > "
    "WARNING > SUGGESTION). Default: SECURITY_WARNING.",
)
@click.option(
    "--ignore",
    "ignored",
    multiple=True,
    metavar="CODE",
    help="Ignore findings with this code (repeatable).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="A bedrock-gen config: its lint.ignore codes apply, and with --kind scp, "
    "the SCP is checked against the config's routes.",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "identity", "trust", "scp"]),
    default="auto",
    show_default=True,
    help="What the documents are; auto tells trust policies by their Principal.",
)
@click.option(
    "--trust-policy-size",
    type=click.IntRange(2048, 4096),
    default=2048,
    show_default=True,
    help="Your account's role trust policy quota.",
)
@click.option("--list-rules", is_flag=True, help="Print every rule and exit.")
@options.catalog
def lint(
    files: Sequence[str],
    fmt: str,
    fail_on: Sequence[str],
    ignored: Sequence[str],
    config_path: str | None,
    kind: str,
    trust_policy_size: int,
    list_rules: bool,
    catalog: str | None,
) -> None:
    """Check IAM JSON documents (identity, trust or SCP; generated or hand-written) offline."""
    from bedrock_gen.diagnostics import Severity
    from bedrock_gen.lint.rules import RULES, canonical, expand_ignored, table
    from bedrock_gen.report import Report

    if list_rules:
        if fmt == "json":
            import json

            click.echo(json.dumps(table(), indent=2))
        else:
            for rule in RULES.values():
                click.echo(f"{rule.code:<52} {rule.severity.finding_type:<16} {rule.description}")
        sys.exit(0)
    if not files:
        raise click.UsageError("give at least one IAM JSON file (or --list-rules)")
    unknown = [c for c in ignored if canonical(c) is None]
    if unknown:
        raise click.BadParameter(
            f"unknown code {unknown[0]!r}; see --list-rules", param_hint="--ignore"
        )
    codes = list(ignored)
    routes_config = None
    if config_path is not None:
        from bedrock_gen.api import check

        checked = check(config_path, catalog)
        if checked.config is None:
            from bedrock_gen.report import FileResult

            options.emit(
                Report("validate", [FileResult(checked.file, tuple(checked.diagnostics))]), fmt
            )
            sys.exit(1)
        codes += checked.config.lint_ignore
        routes_config = checked
    threshold = max(
        (Severity.parse(f) for f in fail_on),
        key=lambda s: s.rank,
        default=Severity.SECURITY_WARNING,
    )
    from bedrock_gen.api import lint_file

    results = [
        lint_file(
            f,
            kind=kind,
            ignored=expand_ignored(codes),
            trust_limit=trust_policy_size,
            threshold=threshold,
            catalog=catalog,
            routes=routes_config,
        )
        for f in files
    ]
    report = Report("lint", results)
    options.emit(report, fmt)
    sys.exit(report.exit_code)
