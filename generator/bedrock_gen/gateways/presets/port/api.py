"""Port's API, for the provider registration bedrock-gen writes (``port/``).

Port's guide has three steps: the IAM pieces (the rest of bedrock-gen), a Port secret with the
external ID or the access keys, and registering the provider through Port's API. This module
writes the last two as data and commands: ``port/llm-provider.json`` (the exact body of
``POST /v1/llm-providers``), ``port/llm-provider.update.json`` (``PUT
/v1/llm-providers/bedrock``, whose schema differs) and ``port/README.md``, and the next steps
``render`` prints. Secret *values* never reach a file or a command line: the commands build the
secret's JSON with ``printf`` from an environment variable and pipe it to ``curl``. A literal
``auth.external_id`` is read from ``iam/trust-policy.json``, the one file that holds it already.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from bedrock_gen.config.model import Config
from bedrock_gen.gateways.base import StepContext
from bedrock_gen.gateways.presets import port

PORT_DIR = "port"
POST_FILE = "llm-provider.json"
PUT_FILE = "llm-provider.update.json"
# Prints the external ID of a trust policy bedrock-gen wrote (one statement, one condition).
TRUST_EXTERNAL_ID = (
    'import json, sys; print(json.load(sys.stdin)["Statement"][0]'
    '["Condition"]["StringEquals"]["sts:ExternalId"])'
)


class Secret(NamedTuple):
    """A Port organization secret the commands create, and where its value comes from."""

    name: str
    what: str  # "the external ID", "the access key ID", ...
    env: str  # the variable the command reads the value from
    in_config: bool  # a literal auth.external_id: the command reads it from the trust policy
    description: str


class Settings(NamedTuple):
    """The config's ``port:`` section with its defaults, and the facts derived from it."""

    region: str | None
    region_path: tuple[str | int, ...]  # where the Region was written (for messages)
    account: str | None  # the role's account, from account_id, port.account_id or a guardrail
    api_region: str
    access_key_id_secret: str
    secret_access_key_secret: str
    access_key_id_env: str
    secret_access_key_env: str
    secret_description: str | None  # as written (None: a default per secret)
    guardrail_version: str

    @property
    def api_url(self) -> str:
        return port.API_URLS[self.api_region]

    @property
    def other_api_url(self) -> str:
        return port.API_URLS["us" if self.api_region == "eu" else "eu"]


def settings(config: Config) -> Settings:
    raw: Mapping[str, Any] = config.preset_settings
    region_path: tuple[str | int, ...] = ("port", "region") if "region" in raw else ("regions", 0)
    account = config.account_id or raw.get("account_id")
    if account is None and config.guardrails:
        account = config.guardrails[0].account  # usually the role's own account
    version = raw.get("guardrail_version")
    if version is None and len(config.guardrails) == 1:
        version = config.guardrails[0].version
    return Settings(
        region=raw.get("region") or config.primary_region,
        region_path=region_path,
        account=account,
        api_region=raw.get("api_region", "eu"),
        access_key_id_secret=raw.get("access_key_id_secret_name", port.ACCESS_KEY_ID_SECRET),
        secret_access_key_secret=raw.get(
            "secret_access_key_secret_name", port.SECRET_ACCESS_KEY_SECRET
        ),
        access_key_id_env=raw.get("access_key_id_env", port.ACCESS_KEY_ID_ENV),
        secret_access_key_env=raw.get("secret_access_key_env", port.SECRET_ACCESS_KEY_ENV),
        secret_description=raw.get("secret_description"),
        guardrail_version=str(version) if version is not None else port.GUARDRAIL_VERSION,
    )


def role_arn(config: Config, s: Settings) -> str:
    """The role's ARN as Port needs it: a 12-digit account (a stand-in when none is known)."""
    account = s.account or port.ACCOUNT_PLACEHOLDER
    return f"arn:{config.partition}:iam::{account}:role{config.terraform.path}{config.entity_name}"


def default_description(config: Config, what: str) -> str:
    """Also the default of ``port.tf``'s secret description (kept equal by a test)."""
    kind = "role" if config.is_role else "IAM user"
    return f"{what} for the Bedrock provider in Port ({kind} {config.entity_name}; bedrock-gen)"


def secrets(config: Config, s: Settings | None = None) -> list[Secret]:
    """The Port secrets Port's provider config names, in the order to create them."""
    s = s or settings(config)
    if config.is_role:
        spec = config.external_id
        name = getattr(config.auth, "secret_name", None)
        if spec is None or not name:
            return []
        what = "sts:ExternalId"
        return [
            Secret(
                name,
                "the external ID",
                spec.env or port.LITERAL_EXTERNAL_ID_ENV,
                spec.literal is not None,
                s.secret_description or default_description(config, what),
            )
        ]
    return [
        Secret(
            s.access_key_id_secret,
            "the access key ID",
            s.access_key_id_env,
            False,
            s.secret_description or default_description(config, "AWS access key ID"),
        ),
        Secret(
            s.secret_access_key_secret,
            "the secret access key",
            s.secret_access_key_env,
            False,
            s.secret_description or default_description(config, "AWS secret access key"),
        ),
    ]


def provider_config(config: Config, s: Settings | None = None) -> dict[str, str] | None:
    """Port's ``config`` object for Bedrock (key order of Port's schema); None without a
    Region, which Port requires and bedrock-gen cannot guess."""
    s = s or settings(config)
    if s.region is None:
        return None
    body: dict[str, str] = {}
    if config.is_role:
        body["roleArn"] = role_arn(config, s)
        found = secrets(config, s)
        if found:
            body["externalIdSecretName"] = found[0].name
    else:
        body["accessKeyIdSecretName"] = s.access_key_id_secret
        body["secretAccessKeySecretName"] = s.secret_access_key_secret
    body["region"] = s.region
    if len(config.guardrails) == 1:
        body["guardrailIdentifier"] = config.guardrails[0].arn
        body["guardrailVersion"] = s.guardrail_version
    return body


def port_models(config: Config) -> tuple[dict[str, bool], list[str]]:
    """Port's model names, each enabled when the config grants it; and the granted models
    Port's API names no model for (left out, and said so)."""
    if config.allow == "all":
        return {name: True for name in port.MODELS}, []
    granted = {m.id for m in config.models}
    enabled = {name: model_id in granted for name, model_id in port.MODELS.items()}
    known = set(port.MODELS.values())
    return enabled, sorted(m for m in granted if m not in known)


def post_body(config: Config) -> dict[str, Any] | None:
    """The body of ``POST /v1/llm-providers``."""
    cfg = provider_config(config)
    if cfg is None:
        return None
    models, _unknown = port_models(config)
    return {
        "provider": "bedrock",
        "enabled": True,
        "config": cfg,
        "overrides": {"models": {name: {"enabled": on} for name, on in models.items()}},
    }


def put_body(config: Config) -> dict[str, Any] | None:
    """The body of ``PUT /v1/llm-providers/bedrock``: no ``provider`` (the path names it), and
    ``overrides.models`` with the keys PUT's schema requires besides Port's Bedrock models."""
    body = post_body(config)
    if body is None:
        return None
    del body["provider"]
    models = {name: {"enabled": False} for name in port.PUT_ONLY_MODELS}
    models.update(body["overrides"]["models"])
    body["overrides"] = {"models": models}
    return body


def _json(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def files(config: Config) -> dict[str, bytes]:
    """``port/*``, or nothing when the config gives no Region (validate says how to fix it)."""
    post, put = post_body(config), put_body(config)
    if post is None or put is None:
        return {}
    return {
        f"{PORT_DIR}/{POST_FILE}": _json(post),
        f"{PORT_DIR}/{PUT_FILE}": _json(put),
        f"{PORT_DIR}/README.md": readme(config).encode("utf-8"),
    }


# ------------------------------------------------------------------------------------------
# commands


def _base(s: Settings) -> str:
    """The API's base URL: $PORT_API_URL, or Port's API of the config's region."""
    return "${" + port.API_URL_VARIABLE + ":-" + s.api_url + "}"


def _auth_headers() -> str:
    return (
        f'-H "Authorization: Bearer ${port.API_TOKEN_VARIABLE}" '
        "-H 'Content-Type: application/json'"
    )


def secret_command(secret: Secret, s: Settings, out_dir: str) -> str:
    """Create a Port secret. The JSON is built by ``printf`` (a shell builtin: no process's
    arguments hold the value) and read by curl from stdin, so the value is neither echoed nor
    on a command line; ``${VAR:?}`` stops a missing variable from storing an empty secret.
    A literal external ID is read from the trust policy that holds it already, so that no
    further file (this README) and no command line repeats it."""
    fill = ""
    if secret.in_config:
        trust = shlex.quote((PurePosixPath(out_dir) / "iam" / "trust-policy.json").as_posix())
        fill = f'{secret.env}="$(python3 -c {shlex.quote(TRUST_EXTERNAL_ID)} < {trust})" && '
    value = f'"${{{secret.env}:?set {secret.env} to {secret.what}}}"'
    description = shlex.quote(json.dumps(secret.description))
    return (
        f'{fill}printf \'{{"secretName":"%s","secretValue":"%s",'
        f'"description":%s}}\' {shlex.quote(secret.name)} {value} {description} | curl '
        f'-sS --fail-with-body -X POST "{_base(s)}/v1/organization/secrets" '
        f"{_auth_headers()} --data-binary @-"
    )


def register_command(folder: str, s: Settings) -> str:
    path = shlex.quote(str(PurePosixPath(folder) / POST_FILE))
    return (
        f'curl -sS --fail-with-body -X POST "{_base(s)}/v1/llm-providers?'
        f'validate_connection=true" {_auth_headers()} --data-binary @{path}'
    )


def update_command(folder: str, s: Settings) -> str:
    path = shlex.quote(str(PurePosixPath(folder) / PUT_FILE))
    return (
        f'curl -sS --fail-with-body -X PUT "{_base(s)}/v1/llm-providers/bedrock?'
        f'validate_connection=true" {_auth_headers()} --data-binary @{path}'
    )


def _api_line(s: Settings) -> str:
    return (
        f"For Port's API, set {port.API_TOKEN_VARIABLE} to an API token (Port's app, '...' "
        "menu, Credentials; or POST /v1/auth/access_token, see port/README.md) and, "
        f"optionally, {port.API_URL_VARIABLE} (default {s.api_url}, Port's "
        f"{s.api_region.upper()} API; {s.other_api_url} is the "
        f"{'US' if s.api_region == 'eu' else 'EU'} one)."
    )


def key_command(config: Config, found: list[Secret], module_dir: str) -> str:
    """Put the IAM user's key into the variables the secret commands read, without showing
    it: from the root module's outputs when Terraform created the key (run there), else from
    a new key."""
    ids, secret = found[0].env, found[1].env
    if config.terraform.create_access_key:  # the root module's outputs (next_steps step 1)
        return (
            f'{ids}="$(terraform output -raw bedrock_gateway_access_key_id)"; '
            f'{secret}="$(terraform output -raw bedrock_gateway_secret_access_key)"'
        )
    return (
        f"read -r {ids} {secret} < <(aws iam create-access-key --user-name "
        f"{shlex.quote(config.entity_name)} --query "
        "'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)"
    )


def _secret_line(config: Config, found: list[Secret]) -> str:
    names = " and ".join(f"'{x.name}'" for x in found)
    if config.is_role:
        secret = found[0]
        source = (
            f"the value of auth.external_id in {config.file}, which the command reads "
            "from iam/trust-policy.json"
            if secret.in_config
            else f"read from ${secret.env}, never echoed nor put on a command line"
        )
        return (
            f"In Port, create the secret {names} holding the external ID ({source}), "
            "character for character:"
        )
    envs = " and ".join(f"${x.env}" for x in found)
    fill = (
        "the first command reads them from the module's outputs"
        if config.terraform.create_access_key
        else "the first command creates the key, in place of step 2's command, and fills them"
    )
    return (
        f"In Port, create the secrets {names} from {envs}, which hold the access key of "
        f"IAM user '{config.entity_name}' ({fill}; nothing shows the values or puts them "
        "on a command line):"
    )


def _model_note(config: Config) -> str | None:
    _models, unknown = port_models(config)
    if not unknown:
        return None
    return (
        f"Note: Port's naming of {', '.join(unknown)} is not known (Port's API reference, "
        f"{port.SNAPSHOT}, names only {', '.join(port.MODELS)} for Bedrock): the policy "
        f"grants {'it' if len(unknown) == 1 else 'them'}, but {POST_FILE} leaves "
        f"{'it' if len(unknown) == 1 else 'them'} out."
    )


def next_steps(config: Config, ctx: StepContext) -> list[str]:
    """Port's part of the next steps: each command on a line of its own, runnable in bash
    with the variables set."""
    s = settings(config)
    # Absolute, so the commands work from any folder (only printed, never written to a file).
    out_dir = Path(ctx.module_dir).parent.resolve().as_posix()
    folder = f"{out_dir}/{PORT_DIR}"
    out = [_api_line(s)]
    found = secrets(config, s)
    if found and config.is_role and config.terraform.port_secret:
        out.append(
            f"The module's port.tf creates the Port secret '{found[0].name}' in step 1: "
            "Port's Terraform provider needs PORT_CLIENT_ID and PORT_CLIENT_SECRET set "
            f"for that apply (and PORT_BASE_URL={port.API_URLS['us']} for Port's US "
            "API)."
        )
    elif found:
        out.append(_secret_line(config, found))
        if not config.is_role:
            out.append("  " + key_command(config, found, ctx.module_dir))
        out += ["  " + secret_command(x, s, out_dir) for x in found]
    if s.region is None:
        who = f"roleArn {ctx.entity_arn}" if config.is_role else "the access-key secrets"
        out.append(
            f"Register the Bedrock provider in Port ({who}): Port requires a Region; set "
            f"port.region (or regions) in {config.file} and render again to get "
            f"{PORT_DIR}/{POST_FILE} and the commands."
        )
        return out
    arn = f"roleArn {role_arn(config, s)}, " if config.is_role else ""
    out.append(f"Register the Bedrock provider in Port ({arn}region {s.region}; the first time):")
    out.append("  " + register_command(folder, s))
    out.append("After a change (render again), update it instead:")
    out.append("  " + update_command(folder, s))
    if config.is_role and s.account is None:
        out.append(
            f"Note: no account_id: roleArn holds {port.ACCOUNT_PLACEHOLDER} and Port's "
            "connection test will fail; set account_id or port.account_id and render "
            "again first."
        )
    note = _model_note(config)
    if note:
        out.append(note)
    return out


# ------------------------------------------------------------------------------------------
# port/README.md


def readme(config: Config) -> str:
    """``port/README.md``: what the files are and the same commands, run from the output
    folder. Nothing in it depends on where render ran, so it is the same bytes everywhere."""
    s = settings(config)
    post = post_body(config)
    assert post is not None
    found = secrets(config, s)
    models, unknown = port_models(config)
    enabled = [name for name, on in models.items() if on]
    lines = [
        "<!-- Generated by bedrock-gen. Do not edit: change the config and run "
        "`bedrock-gen render`. -->",
        "",
        "# Registering Amazon Bedrock in Port",
        "",
        "Port's Bedrock guide has three steps: the IAM policy and "
        + ("role" if config.is_role else "user")
        + " (`../iam/`, `../terraform/`), a Port "
        "secret holding "
        + ("the external ID" if config.is_role else "the access keys")
        + ", and registering the provider with Port's API. These files are the last two.",
        "",
        "| file | what it is |",
        "|---|---|",
        f"| `{POST_FILE}` | the body of `POST /v1/llm-providers` (create or connect the "
        "provider, the first time) |",
        f"| `{PUT_FILE}` | the body of `PUT /v1/llm-providers/bedrock` (change it later; "
        "Port's PUT schema has no `provider` key and also requires `gpt-5`, disabled here) |",
        "",
        "Both follow Port's request schemas as published in Port's API reference "
        f"({port.SNAPSHOT}, `static/apispec.yaml`). They hold secret *names*, never "
        "secret values.",
        "",
        "- "
        + (
            f"Role: `{post['config']['roleArn']}`"
            if config.is_role
            else f"Access keys of IAM user `{config.entity_name}`"
        ),
        f"- Region Port calls Bedrock in: `{s.region}`",
    ]
    if "guardrailIdentifier" in post["config"]:
        lines.append(
            f"- Guardrail: `{post['config']['guardrailIdentifier']}`, version "
            f"`{post['config']['guardrailVersion']}`"
        )
    lines.append(
        "- Models enabled in Port (the models the policy grants, by Port's names): "
        + (", ".join(f"`{m}`" for m in enabled) if enabled else "none of Port's")
    )
    if unknown:
        lines.append(
            "- Granted, but left out because Port's API names no model for them: "
            + ", ".join(f"`{m}`" for m in unknown)
        )
    if config.is_role and s.account is None:
        lines.append(
            f"- **No account ID in the config**: `roleArn` holds "
            f"`{port.ACCOUNT_PLACEHOLDER}`. Set `account_id` (or `port.account_id`) "
            "and render again before registering."
        )
    lines += [
        "",
        "## Commands",
        "",
        "Run them in bash from the output folder (the folder holding `iam/`, `terraform/` and "
        f"`port/`). They take `${port.API_TOKEN_VARIABLE}` (an API token) and "
        f"`${port.API_URL_VARIABLE}` (default `{s.api_url}`, Port's "
        f"{s.api_region.upper()} API; `{s.other_api_url}` is the "
        f"{'US' if s.api_region == 'eu' else 'EU'} one). A token, from Port's client ID and "
        "secret (Port's app, `...` menu, Credentials):",
        "",
        "```bash",
        f'export {port.API_TOKEN_VARIABLE}="$(printf \'{{"clientId":"%s","clientSecret":'
        '"%s"}\' "$PORT_CLIENT_ID" "$PORT_CLIENT_SECRET" | curl -sS --fail-with-body -X '
        f"POST \"{_base(s)}/v1/auth/access_token\" -H 'Content-Type: application/json' "
        "--data-binary @- | python3 -c 'import json, sys; "
        'print(json.load(sys.stdin)["accessToken"])\')"',
        "```",
        "",
    ]
    if found and config.is_role and config.terraform.port_secret:
        lines += [
            f"1. The secret `{found[0].name}` is created by the Terraform module "
            "(`../terraform/port.tf`).",
            "",
        ]
    elif found:
        if config.is_role and not found[0].in_config:
            source = (
                f"read from `${found[0].env}`: the value is piped to curl, never echoed "
                "nor put on a command line"
            )
        elif config.is_role:
            source = (
                "the value of `auth.external_id` in the config, which the command reads "
                "from `iam/trust-policy.json`"
            )
        else:
            source = (
                "read from "
                + " and ".join(f"`${x.env}`" for x in found)
                + f", which the first command fills with the access key of IAM user "
                f"`{config.entity_name}` "
                + (
                    "from the module's outputs"
                    if config.terraform.create_access_key
                    else "it creates"
                )
                + " without showing it"
            )
        names = " and ".join(f"`{x.name}`" for x in found)
        fill = [] if config.is_role else ["   " + key_command(config, found, "terraform")]
        lines += [
            f"1. Create the secret{'s' if len(found) > 1 else ''} {names} ({source}; "
            "character for character: a trailing space or newline breaks it):",
            "",
            "   ```bash",
            *fill,
            *("   " + secret_command(x, s, ".") for x in found),
            "   ```",
            "",
        ]
    lines += [
        f"{'2' if found else '1'}. Register the provider (the first time):",
        "",
        "   ```bash",
        "   " + register_command(PORT_DIR, s),
        "   ```",
        "",
        f"{'3' if found else '2'}. After a change to the config, render again and update it:",
        "",
        "   ```bash",
        "   " + update_command(PORT_DIR, s),
        "   ```",
        "",
        "`validate_connection=true` makes Port test the credentials and the models before it "
        "saves anything. To see what Port has: `curl -sS "
        f'"{_base(s)}/v1/llm-providers/bedrock" -H "Authorization: Bearer '
        f'${port.API_TOKEN_VARIABLE}"`.',
        "",
    ]
    return "\n".join(lines)
