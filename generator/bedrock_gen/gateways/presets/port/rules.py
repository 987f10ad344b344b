"""Port's API rules, as validation errors for the Port gateway (each with its source).

A config that Port's API would refuse must fail at ``validate``, at the key to change. It
should not fail at the end of the setup with a 422 from Port. The rules come from Port's
request schemas (``port.PROVIDER_SOURCE``, ``port.SECRET_SOURCE``), and every message ends
with the rule and its source. The config's JSON Schema already refuses some of these (dotted
secret names). They are checked again here, so that a config built by a program, or a schema
that drifts, cannot slip past. Warnings cover what Port would accept but what would not work
(no Region, no account, a guardrail in another Region).
"""

from __future__ import annotations

from typing import Protocol

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import Diagnostic, Severity
from bedrock_gen.gateways.presets import port
from bedrock_gen.gateways.presets.port.api import POST_FILE, Settings, settings
from bedrock_gen.load.document import Document, PathKey
from bedrock_gen.printable import quoted


class _Report(Protocol):
    """``error`` or ``warn``: one located diagnostic."""

    def __call__(self, code: str, message: str, path: PathKey, key: bool = False) -> None: ...


ACCESS_KEY_SETTINGS = (
    "access_key_id_secret_name",
    "secret_access_key_secret_name",
    "access_key_id_env",
    "secret_access_key_env",
)


def _provider(rule: str) -> str:
    return f"({rule}; source: {port.PROVIDER_SOURCE})"


def _secret(rule: str) -> str:
    return f"({rule}; source: {port.SECRET_SOURCE})"


def check(doc: Document, config: Config, catalog: Catalog | None = None) -> list[Diagnostic]:
    """Every Port rule; ``catalog`` (the config's) lets the Region be checked against the
    routes of the profiles the config grants."""
    out: list[Diagnostic] = []
    s = settings(config)

    def error(code: str, message: str, path: PathKey, key: bool = False) -> None:
        out.append(doc.diagnostic(code, message, path, key=key))

    def warn(code: str, message: str, path: PathKey, key: bool = False) -> None:
        out.append(doc.diagnostic(code, message, path, key=key, severity=Severity.WARNING))

    if config.partition != "aws":
        # One error for the one cause; Port's region pattern refuses GovCloud as well.
        rule = f"roleArn must match {port.ROLE_ARN_PATTERN}, region {port.REGION_PATTERN}"
        error(
            "port-partition",
            f"Port's gateway calls Bedrock in the aws partition only, and "
            f"this config is in {config.partition}: use commercial Regions, or another "
            f"gateway {_provider(rule)}",
            ("regions", 0) if config.regions else ("auth", "mode"),
        )
    else:
        _region(doc, config, s, error, warn)
        if catalog is not None:
            _region_routes(config, catalog, s, error)
    if config.is_role and config.terraform.path != "/":
        error(
            "port-role-path",
            "Port refuses a role ARN with an IAM path: set terraform.path "
            f"to '/' {_provider('roleArn must match ' + port.ROLE_ARN_PATTERN)}",
            ("terraform", "path"),
        )
    _secrets(config, s, error)
    _account(config, s, error, warn)
    _guardrails(config, s, warn)
    _ignored(config, warn)
    if config.terraform.port_secret and (not config.is_role or config.external_id is None):
        error(
            "port-secret-without-external-id",
            "terraform.port_organization_secret manages "
            "the external ID as a Port secret, and this config has none: it needs "
            "auth.mode assume_role with auth.external_id",
            ("terraform", "port_organization_secret"),
        )
    return out


def _region(doc: Document, config: Config, s: Settings, error: _Report, warn: _Report) -> None:
    if s.region is None:
        has_section = "port" in doc.data
        warn(
            "port-no-region",
            "no Region for Port, so render writes no port/ files: set "
            "port.region (keeps the policy unpinned) or regions "
            f"{_provider('region is required')}",
            ("port",) if has_section else (),
            key=has_section,
        )
        return
    if port.REGION_RE.search(s.region) is None:
        error(
            "port-region",
            f"Port refuses region '{s.region}': choose a commercial Region "
            f"{_provider('region must match ' + port.REGION_PATTERN + ', no GovCloud')}",
            s.region_path,
        )
        return
    partition = region_partition(s.region)
    if partition != "aws":
        # Port's pattern lets cn-north-1 through, yet Port's gateway roles are in the aws
        # partition, and a role in another partition cannot be assumed from there.
        error(
            "port-region",
            f"Port cannot call Bedrock in '{s.region}': it is in the {partition} partition "
            f"({PARTITION_NAMES.get(partition, 'not commercial AWS')}), and Port's gateway "
            "roles are in aws, whose roles cannot assume one there: choose a commercial "
            f"Region {_provider('roleArn must match ' + port.ROLE_ARN_PATTERN)}",
            s.region_path,
        )
        return
    if "region" in config.preset_settings and config.regions and s.region not in config.regions:
        error(
            "port-region-not-granted",
            f"port.region '{s.region}' is not in regions "
            f"({', '.join(config.regions)}), so the policy denies every call Port makes: "
            "add it to regions or choose one of them",
            ("port", "region"),
        )


PARTITION_NAMES = {
    "aws-cn": "China",
    "aws-us-gov": "AWS GovCloud (US)",
    "aws-iso": "an isolated Region",
    "aws-iso-b": "an isolated Region",
    "aws-iso-e": "an isolated Region",
    "aws-iso-f": "an isolated Region",
    "aws-eusc": "the AWS European Sovereign Cloud",
}
_PREFIXES = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
    ("eusc-", "aws-eusc"),
)


def region_partition(region: str) -> str:
    """The partition of a Region, from the prefixes AWS gives each partition's Regions (a
    Region the catalog does not know still has its partition in its name)."""
    for prefix, partition in _PREFIXES:
        if region.startswith(prefix):
            return partition
    return "aws"


def _sources(model: Model, geographies: tuple[str, ...], in_region: bool) -> set[str]:
    """Where Port may call ``model`` from: sources of its granted profiles, and with
    ``in_region`` the Regions it is on demand in."""
    out = {src for g in geographies if g in model.profiles for src in model.profiles[g].sources}
    if in_region:
        out |= {r for r in model.in_region if r != "*"}
    return out


def _region_routes(config: Config, catalog: Catalog, s: Settings, error: _Report) -> None:
    """Port calls Bedrock in its Region through the profiles the config grants: the Region
    must be a source of each (for Port's models), or every call Port makes fails."""
    region = s.region
    if region is None or port.REGION_RE.search(region) is None:
        return
    if region_partition(region) != "aws":
        return
    if config.allow == "all":
        geos = config.geographies or tuple(
            g for g, geo in catalog.geographies.items() if geo.partition == "aws"
        )
        # Port's models that all: grants at all (a model past its end of life has no profile
        # left, and Port's request leaves it out)
        models = [
            catalog.by_id[m]
            for m in port.MODELS.values()
            if m in catalog.by_id and _sources(catalog.by_id[m], geos, config.in_region)
        ]
        if not models:
            return
    else:
        chosen = [m for m in config.models if m.id in port.MODELS.values()]
        models = chosen or list(config.models)
        geos = config.geographies
    direct = config.in_region  # Port calls through profiles; direct calls when asked for
    stuck = [
        m
        for m in models
        if region not in _sources(m, geos, False) and not (direct and m.on_demand_in(region))
    ]
    if not stuck:
        return
    first = stuck[0]
    sources = sorted(_sources(first, geos, False))
    common = set(_sources(models[0], geos, direct))
    for m in models[1:]:
        common &= _sources(m, geos, direct)
    if config.regions is not None:
        common &= set(config.regions)
    calls = [
        g
        for g in sorted(catalog.geographies)
        if all(g in m.profiles and region in m.profiles[g].routes for m in stuck)
    ]
    fixes = []
    if common and common == set(sources):
        fixes.append(f"set {_name(s)} to one of them")
    elif common:
        fixes.append(f"set {_name(s)} to one of {', '.join(sorted(common))}")
    if calls:
        fixes.append(f"add a geography {region} calls ({', '.join(calls)}) to models.geographies")
    how = ", or ".join(fixes) or "choose other models or geographies"
    what = ", ".join(m.id for m in stuck[:3]) + (
        f" and {len(stuck) - 3} more" if len(stuck) > 3 else ""
    )
    granted = ", ".join(g for g in geos if g in first.profiles)
    them = "them" if len(stuck) > 1 else "it"
    through = f"the {granted} profiles granted for {them}" if granted else "no profile granted"
    where = (
        f"{'they are' if len(stuck) == 1 else first.id + ' is'} called from "
        f"{', '.join(sources) or 'nowhere'}"
    )
    error(
        "port-region-not-a-source",
        f"{_name(s)} '{region}' cannot call {what} through {through}, so Port's calls "
        f"fail ({where}): {how}",
        s.region_path,
    )


def _name(s: Settings) -> str:
    return "port.region" if s.region_path == ("port", "region") else "regions[0] (Port's Region)"


def _secrets(config: Config, s: Settings, error: _Report) -> None:
    names: list[tuple[str, PathKey]] = []
    if config.is_role:
        name = getattr(config.auth, "secret_name", None)
        if config.external_id is not None and name:
            names.append((name, ("auth", "external_id_secret_name")))
    else:
        names += [
            (s.access_key_id_secret, ("port", "access_key_id_secret_name")),
            (s.secret_access_key_secret, ("port", "secret_access_key_secret_name")),
        ]
    rule = (
        f"secretName must be 1 to {port.SECRET_NAME_MAX} characters matching "
        f"{port.SECRET_NAME_PATTERN}"
    )
    for name, path in names:
        if not 1 <= len(name) <= port.SECRET_NAME_MAX or port.SECRET_NAME_RE.match(name) is None:
            error(
                "port-secret-name",
                f"Port refuses the secret name {quoted(name)}: use letters, "
                f"digits, '-' and '_' only {_secret(rule)}",
                path,
            )
    if len(names) == 2 and names[0][0] == names[1][0]:
        error(
            "port-secret-name",
            f"both access-key secrets are named {quoted(names[0][0])}, and a "
            "Port secret holds one value: name them differently",
            names[1][1],
        )
    description = s.secret_description
    if description is not None and len(description) > port.SECRET_DESCRIPTION_MAX:
        error(
            "port-secret-description",
            f"port.secret_description has {len(description)} "
            f"characters, and Port refuses more than {port.SECRET_DESCRIPTION_MAX}: shorten "
            f"it {_secret(f'description maxLength {port.SECRET_DESCRIPTION_MAX}')}",
            ("port", "secret_description"),
        )


def _account(config: Config, s: Settings, error: _Report, warn: _Report) -> None:
    mine = config.preset_settings.get("account_id")
    if mine is not None and config.account_id is not None and mine != config.account_id:
        error(
            "port-account",
            f"port.account_id {mine} differs from account_id "
            f"{config.account_id}, the role's account: remove port.account_id",
            ("port", "account_id"),
        )
        return
    if not config.is_role or s.region is None or port.REGION_RE.search(s.region) is None:
        return  # no body to write, for a reason already reported
    if s.account is None:
        warn(
            "port-account-unknown",
            "no account for Port's roleArn, so port/"
            f"{POST_FILE} holds {port.ACCOUNT_PLACEHOLDER} and Port's connection test will "
            "fail: set port.account_id (keeps the policy unpinned) or account_id "
            f"{_provider('roleArn must match ' + port.ROLE_ARN_PATTERN)}",
            ("port",),
            key=True,
        )
        return
    # roleArn needs no check: the schema's role-name characters are Port's, the partition is
    # aws (gateway-partition) and the path '/' (port-role-path); test_port checks the bodies.


def _guardrails(config: Config, s: Settings, warn: _Report) -> None:
    count = len(config.guardrails)
    if count > 1:
        warn(
            "port-guardrails",
            f"Port applies one guardrail and {count} are configured, so "
            f"port/{POST_FILE} names none: keep the one Port should apply "
            f"{_provider('guardrailIdentifier is one string')}",
            ("guardrails",),
            key=True,
        )
    elif count == 1 and s.region is not None:
        region = config.guardrails[0].region
        if region != s.region:
            warn(
                "port-guardrail-region",
                f"the guardrail is in {region} and Port calls "
                f"Bedrock in {s.region}: a guardrail applies only to calls in its own Region",
                ("guardrails", 0),
            )
    chosen = config.guardrails[0].version if count == 1 else None
    given = config.preset_settings.get("guardrail_version")
    if chosen is not None and given is not None and str(given) != chosen:
        warn(
            "port-guardrail-version",
            f"port.guardrail_version is {given} but the guardrail's version is {chosen}: "
            "Port would send the first"
            + (
                ", and the policy enforces the second, so every call would be denied"
                if config.guardrails[0].enforce
                else ""
            )
            + "; keep one of them",
            ("port", "guardrail_version"),
        )
    if count != 1 and "guardrail_version" in config.preset_settings:
        warn(
            "ignored-key",
            "port.guardrail_version is ignored: it applies when exactly one "
            "guardrail is configured",
            ("port", "guardrail_version"),
            key=True,
        )


def _ignored(config: Config, warn: _Report) -> None:
    raw = config.preset_settings
    if not config.is_role and "account_id" in raw:
        warn(
            "ignored-key",
            "port.account_id is ignored: it is the role's account for Port's "
            "roleArn, and auth.mode is access_keys",
            ("port", "account_id"),
            key=True,
        )
    if config.is_role:
        for name in ACCESS_KEY_SETTINGS:
            if name in raw:
                warn(
                    "ignored-key",
                    f"port.{name} is ignored: it is for access keys, and auth.mode is assume_role",
                    ("port", name),
                    key=True,
                )
