"""Options several commands share, parsed in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
# The reporters' names (cli/reporters.py REPORTERS), listed here so that parsing options does
# not import the reporters.
FORMATS = ["text", "json", "github", "sarif", "markdown"]


def report_format(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for people, json for programs, github for Actions annotations, sarif for "
        "code scanning, markdown for a pull-request comment.",
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


def finish(report: Any, fmt: str = "text") -> None:
    """Print a report with the chosen reporter and exit with its code."""
    import sys

    from bedrock_gen.cli.reporters import REPORTERS

    REPORTERS[fmt]().report(report, click.echo, lambda text: click.echo(text, err=True))
    sys.exit(report.exit_code)


def split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(" ", ",").split(",") if v.strip())
