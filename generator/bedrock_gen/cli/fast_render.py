"""``render`` answered before Click is imported, when every config's output is up to date.

pre-commit runs ``bedrock-gen render --check --only-owned FILES`` on every commit, and the
answer is nearly always "up to date". Importing Click costs more than finding that answer
(about 4x a bare ``python -c pass`` on a 2-core machine), so ``main`` offers ``render``'s
arguments here first. Only the plain forms of a few of render's own options are read (``FLAGS``
and ``VALUES``; a test checks each against the Click option of the same name), and an answer
is given only when every config is up to date by ``output.freshness``. Anything else (another
option, ``--help``, a config that changed, fails or has warnings, a path that is not a config)
returns None, and Click runs the command in full: what that prints is what would have been
printed anyway, because the answer given here is built by the same reporter from the same
result a full render gives.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

# render's options read here: each is a Click option of ``cli.config_commands.render``.
FLAGS = {"--check": ("mode", "check"), "--diff": ("mode", "diff"), "--only-owned": ("owned", "")}
VALUES = {"-o": "output", "--output": "output", "--catalog": "catalog"}


class Arguments(NamedTuple):
    configs: tuple[str, ...]
    mode: str
    only_owned: bool
    output: str | None
    catalog: str | None


def parse(args: Sequence[str]) -> Arguments | None:
    """render's arguments in their plain forms, or None for anything else (Click reads it)."""
    configs: list[str] = []
    seen: dict[str, str] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, eq, inline = arg.partition("=")
        if not arg.startswith("-"):
            configs.append(arg)
            continue
        if name in VALUES and arg.startswith("--") and eq:
            key, value = VALUES[name], inline
        elif arg in VALUES and rest and not rest[0].startswith("-"):
            key, value = VALUES[arg], rest.pop(0)
        elif arg in FLAGS:
            key, value = FLAGS[arg]
        else:
            return None
        if key in seen or (not value and key != "owned"):
            return None  # repeated or empty: Click decides what that means
        seen[key] = value
    if not configs or ("output" in seen and len(configs) > 1):
        return None
    return Arguments(
        tuple(configs),
        seen.get("mode", "write"),
        "owned" in seen,
        seen.get("output"),
        seen.get("catalog"),
    )


def _click_refuses(parsed: Arguments) -> bool:
    """What Click's ``click.Path`` types check before render runs: an existing path must be
    readable, ``--output`` a folder, ``--catalog`` not a folder (Click then says so, exit 2)."""
    for path, folder in (
        *((c, None) for c in parsed.configs),
        (parsed.output, True),
        (parsed.catalog, False),
    ):
        if path is None or not os.path.exists(path):
            continue
        if not os.access(path, os.R_OK) or (folder is not None and os.path.isdir(path) != folder):
            return True
    return False


def answer(args: Sequence[str]) -> str | None:
    """What ``bedrock-gen render ARGS`` prints when every config is up to date, else None."""
    from bedrock_gen.api import config_paths, render_unchanged
    from bedrock_gen.cli.reporters import TextReporter
    from bedrock_gen.report import FileResult, Mode, Report

    parsed = parse(args)
    if parsed is None or _click_refuses(parsed):
        return None
    mode = Mode(parsed.mode)
    paths, problems = config_paths(list(parsed.configs), parsed.only_owned)
    if problems:
        return None
    results: list[FileResult] = []
    for path in paths:
        result = render_unchanged(path, output=parsed.output, mode=mode, catalog=parsed.catalog)
        if result is None:
            return None
        results.append(result)
    lines: list[str] = []
    TextReporter().report(Report("render", results, mode), lines.append)
    text = "".join(f"{line}\n" for line in lines)
    if "\x1b" in text:
        return None  # Click's echo strips escape sequences when not on a terminal
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeError, LookupError):
        return None  # Click's echo decides how to show what this terminal cannot
    return text
