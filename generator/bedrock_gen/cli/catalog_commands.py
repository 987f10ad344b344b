"""Commands on the catalog: models, and the catalog group (import, diff, fetch)."""

from __future__ import annotations

from collections.abc import Sequence

import click

from bedrock_gen.cli import options


@click.command()
@click.option("--geography", "-g", help="Only models with an inference profile in this geography.")
@click.option(
    "--routes",
    is_flag=True,
    help="Show, per profile, each source Region and the Regions it may be served in.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@options.report_format
@options.catalog
def models(
    geography: str | None, routes: bool, as_json: bool, fmt: str, catalog: str | None
) -> None:
    """List the model catalog: IDs, aliases, geographies (and, with --routes, where each call
    may be served)."""
    from bedrock_gen import commands

    options.finish(commands.models(geography, routes, catalog), "json" if as_json else fmt)


@click.group()
def catalog() -> None:
    """Check the catalog against your account: import, diff, fetch."""


@catalog.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@options.overlay_output
@options.report_format
def import_(files: Sequence[str], output: str, fmt: str) -> None:
    """Turn saved outputs of 'aws bedrock list-inference-profiles', 'get-inference-profile',
    'list-foundation-models' (any number, any Regions, any order) into a catalog overlay.

    Use it with 'catalog: OVERLAY' in a config or --catalog. The account ID in the ARNs is not
    kept. Nothing is written when any file is not such an output.
    """
    from bedrock_gen import commands

    options.finish(commands.catalog_import(files, output), fmt)


@catalog.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--complete",
    is_flag=True,
    help="The listings are complete even where they lack most of what the bundled catalog "
    "has for their Region: report what they lack as removed.",
)
@options.report_format
def diff_(files: Sequence[str], complete: bool, fmt: str) -> None:
    """What saved API outputs (or an overlay) say differently from the bundled catalog, over
    the slice they cover. A listing that lacks most of what the bundled catalog has for its
    Region looks filtered: what it lacks is not reported as removed, and the run says so.
    Exit 0 when nothing differs, 1 when something does, a listing looks filtered or an input
    cannot be used, 2 on usage errors."""
    from bedrock_gen import commands

    options.finish(commands.catalog_diff(files, complete), fmt)


@catalog.command("fetch")
@click.option("--regions", required=True, help="Comma-separated source Regions to ask.")
@options.overlay_output
@click.option("--profile", help="The AWS CLI profile to use (default: the usual chain).")
@click.option(
    "--save-raw",
    type=click.Path(file_okay=False),
    help="Also keep each Region's API outputs here (REGION.json), for review or 'catalog import'.",
)
@options.report_format
def fetch(regions: str, output: str, profile: str | None, save_raw: str | None, fmt: str) -> None:
    """Ask a live account (boto3; pip install 'bedrock-gen[aws]') what 'catalog import' reads
    from files: ListInferenceProfiles (system-defined, paginated) and ListFoundationModels in
    each Region. Needs bedrock:ListInferenceProfiles and bedrock:ListFoundationModels."""
    from bedrock_gen import commands

    report = commands.catalog_fetch(
        options.split_list(regions), output, profile=profile, save_raw=save_raw
    )
    options.finish(report, fmt)
