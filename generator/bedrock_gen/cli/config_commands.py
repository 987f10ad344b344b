"""Commands on configs: validate, render, trust-policy, init, schema."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from bedrock_gen.cli import options
from bedrock_gen.printable import quoted


@click.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@options.report_format
@options.catalog
def validate(configs: Sequence[str], fmt: str, catalog: str | None) -> None:
    """Check configs (structure, then meaning) and the documents they resolve to."""
    from bedrock_gen import commands

    options.finish(commands.validate(configs, catalog), fmt)


@click.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    help="Output directory (default: the config's output_dir, relative to it). "
    "Only with a single config.",
)
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Write nothing; exit 1 when any generated file is missing, stale, extra or "
    "edited by hand.",
)
@click.option(
    "--diff",
    "mode",
    flag_value="diff",
    help="Like --check, and print a unified diff of each difference.",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Take over existing generated files in an output folder whose manifest was "
    "lost (says which; with --check only shows them).",
)
@click.option("--force", is_flag=True, help="Replace generated files that were edited by hand.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="List every generated file and print the next steps, even when nothing changed.",
)
@click.option(
    "--only-owned",
    is_flag=True,
    help="Skip paths that are neither configs nor files a config generated, quietly "
    "(for pre-commit in repositories with their own terraform/ or iam/ folders).",
)
@options.report_format
@options.catalog
def render(
    configs: Sequence[str],
    output: str | None,
    mode: str | None,
    adopt: bool,
    force: bool,
    verbose: bool,
    only_owned: bool,
    fmt: str,
    catalog: str | None,
) -> None:
    """Write the IAM documents and Terraform module of each config (all or nothing), or
    compare them with --check / --diff.

    CONFIGS may also name files or folders under a config's output folder: they stand for that
    config (pre-commit passes changed files).
    """
    from bedrock_gen import commands
    from bedrock_gen.report import Mode

    report = commands.render(
        configs,
        output=output,
        mode=Mode(mode or "write"),
        adopt=adopt,
        force=force,
        only_owned=only_owned,
        catalog=catalog,
        verbose=verbose,
    )
    options.finish(report, fmt)


@click.command("trust-policy")
@click.argument("config", type=click.Path(dir_okay=False))
@options.catalog
def trust_policy(config: str, catalog: str | None) -> None:
    """Print a role's complete trust policy, with the external ID read from the environment.

    Generated files hold ${VAR} where a secret external ID goes; this is for applying the
    trust policy by hand: bedrock-gen trust-policy CONFIG > trust.json. Nothing is written.
    """
    from bedrock_gen import commands

    options.finish(commands.trust_policy(config, catalog=catalog))


@click.command()
@click.argument("path", required=False, default="bedrock-gen.yaml", type=click.Path(dir_okay=False))
@click.option("--name", help="Base name of the IAM role/user and policies.")
@click.option("--models", help="Comma-separated model aliases or IDs.")
@click.option("--geographies", help="Comma-separated inference-profile geographies.")
@click.option("--gateway", help="The gateway preset (port, portkey, litellm, ...).")
@click.option("--mode", help="The auth mode (assume_role, access_keys, eks_irsa, ...).")
@click.option("--account-id", help="Pin ARNs to this 12-digit account.")
@click.option("--regions", help="Comma-separated Regions the gateway calls Bedrock in.")
@click.option(
    "--external-id-env",
    metavar="VAR",
    help="Read the external ID from this environment variable when applying.",
)
@click.option(
    "--oidc-provider-arn",
    metavar="ARN",
    help="eks_irsa: the cluster's IAM OIDC provider (asked for on a terminal; else left to fill "
    "in, and the config is invalid until it is).",
)
@click.option(
    "--cluster-arn",
    metavar="ARN",
    help="eks_pod_identity: the cluster's ARN (asked for on a terminal; else left to fill in).",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(
    path: str,
    name: str | None,
    models: str | None,
    geographies: str | None,
    gateway: str | None,
    mode: str | None,
    account_id: str | None,
    regions: str | None,
    external_id_env: str | None,
    oidc_provider_arn: str | None,
    cluster_arn: str | None,
    force: bool,
) -> None:
    """Write a commented starter config (asks for what flags leave open, on a terminal)."""
    import os

    from bedrock_gen.emit.starter_config import Choices, after_init, geographies_for, text
    from bedrock_gen.gateways.registry import MODES, PRESETS

    default = Choices()
    ask = sys.stdin.isatty() and sys.stdout.isatty()

    def pick(
        value: str | None, question: str, fallback: str, choices: Sequence[str] | None = None
    ) -> str:
        if value is not None:
            return value
        if not ask:
            return fallback
        kind = click.Choice(list(choices)) if choices else None
        return str(click.prompt(question, default=fallback, type=kind))

    def ask_value(question: str) -> str | None:
        """A value only the user knows; empty leaves it to fill in later."""
        if not ask:
            return None
        answer = str(click.prompt(f"{question} (empty: fill in later)", default="")).strip()
        return answer or None

    if os.path.exists(path) and not force:
        raise click.UsageError(f"{path} exists; pass --force to overwrite it")
    chosen_gateway = pick(gateway, "Gateway", default.gateway, list(PRESETS))
    if chosen_gateway not in PRESETS:
        raise click.BadParameter(
            f"unknown gateway {quoted(chosen_gateway)}; one of {', '.join(PRESETS)}",
            param_hint="--gateway",
        )
    preset = PRESETS[chosen_gateway]
    chosen_mode = pick(mode, "Auth mode", preset.modes[0], list(preset.modes))
    if chosen_mode not in MODES:
        raise click.BadParameter(
            f"unknown mode {quoted(chosen_mode)}; one of {', '.join(MODES)}", param_hint="--mode"
        )
    region_list = options.split_list(regions or "")
    chosen_name = pick(name, "Base name for IAM", default.name)
    model_list = options.split_list(
        pick(models, "Models (aliases or IDs)", ",".join(default.models))
    )
    geos = geographies_for(region_list, model_list) or default.geographies
    choices = Choices(
        name=chosen_name,
        models=model_list,
        geographies=options.split_list(
            pick(geographies, "Inference-profile geographies", ",".join(geos))
        ),
        gateway=chosen_gateway,
        mode=chosen_mode,
        account_id=account_id,
        regions=region_list,
        external_id_env=external_id_env,
        # what only the user knows: asked for on a terminal, never a placeholder that renders
        oidc_provider_arn=oidc_provider_arn
        or (
            ask_value("The cluster's IAM OIDC provider ARN") if chosen_mode == "eks_irsa" else None
        ),
        cluster_arn=cluster_arn
        or (ask_value("The EKS cluster's ARN") if chosen_mode == "eks_pod_identity" else None),
    )
    from bedrock_gen import commands

    options.finish(commands.init(path, text(choices), after_init(choices)))


@click.command()
def schema() -> None:
    """Print the JSON Schema of the config (draft 2020-12)."""
    from bedrock_gen import commands

    options.finish(commands.schema())
