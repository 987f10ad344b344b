"""Commands on the catalog: models, and the catalog group (import, diff, fetch)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from bedrock_gen.cli import options

if TYPE_CHECKING:
    from bedrock_gen.catalog.diff import CatalogDiff
    from bedrock_gen.catalog.model import Catalog
    from bedrock_gen.catalog.overlay import Overlay


@click.command()
@click.option("--geography", "-g", help="Only models with an inference profile in this geography.")
@click.option(
    "--routes",
    is_flag=True,
    help="Show, per profile, each source Region and the Regions it may be served in.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the catalog entries as JSON.")
@options.catalog
def models(geography: str | None, routes: bool, as_json: bool, catalog: str | None) -> None:
    """List the model catalog: IDs, aliases, geographies (and, with --routes, where each call
    may be served)."""
    from bedrock_gen.catalog import bundled, overlay
    from bedrock_gen.catalog.listing import listing, route_table
    from bedrock_gen.suggest import did_you_mean

    cat = overlay.load_for(bundled.load(), catalog)
    if geography is not None and geography not in cat.geographies:
        raise click.BadParameter(
            f"unknown geography '{geography}'{did_you_mean(geography, cat.geographies)}",
            param_hint="--geography",
        )
    chosen = [m for m in cat.models if geography is None or geography in m.profiles]
    if as_json:
        import json

        click.echo(json.dumps(listing(cat, chosen, geography, routes), indent=2))
        return
    from bedrock_gen import tables
    from bedrock_gen.catalog.listing import lifecycle_text

    if routes:
        click.echo(tables.text(route_table(cat, chosen, geography)))
    else:
        rows = [
            (
                m.id,
                m.aliases[0] if m.aliases else "-",
                ",".join([*sorted(m.profiles), *(f"{g}*" for g in sorted(m.unpublished))])
                or ("(mantle only)" if m.mantle and not m.in_region else "-"),
                "yes" if m.on_demand else "no",
                lifecycle_text(m),
            )
            for m in chosen
        ]
        click.echo(
            tables.text(
                [
                    tables.Table(
                        "Models",
                        ("MODEL ID", "ALIAS", "GEOGRAPHIES", "IN-REGION", "LIFECYCLE"),
                        rows,
                    )
                ]
            )
        )
        if any(m.unpublished for m in chosen):
            click.echo(
                "\n* AWS publishes no per-source routes for this profile: not granted from "
                "the bundled catalog ('catalog fetch', or models.custom with routes)."
            )
    dates = ""
    if cat.read_on:
        dates = f": AWS pages read {cat.read_on}, newest page date {cat.newest_source_date}"
    click.echo(
        f"\n{len(chosen)} models (catalog {cat.version}{dates}"
        f"{', with an overlay' if cat.overlay_sha256 else ''}); 'models.ids' takes an "
        "ID or alias."
    )


@click.group()
def catalog() -> None:
    """Check the catalog against your account: import, diff, fetch."""


def _write(output: str, data: bytes) -> None:
    """Write the overlay atomically; a file system refusal is one line, not a traceback."""
    from pathlib import Path

    from bedrock_gen.errors import CatalogError
    from bedrock_gen.output.write import write_atomic

    try:
        write_atomic(Path(output), data)
    except OSError as exc:
        raise CatalogError.one(
            "catalog-output", f"cannot write: {exc.strerror or exc}", output
        ) from None


def _summary(output: str, overlay: Overlay, notes: Sequence[str], what: str) -> None:
    routes = [s for m in overlay.models.values() for r in m.profiles.values() for s in r]
    click.echo(
        f"wrote {output}: {len(overlay.models)} models, {len(routes)} routes from "
        f"{len(set(routes))} source Regions ({what})"
    )
    for note in notes:
        click.echo(f"note: {note}")


@catalog.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@options.overlay_output
def import_(files: Sequence[str], output: str) -> None:
    """Turn saved outputs of 'aws bedrock list-inference-profiles', 'get-inference-profile',
    'list-foundation-models' (any number, any Regions, any order) into a catalog overlay.

    Use it with 'catalog: OVERLAY' in a config or --catalog. The account ID in the ARNs is not
    kept. Nothing is written when any file is not such an output.
    """
    from bedrock_gen.catalog import bundled
    from bedrock_gen.catalog.importer import import_files

    imported = import_files(files, bundled.load().regions)
    for d in imported.warnings:
        click.echo(d.format_text(), err=True)
    _write(output, imported.overlay.dumps())
    _summary(output, imported.overlay, imported.notes, f"{len(files)} files")


@catalog.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@options.table_format
def diff_(files: Sequence[str], fmt: str) -> None:
    """What saved API outputs (or an overlay) say differently from the bundled catalog, over
    the slice they cover; or, given two catalog builds (catalog.json files, OLD NEW), every
    route, In-Region, lifecycle and product-ID change between them. Exit 0 when nothing
    differs, 1 when something does, 2 when the input cannot be used."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.catalog import overlay as overlay_mod
    from bedrock_gen.catalog.diff import compare, compare_catalogs
    from bedrock_gen.catalog.importer import import_files
    from bedrock_gen.errors import BedrockGenError

    builds = [f for f in files if _head_has(f, '"catalog_version"')]
    if builds:
        if len(files) != 2 or len(builds) != 2:
            raise click.UsageError("give two catalog builds (OLD.json NEW.json) to compare")
        try:
            old, new = (_catalog_build(f) for f in files)
        except BedrockGenError as exc:
            for d in exc.diagnostics:
                click.echo(d.format_text(), err=True)
            sys.exit(2)
        result = compare_catalogs(old, new)
        _print_tables(result, fmt, "The two catalog builds hold the same facts.")
        sys.exit(0 if result.empty else 1)
    overlays = [f for f in files if _is_overlay(f)]
    if overlays and len(files) > 1:
        raise click.UsageError("give one overlay, or API outputs, not both")
    try:
        if overlays:
            ov, _digest = overlay_mod.read(overlays[0])
        else:
            imported = import_files(files, bundled.load().regions)
            for d in imported.warnings:
                click.echo(d.format_text(), err=True)
            ov = imported.overlay
    except BedrockGenError as exc:  # exit 1 means "differs": an unusable input is not that
        for d in exc.diagnostics:
            click.echo(d.format_text(), err=True)
        sys.exit(2)
    result = compare(bundled.load(), ov)
    _print_tables(result, fmt, "The bundled catalog agrees with these outputs.")
    sys.exit(0 if result.empty else 1)


def _is_overlay(path: str) -> bool:
    return _head_has(path, '"bedrock_gen_overlay"')


def _head_has(path: str, marker: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return marker in head


def _catalog_build(path: str) -> Catalog:
    """A catalog.json file (a build of catalog-src/, bundled or not), parsed; one located
    error when it is not one."""
    import json

    from bedrock_gen.catalog import bundled
    from bedrock_gen.errors import CatalogError
    from bedrock_gen.load.files import decode, read_limited

    data = read_limited(path, path, "a catalog build", 64 * 1024 * 1024)
    try:
        return bundled.parse(json.loads(decode(data, path)))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CatalogError.one(
            "catalog-build", f"not a catalog build bedrock-gen can read ({exc})", path
        ) from None


def _print_tables(result: CatalogDiff, fmt: str, empty: str) -> None:
    from bedrock_gen import tables

    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_json(), indent=2))
        return
    found = result.tables()
    if not found:
        click.echo(empty)
        return
    click.echo(tables.markdown(found) if fmt == "markdown" else tables.text(found))


@catalog.command("fetch")
@click.option("--regions", required=True, help="Comma-separated source Regions to ask.")
@options.overlay_output
@click.option("--profile", help="The AWS CLI profile to use (default: the usual chain).")
@click.option(
    "--save-raw",
    type=click.Path(file_okay=False),
    help="Also keep each Region's API outputs here (REGION.json), for review or 'catalog import'.",
)
def fetch(regions: str, output: str, profile: str | None, save_raw: str | None) -> None:
    """Ask a live account (boto3; pip install 'bedrock-gen[aws]') what 'catalog import' reads
    from files: ListInferenceProfiles (system-defined, paginated) and ListFoundationModels in
    each Region. Needs bedrock:ListInferenceProfiles and bedrock:ListFoundationModels."""
    from pathlib import Path

    from bedrock_gen.catalog.fetch import boto3_clients
    from bedrock_gen.catalog.fetch import fetch as run
    from bedrock_gen.catalog.ids import REGION

    chosen = options.split_list(regions)
    if not chosen:
        raise click.BadParameter("name at least one Region", param_hint="--regions")
    bad = [r for r in chosen if not REGION.match(r)]
    if bad:
        raise click.BadParameter(
            f"'{bad[0]}' is not a Region name (like eu-west-1)", param_hint="--regions"
        )
    try:
        overlay, notes = run(chosen, boto3_clients(profile), Path(save_raw) if save_raw else None)
    except OSError as exc:
        raise click.FileError(save_raw or output, exc.strerror or str(exc)) from None
    _write(output, overlay.dumps())
    _summary(output, overlay, notes, f"{len(set(chosen))} Regions")
