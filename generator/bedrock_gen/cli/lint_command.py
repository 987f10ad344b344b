"""``bedrock-gen lint``."""

from __future__ import annotations

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
    from bedrock_gen import commands
    from bedrock_gen.diagnostics import Severity

    if list_rules:
        options.finish(commands.lint_rules(), fmt)
    threshold = max(
        (Severity.parse(f) for f in fail_on),
        key=lambda s: s.rank,
        default=Severity.SECURITY_WARNING,
    )
    report = commands.lint(
        files,
        kind=kind,
        fail_on=threshold,
        ignored=ignored,
        config=config_path,
        trust_limit=trust_policy_size,
        catalog=catalog,
    )
    options.finish(report, fmt)
