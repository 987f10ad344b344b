"""``bedrock-gen init``: a commented starter config that validates and renders as written, or,
where only the user knows a value (the cluster's OIDC provider, the cluster), one that is left
invalid on purpose: the key is absent, with a comment naming what to fill in, so validate and
render fail until it is filled (never a placeholder that renders)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from bedrock_gen.config.gateway import Preset
from bedrock_gen.diagnostics import Diagnostic


class Choices(NamedTuple):
    name: str = "port-bedrock"
    models: tuple[str, ...] = ("claude-sonnet-4-5", "claude-haiku-4-5")
    geographies: tuple[str, ...] = ("eu",)
    gateway: str = "port"
    mode: str = "assume_role"
    account_id: str | None = None
    regions: tuple[str, ...] = ()
    external_id_env: str | None = None
    oidc_provider_arn: str | None = None  # eks_irsa
    cluster_arn: str | None = None  # eks_pod_identity


# What the starter leaves for the user to fill in, per mode: the key, the error validate
# reports until it is there, and how to find the value.
OPEN = {
    "eks_irsa": (
        "oidc_provider_arn",
        "oidc-provider-missing",
        "the cluster's IAM OIDC provider, arn:aws:iam::ACCOUNT:oidc-provider/ followed by the "
        "issuer without https:// (aws eks describe-cluster --name CLUSTER --query "
        "cluster.identity.oidc.issuer --output text)",
    ),
    "eks_pod_identity": (
        "cluster_arn",
        "cluster-arn-missing",
        "the cluster's ARN, arn:aws:eks:REGION:ACCOUNT:cluster/NAME (aws eks describe-cluster "
        "--name CLUSTER --query cluster.arn --output text)",
    ),
}
FILL_IN = "FILL IN"


def left_open(c: Choices) -> tuple[str, str, str] | None:
    """The key the starter leaves for the user (none given), or None."""
    if c.mode not in OPEN:
        return None
    given = c.oidc_provider_arn if c.mode == "eks_irsa" else c.cluster_arn
    return None if given else OPEN[c.mode]


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(i) if not _plain(i) else i for i in items) + "]"


def _plain(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "-._" for c in text) and not text[0].isdigit()


def text(c: Choices) -> str:
    """The starter file. Values are JSON-quoted where YAML could misread them."""
    name = c.name if _plain(c.name) else json.dumps(c.name)
    lines = [
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/bedrock-gen/bedrock-gen/"
        "main/schemas/bedrock-gen.schema.json",
        "# bedrock-gen config: `bedrock-gen validate` checks it, `bedrock-gen render` writes",
        "# iam/*.json and a Terraform module into output_dir. `bedrock-gen schema` documents "
        "every key.",
        "version: 1",
        f"name: {name}                 # base of the IAM names",
    ]
    if c.account_id:
        lines.append(f'account_id: "{c.account_id}"   # pins ARNs to your account')
    else:
        lines.append('# account_id: "123456789012"   # pin ARNs to your account (quoted!)')
    if c.regions:
        lines.append(f"regions: {_flow(c.regions)}   # Regions the gateway calls Bedrock in")
    else:
        lines.append(
            "# regions: [eu-west-1]          # pin the Regions the gateway calls Bedrock in"
        )
    lines += [
        "models:",
        f"  ids: {_flow(c.models)}   # 'bedrock-gen models' lists aliases and IDs",
        f"  geographies: {_flow(c.geographies)}   # inference-profile geographies: us eu apac "
        "jp au ca global",
        "  # in_region: true              # also allow direct calls in `regions` (older models)",
        "# guardrails: [arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123]",
        "#   or [{arn: ..., version: 1, enforce: true}]   # invoke only with the guardrail",
        "# marketplace: {subscribe: true}  # first call of a third-party model in the account",
        f"gateway: {c.gateway}             # {' '.join(_presets())}",
        "auth:",
        f"  mode: {c.mode}          # 'bedrock-gen schema' lists the modes and their keys",
    ]
    lines += _mode_lines(c)
    lines += [
        "# terraform:",
        "#   format: hcl                  # or json (*.tf.json)",
        "#   tags: {team: platform}",
        "output_dir: generated",
    ]
    return "\n".join(lines) + "\n"


def _presets() -> list[str]:
    from bedrock_gen.gateways.registry import PRESETS

    return list(PRESETS)


def _mode_lines(c: Choices) -> list[str]:
    from bedrock_gen.gateways.registry import PRESETS

    preset = PRESETS[c.gateway]
    if c.mode == "assume_role":
        lines = []
        if len(preset.default_roles) < len(preset.roles):
            lines.append(
                f"  # gateway_regions: {_flow(preset.default_roles)}   # which of "
                f"{preset.title}'s roles to trust: {' '.join(preset.roles)}"
            )
        elif not preset.is_saas:
            lines += [
                "  trusted_principals: [arn:aws:iam::123456789012:role/gateway]",
                "  allow_custom_principals: true",
            ]
        env = external_id_env(c)
        if env:
            lines += [
                f"  external_id: {{env: {env}}}   # never written to generated files",
                f"  # {env} holds the external ID (init printed a new random one); generate "
                "another with:",
                f"  #   export {env}=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(24))')\"",
            ]
        else:
            lines.append(
                f"  # external_id: {{env: GATEWAY_EXTERNAL_ID}}   # "
                f"{preset.external_id} for {preset.title}"
            )
        return lines
    if c.mode in OPEN:
        key, _code, how = OPEN[c.mode]
        given = c.oidc_provider_arn if c.mode == "eks_irsa" else c.cluster_arn
        first = (
            [f"  {key}: {given}"]
            if given
            else [
                f"  # {key}: {FILL_IN} (validate and render fail until it is set): {how}",
            ]
        )
        return [*first, f'  service_accounts: ["{_service_account(preset)}"]   # NAMESPACE:NAME']
    if c.mode == "aws_service":
        return ["  service: lambda                 # lambda, ecs-tasks (needs account_id) or ec2"]
    if c.mode == "existing_role":
        return ["  role_name: my-gateway-role"]
    if c.mode == "existing_user":
        return ["  user_name: my-gateway-user"]
    return []


def external_id_env(c: Choices) -> str | None:
    """The variable the starter reads the external ID from: the one asked for, or for a SaaS
    gateway that is multi-tenant or requires one, ``GATEWAY_EXTERNAL_ID``."""
    from bedrock_gen.gateways.registry import PRESETS

    if c.mode != "assume_role":
        return None
    preset = PRESETS[c.gateway]
    if c.external_id_env is not None:
        return c.external_id_env
    if preset.multi_tenant or preset.external_id == "required":
        return preset.id.upper().replace("-", "_") + "_EXTERNAL_ID"
    return None


def new_external_id() -> str:
    """A strong external ID: 32 URL-safe random characters (192 bits), within STS's alphabet
    ([\\w+=,.@:/-]) and length (2 to 1,224)."""
    import secrets

    return secrets.token_urlsafe(24)


def external_id_notice(c: Choices, value: str | None = None) -> list[str]:
    """What ``init`` prints after writing a starter that reads an external ID from the
    environment: a freshly generated value and where it goes. The value is printed once,
    never written to the config."""
    env = external_id_env(c)
    if env is None:
        return []
    from bedrock_gen.gateways.registry import PRESETS

    preset = PRESETS[c.gateway]
    value = value if value is not None else new_external_id()
    where = (
        f"store the same value as {preset.title}'s secret {preset.secret_name}"
        if preset.secret_name
        else f"enter the same value in {preset.title}"
    )
    return [
        f"The config reads the role's external ID from ${env}. A new random one (shown once; "
        "keep it in your secret store):",
        f"  export {env}='{value}'",
        f"Set it wherever you render and apply, and {where}.",
    ]


def geographies_for(regions: Sequence[str], models: Sequence[str]) -> tuple[str, ...] | None:
    """The geography to start from: one whose profiles the first Region can call, offering
    every model, the narrowest first (jp before apac from Tokyo). None: nothing fits."""
    from bedrock_gen.catalog import bundled

    if not regions:
        return None
    cat = bundled.load()
    chosen = [cat.lookup(m) for m in models]
    fits = [
        g
        for g, geo in cat.geographies.items()
        if not geo.is_global
        and regions[0] in cat.geography_sources(g)
        and all(m is None or g in m.profiles for m in chosen)
    ]
    fits.sort(key=lambda g: (len(cat.geography_sources(g)), g))
    return tuple(fits[:1]) or None


def _service_account(preset: Preset) -> str:
    """The preset's documented service account, else NAMESPACE:NAME after the gateway."""
    return preset.service_accounts[0] if preset.service_accounts else f"{preset.id}:{preset.id}"


def after_init(c: Choices, value: str | None = None) -> list[str]:
    """What ``init`` prints after writing: the external ID notice, and what is left to fill in."""
    out = external_id_notice(c, value)
    open_key = left_open(c)
    if open_key is not None:
        key, code, how = open_key
        out.append(
            f"Before rendering, set auth.{key}: {how}. Until then validate and render fail "
            f"with {code} (or run init again with --{key.replace('_', '-')})."
        )
    return out


def check(content: str, file: str) -> list[Diagnostic]:
    """Errors the starter would have (it is validated before it is written), except the one
    it leaves open on purpose (a key commented as FILL IN)."""
    from bedrock_gen.catalog import bundled
    from bedrock_gen.diagnostics import Severity
    from bedrock_gen.errors import BedrockGenError
    from bedrock_gen.lint.rules import known_codes
    from bedrock_gen.load.yaml_source import load_text
    from bedrock_gen.validate.passes import validate

    try:
        doc = load_text(content, file)
    except BedrockGenError as exc:
        return exc.diagnostics
    _config, diagnostics = validate(doc, bundled.load(), known_codes())
    expected = {code for key, code, _ in OPEN.values() if f"# {key}: {FILL_IN}" in content}
    return [d for d in diagnostics if d.severity is Severity.ERROR and d.code not in expected]
