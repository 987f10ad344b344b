"""The entry point and the command group.

Commands only parse options, call the library, pick a reporter and exit with the report's
code: 0 clean, 1 problems (invalid input, findings, drift, access added), 2 usage. Exceptions
of the project's own hierarchy become one line each; anything else is a bug and says so
(``--debug`` shows it).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

from bedrock_gen import __version__

ISSUES_URL = "https://github.com/bedrock-gen/bedrock-gen/issues"

# Every command, by name: the module that holds it. A command's module (and what it imports)
# loads only when that command runs, so `validate` in a pre-commit hook does not pay for
# `catalog fetch` or `diff`. Add a command here and in its module.
COMMANDS = {
    "validate": "config_commands:validate",
    "render": "config_commands:render",
    "trust-policy": "config_commands:trust_policy",
    "init": "config_commands:init",
    "schema": "config_commands:schema",
    "lint": "lint_command:lint",
    "models": "catalog_commands:models",
    "catalog": "catalog_commands:catalog",
    "diff": "access_commands:diff",
    "simulate": "access_commands:simulate",
    "explain": "access_commands:explain",
}


def _group() -> object:
    import importlib

    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(COMMANDS)

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            target = COMMANDS.get(cmd_name)
            if target is None:
                return None
            module, _, attr = target.partition(":")
            command = getattr(importlib.import_module(f"bedrock_gen.cli.{module}"), attr)
            assert isinstance(command, click.Command)
            return command

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(
        __version__, "--version", "-V", prog_name="bedrock-gen", message="%(prog)s %(version)s"
    )
    @click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
    def cli(debug: bool) -> None:
        """Least-privilege IAM and a Terraform module for LLM gateways calling AWS Bedrock."""

    return cli


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: never lets a traceback reach the user unless --debug asks for it."""
    for stream in (sys.stdout, sys.stderr):  # a C locale's ASCII streams: escape, never raise
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        _run(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:  # wherever it lands, imports included
        sys.stderr.write("bedrock-gen: interrupted\n")
        sys.exit(130)


def _run(args: list[str]) -> None:
    if args in (["--version"], ["-V"]):  # pre-commit asks this often: skip importing Click
        sys.stdout.write(f"bedrock-gen {__version__}\n")
        sys.exit(0)
    debug = "--debug" in args
    import click

    from bedrock_gen.errors import BedrockGenError

    cli = _group()
    try:
        cli.main(args=args, prog_name="bedrock-gen", standalone_mode=False)  # type: ignore
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("bedrock-gen: interrupted", err=True)
        sys.exit(130)
    except BedrockGenError as exc:
        from bedrock_gen.errors import UsageError
        from bedrock_gen.printable import shown

        for d in exc.diagnostics:
            text = d.message if isinstance(exc, UsageError) else d.format_text()
            click.echo(f"{'Error: ' if isinstance(exc, UsageError) else ''}{shown(text)}", err=True)
        sys.exit(2 if isinstance(exc, UsageError) else 1)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: say so, plainly
        if debug:
            raise
        from bedrock_gen.printable import shown

        click.echo(
            f"bedrock-gen: internal error: {type(exc).__name__}: {shown(exc)}. This is a bug; "
            f"please report it at {ISSUES_URL} with the output of the same command "
            "run with --debug.",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
