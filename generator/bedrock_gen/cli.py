"""The command line: a thin Click layer over ``bedrock_gen.api``.

Commands only parse options, call the library, pick a reporter and return an exit code:
0 clean, 1 problems (invalid config, drift), 2 usage. Exceptions of the project's own
hierarchy become one line each; anything else is a bug and says so (``--debug`` shows it).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from bedrock_gen import __version__

FORMATS = ["text", "json", "github", "sarif"]
ISSUES_URL = "https://github.com/bedrock-gen/bedrock-gen/issues"


def _echo(line: str) -> None:
    click.echo(line)


def _report(command: str, results: list[Any], fmt: str) -> None:
    from bedrock_gen.reporters import REPORTERS

    REPORTERS[fmt]().report(command, results, _echo)


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Output format: text for people, json for programs, github for Actions annotations.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="bedrock-gen",
                      message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Least-privilege IAM policies and a Terraform module for LLM gateways calling AWS Bedrock."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@format_option
def validate(configs: Sequence[str], fmt: str) -> None:
    """Check configs (structure, then meaning) and the documents they resolve to."""
    from bedrock_gen.api import validate_config

    results = [validate_config(c) for c in configs]
    _report("validate", results, fmt)
    sys.exit(0 if all(r.ok for r in results) else 1)


@cli.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--output", type=click.Path(file_okay=False),
              help="Output directory (default: the config's output_dir, relative to it). "
                   "Only with a single config.")
@click.option("--check", "mode", flag_value="check",
              help="Write nothing; exit 1 when any generated file is missing, stale or extra.")
@click.option("--diff", "mode", flag_value="diff",
              help="Like --check, and print a unified diff of each difference.")
@format_option
def render(configs: Sequence[str], output: str | None, mode: str | None, fmt: str) -> None:
    """Write the IAM documents of each config (atomically), or compare them with --check.

    CONFIGS may also name files or folders a config generated: they stand for that config.
    """
    from bedrock_gen.api import config_paths, render_config

    configs, problems = config_paths(list(configs))
    if output is not None and len(configs) > 1:
        raise click.UsageError("--output takes a single config; each config has its own "
                               "output_dir")
    chosen = mode or "write"
    for problem in problems:
        problem.mode = chosen  # type: ignore[assignment]
    results = problems + [render_config(c, output=output, mode=chosen)  # type: ignore[arg-type]
                          for c in configs]
    _report("render", results, fmt)
    failed = not all(r.ok for r in results)
    drift = chosen != "write" and any(r.drifted for r in results)
    sys.exit(1 if failed or drift else 0)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@format_option
@click.option("--fail-on", "fail_on", multiple=True, metavar="TYPE",
              type=click.Choice(["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"],
                                case_sensitive=False),
              help="Fail on findings of this type or more severe (ERROR > SECURITY_WARNING > "
                   "WARNING > SUGGESTION). Default: SECURITY_WARNING.")
@click.option("--ignore", "ignored", multiple=True, metavar="CODE",
              help="Ignore findings with this code (repeatable).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Also ignore the codes listed under lint.ignore in this bedrock-gen config.")
@click.option("--kind", type=click.Choice(["auto", "identity", "trust"]), default="auto",
              show_default=True, help="What the documents are; auto tells trust policies by "
                                      "their Principal.")
@click.option("--trust-policy-size", type=click.IntRange(2048, 4096), default=2048,
              show_default=True, help="Your account's role trust policy quota.")
@click.option("--list-rules", is_flag=True, help="Print every rule and exit.")
def lint(files: Sequence[str], fmt: str, fail_on: Sequence[str], ignored: Sequence[str],
         config_path: str | None, kind: str, trust_policy_size: int, list_rules: bool) -> None:
    """Check IAM JSON documents (generated or hand-written) offline."""
    from bedrock_gen.api import check_config, lint_file
    from bedrock_gen.lint import RULES, fail_set, rule_table

    if list_rules:
        if fmt == "json":
            import json

            click.echo(json.dumps(rule_table(), indent=2))
        else:
            for rule in RULES.values():
                click.echo(f"{rule.code:<42} {rule.finding_type:<16} {rule.description}")
        sys.exit(0)
    if not files:
        raise click.UsageError("give at least one IAM JSON file (or --list-rules)")
    unknown = [c for c in ignored if c.upper() not in RULES]
    if unknown:
        raise click.BadParameter(f"unknown code {unknown[0]!r}; see --list-rules",
                                 param_hint="--ignore")
    codes = tuple(c.upper() for c in ignored)
    if config_path is not None:
        checked = check_config(config_path)
        if checked.config is None:
            _report("validate", [checked], fmt)
            sys.exit(1)
        codes += checked.config.lint_ignore
    chosen = fail_set(fail_on)
    results = [lint_file(f, kind=kind, ignored=codes, trust_limit=trust_policy_size,
                         fail_on=chosen) for f in files]
    _report("lint", results, fmt)
    sys.exit(0 if all(r.ok for r in results) else 1)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(" ", ",").split(",") if v.strip())


@cli.command()
@click.argument("path", required=False, default="bedrock-gen.yaml",
                type=click.Path(dir_okay=False))
@click.option("--name", help="Base name of the IAM role/user and policies.")
@click.option("--models", help="Comma-separated model aliases or IDs.")
@click.option("--geographies", help="Comma-separated inference-profile geographies.")
@click.option("--mode", type=click.Choice(["assume_role", "access_keys"]))
@click.option("--account-id", help="Pin ARNs to this 12-digit account.")
@click.option("--regions", help="Comma-separated Regions the gateway calls Bedrock in.")
@click.option("--external-id-env", metavar="VAR",
              help="Read the external ID from this environment variable at render time.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: str, name: str | None, models: str | None, geographies: str | None,
         mode: str | None, account_id: str | None, regions: str | None,
         external_id_env: str | None, force: bool) -> None:
    """Write a commented starter config (asks for what flags leave open, on a terminal)."""
    import os

    from bedrock_gen.starter import Choices, check, text

    default = Choices()
    ask = sys.stdin.isatty() and sys.stdout.isatty()

    def pick(value: str | None, question: str, fallback: str) -> str:
        if value is not None:
            return value
        return str(click.prompt(question, default=fallback)) if ask else fallback

    if os.path.exists(path) and not force:
        raise click.UsageError(f"{path} exists; pass --force to overwrite it")
    choices = Choices(
        name=pick(name, "Base name for IAM", default.name),
        models=_split(pick(models, "Models (aliases or IDs)", ",".join(default.models))),
        geographies=_split(pick(geographies, "Inference-profile geographies",
                                ",".join(default.geographies))),
        mode=mode or (click.prompt("Auth mode", default=default.mode,
                                   type=click.Choice(["assume_role", "access_keys"]))
                      if ask else default.mode),
        account_id=account_id,
        regions=_split(regions or ""),
        external_id_env=external_id_env,
    )
    content = text(choices)
    problems = check(content, path)
    if problems:
        for d in problems:
            click.echo(d.format_text())
        click.echo(f"bedrock-gen: nothing written to {path}; adjust the flags above")
        sys.exit(1)
    from pathlib import Path

    from bedrock_gen.output import _write_atomic

    _write_atomic(Path(path), content.encode())
    click.echo(f"wrote {path}; next: bedrock-gen render {path}")


@cli.command()
@click.option("--geography", "-g", help="Only models with an inference profile in this geography.")
@click.option("--json", "as_json", is_flag=True, help="Print the catalog entries as JSON.")
def models(geography: str | None, as_json: bool) -> None:
    """List the model catalog: IDs, aliases, geographies."""
    from bedrock_gen import catalog as catalog_mod
    from bedrock_gen.suggest import did_you_mean

    cat = catalog_mod.load()
    if geography is not None and geography not in cat.geographies:
        raise click.BadParameter(f"unknown geography '{geography}'"
                                 f"{did_you_mean(geography, cat.geographies)}",
                                 param_hint="--geography")
    chosen = [m for m in cat.models if geography is None or geography in m.profiles]
    if as_json:
        import json

        click.echo(json.dumps({"catalog_version": cat.version, "models": [
            {"id": m.id, "name": m.name, "provider": m.provider, "aliases": list(m.aliases),
             "status": m.status, "geographies": sorted(m.profiles), "in_region": m.in_region,
             "marketplace": m.marketplace, "marketplace_product_id": m.marketplace_product_id}
            for m in chosen]}, indent=2))
        return
    rows = [("MODEL ID", "ALIAS", "GEOGRAPHIES", "IN-REGION", "STATUS")]
    rows += [(m.id, m.aliases[0] if m.aliases else "-", ",".join(sorted(m.profiles)) or "-",
              "yes" if m.in_region else "no", m.status) for m in chosen]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    click.echo(f"\n{len(chosen)} models (catalog {cat.version}); 'models.ids' takes an ID or "
               "alias.")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the config (draft 2020-12)."""
    from bedrock_gen.resources import schema_path

    click.echo(schema_path().read_text(encoding="utf-8"), nl=False)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: never lets a traceback reach the user unless --debug asks for it."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    from bedrock_gen.exceptions import BedrockGenError

    try:
        cli.main(args=args, prog_name="bedrock-gen", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("bedrock-gen: interrupted", err=True)
        sys.exit(130)
    except BedrockGenError as exc:
        for d in exc.diagnostics:
            click.echo(d.format_text(), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("bedrock-gen: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: say so, plainly
        if debug:
            raise
        click.echo(f"bedrock-gen: internal error: {type(exc).__name__}: {exc}. This is a bug; "
                   f"please report it at {ISSUES_URL} with the output of the same command "
                   "run with --debug.", err=True)
        sys.exit(1)
    sys.exit(0)
