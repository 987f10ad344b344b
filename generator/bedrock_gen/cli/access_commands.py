"""Commands that review access: diff, simulate, explain."""

from __future__ import annotations

from collections.abc import Sequence

import click

from bedrock_gen.cli import options


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--base",
    "base",
    metavar="REF",
    help="Compare each CONFIG's merge (its committed output and what it renders now) with "
    "its output committed at this git ref (a branch, tag or commit).",
)
@options.report_format
@options.catalog
def diff(paths: tuple[str, ...], base: str | None, fmt: str, catalog: str | None) -> None:
    """What access NEW adds and removes compared with OLD, call by call.

    \b
    bedrock-gen diff OLD NEW
    bedrock-gen diff --base REF CONFIG...

    OLD and NEW are rendered output folders, folders of policy files, policy files, or
    configs (rendered in memory). With --base, each CONFIG's output as committed at REF is
    compared with what will be applied: the output committed now and what the config renders
    now; a generated file edited by hand is named, and the access it adds counts. Exit 0 when
    no access is added, 1 when access is added (the change broadens) or an input is invalid,
    2 on usage errors.
    """
    from bedrock_gen import commands

    options.finish(commands.diff(paths, base, catalog), fmt)


@click.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--action", required=True, help="The action, such as bedrock:InvokeModel.")
@click.option("--resource", required=True, help="The resource ARN.")
@click.option(
    "--context",
    "context",
    multiple=True,
    metavar="KEY=VALUE",
    help="A request context value (repeatable; a key given twice is multi-valued). "
    "aws:RequestedRegion defaults to the resource's Region.",
)
@click.option(
    "--principal", help="The caller, for trust policies (a role ARN, service or OIDC provider)."
)
@options.report_format
@options.catalog
def simulate(
    path: str,
    action: str,
    resource: str,
    context: Sequence[str],
    principal: str | None,
    fmt: str,
    catalog: str | None,
) -> None:
    """Would PATH's policies allow this request? PATH is a rendered folder, policy files or a
    config. Answers allowed or denied with the statement that decides, by IAM's evaluation
    logic. Exit 0 allowed, 1 denied or an invalid input, 2 usage errors."""
    from bedrock_gen import commands

    options.finish(commands.simulate(path, action, resource, context, principal, catalog), fmt)


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@options.report_format
@options.catalog
def explain(config: str, fmt: str, catalog: str | None) -> None:
    """What a config grants: per model and profile, the source Regions and the Regions each
    may be served in; direct calls; guardrails; Marketplace; who is trusted."""
    from bedrock_gen import commands

    options.finish(commands.explain(config, catalog), fmt)
