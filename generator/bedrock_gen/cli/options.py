"""Options several commands share, parsed in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ["text", "json", "github", "sarif"]
TABLE_FORMATS = ["text", "json", "markdown"]


def report_format(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for people, json for programs, github for Actions annotations, sarif for "
        "code scanning.",
    )(f)


def table_format(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default="text",
        show_default=True,
        help="text for a terminal, markdown for a pull-request comment, json for programs.",
    )(f)


def catalog(f: F) -> F:
    return click.option(
        "--catalog",
        "catalog",
        type=click.Path(dir_okay=False),
        default=None,
        help="A catalog overlay (from 'bedrock-gen catalog import/fetch') to use on top of the "
        "bundled catalog; overrides the config's 'catalog:'.",
    )(f)


def overlay_output(f: F) -> F:
    return click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        help="The overlay file to write (JSON).",
    )(f)


def emit(report: Any, fmt: str) -> None:
    """Print a report with the chosen reporter."""
    from bedrock_gen.cli.reporters import REPORTERS

    REPORTERS[fmt]().report(report, click.echo)


def split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(" ", ",").split(",") if v.strip())
