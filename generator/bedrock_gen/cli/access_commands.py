"""Commands that review access: diff, simulate, explain."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from bedrock_gen.cli import options


def _fail(diagnostics: Sequence[object]) -> None:
    for d in diagnostics:
        click.echo(d.format_text(), err=True)  # type: ignore[attr-defined]
    sys.exit(2 if not diagnostics else 1)


def _emit(result: object, fmt: str, empty: str, verdict: str | None = None) -> None:
    from bedrock_gen import tables

    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))  # type: ignore[attr-defined]
        return
    found = result.tables()  # type: ignore[attr-defined]
    if not found:
        click.echo(verdict or empty)
        return
    text = tables.markdown(found) if fmt == "markdown" else tables.text(found)
    if verdict:
        text = f"**{verdict}**\n\n{text}" if fmt == "markdown" else f"{text}\n\n{verdict}"
    click.echo(text)


@click.command()
@click.argument("old", required=False, type=click.Path())
@click.argument("new", required=False, type=click.Path())
@click.option(
    "--base",
    "base",
    metavar="REF",
    help="Compare CONFIG (one argument) rendered now with its checked-in output at "
    "this git ref (a branch, tag or commit).",
)
@options.table_format
@options.catalog
def diff(old: str | None, new: str | None, base: str | None, fmt: str, catalog: str | None) -> None:
    """What access NEW adds and removes compared with OLD, call by call.

    OLD and NEW are rendered output folders, folders of policy files, policy files, or
    configs (rendered in memory). Exit 0 when no access is added, 1 when access is added
    (the change broadens), 2 on usage errors.
    """
    from bedrock_gen.access.diff import diff as compare_access
    from bedrock_gen.api import access_policies, catalog_for, policies_at_ref

    if base is not None:
        if old is None or new is not None:
            raise click.UsageError("--base REF takes exactly one CONFIG")
        config = old
        old_docs, problems = policies_at_ref(config, base)
        new_docs, more = access_policies(config, catalog)
    else:
        if old is None or new is None:
            raise click.UsageError("give OLD and NEW (or --base REF CONFIG)")
        config = new
        old_docs, problems = access_policies(old, catalog)
        new_docs, more = access_policies(new, catalog)
    if problems or more:
        for d in [*problems, *more]:
            click.echo(d.format_text(), err=True)
        sys.exit(2)
    cat = catalog_for(config, catalog)
    result = compare_access(old_docs, new_docs, cat)  # type: ignore[arg-type]
    _emit(result, fmt, "no access changed", None if fmt == "json" else result.verdict())
    sys.exit(1 if result.broadened else 0)


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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
    logic. Exit 0 allowed, 1 denied, 2 usage errors."""
    from bedrock_gen.api import access_policies
    from bedrock_gen.iam import arn as arns
    from bedrock_gen.iam.evaluate import Request, evaluate

    policies, problems = access_policies(path, catalog)
    if problems:
        for d in problems:
            click.echo(d.format_text(), err=True)
        sys.exit(2)
    values: dict[str, list[str]] = {}
    for item in context:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--context")
        values.setdefault(key, []).append(value)
    parsed = arns.parse(resource)
    if resource != "*" and parsed is None:
        raise click.BadParameter(f"{resource!r} is not an ARN", param_hint="--resource")
    if not any(k.lower() == "aws:requestedregion" for k in values) and parsed is not None:
        values["aws:RequestedRegion"] = [parsed.region or "unspecified"]
    values.setdefault("aws:SecureTransport", ["true"])
    decision = evaluate(policies, Request(action, resource, values, principal))  # type: ignore
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "allowed": decision.allowed,
                    "reason": decision.reason,
                    "statement": decision.statement._asdict() if decision.statement else None,
                    "context": values,
                },
                indent=2,
            )
        )
    else:
        from bedrock_gen.printable import shown

        verdict = "allowed" if decision.allowed else "denied"
        click.echo(f"{verdict}: {shown(action)} on {shown(resource)}")
        click.echo(f"  {shown(decision.reason)}")
        click.echo(
            "  context: "
            + shown(", ".join(f"{k}={','.join(v)}" for k, v in sorted(values.items())))
        )
    sys.exit(0 if decision.allowed else 1)


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@options.catalog
def explain(config: str, fmt: str, catalog: str | None) -> None:
    """What a config grants: per model and profile, the source Regions and the Regions each
    may be served in; direct calls; guardrails; Marketplace; who is trusted."""
    from bedrock_gen.access.explain import Explanation
    from bedrock_gen.access.tuples import expand
    from bedrock_gen.api import access_policies, check
    from bedrock_gen.gateways.registry import MODES

    checked = check(config, catalog)
    if checked.config is None or checked.catalog is None:
        for d in checked.diagnostics:
            click.echo(d.format_text(), err=True)
        sys.exit(1)
    policies, problems = access_policies(config, catalog)
    if problems:
        for d in problems:
            click.echo(d.format_text(), err=True)
        sys.exit(1)
    trusted = tuple(MODES[checked.config.auth.mode].trusted(checked.config.auth))
    result = Explanation(
        checked.config.name,
        expand(policies, checked.catalog),  # type: ignore
        trusted,
    )
    _emit(result, fmt, "nothing is granted")
