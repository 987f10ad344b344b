"""``assume_role``: a role another AWS principal assumes, a SaaS gateway's role above all.

Whom it trusts: the gateway preset's documented roles (Port's two gateway roles, Portkey's),
or ``trusted_principals`` (role or user ARNs, each confirmed with
``allow_custom_principals: true``). ``*`` is always refused; an account root only with the
confirmation. An external ID (``sts:ExternalId``) protects against the confused deputy; it is a
literal or ``{env: VAR}``, and in the second case the value never reaches a generated file.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from bedrock_gen.config.gateway import ExternalId, Preset
from bedrock_gen.gateways.base import (
    ParseContext,
    StepContext,
    TrustContext,
    statement,
    trust_document,
)
from bedrock_gen.gateways.modes import common
from bedrock_gen.load.document import PathKey

PRINCIPAL_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-us-gov|aws-cn):iam::(?P<account>[0-9]{12}):"
    r"(?P<kind>role|user|root)(?P<rest>/[A-Za-z0-9_+=,.@/-]+)?$"
)
SID = "AllowGatewayAssumeRole"


class AssumeRole(NamedTuple):
    name: str
    principals: tuple[str, ...]
    external_id: ExternalId | None
    max_session_duration: int | None = None
    custom: bool = False  # trusted_principals instead of the preset's roles
    secret_name: str | None = None  # where the gateway keeps the external ID
    mode: str = "assume_role"
    entity: str = "role"
    external_id_opt_out: str | None = None  # the reviewed reason for trusting without one


class AssumeRoleMode:
    id = "assume_role"
    entity = "role"
    keys = frozenset(
        {
            *common.ROLE_KEYS,
            "gateway_regions",
            "trusted_principals",
            "allow_custom_principals",
            "external_id",
            "external_id_secret_name",
        }
    )
    summary = "a role another AWS account's principal assumes (SaaS gateways)"

    def parse(self, ctx: ParseContext) -> AssumeRole | None:
        mark = ctx.findings.mark
        principals, custom = self._principals(ctx)
        spec = common.external_id(ctx)
        opt_out = common.external_id_opt_out(ctx)
        preset = ctx.preset
        if opt_out is not None:
            where = ("auth", "external_id", "none")
            if preset.external_id == "required" and not custom:
                ctx.findings.error(
                    "external-id-required",
                    f"{preset.title} requires an external ID ({preset.docs}); it cannot be "
                    "opted out of: set auth.external_id: {env: VAR}",
                    where,
                )
            elif not opt_out.strip():
                ctx.findings.error(
                    "external-id-opt-out",
                    "auth.external_id: {none: REASON} needs the reason (it is shown by "
                    "explain and recorded with the render)",
                    where,
                )
        elif spec is None:
            if (preset.multi_tenant or preset.external_id == "required") and not custom:
                required = (
                    f"{preset.title} requires an external ID: "
                    if preset.external_id == "required"
                    else ""
                )
                ctx.findings.error(
                    "external-id-missing",
                    f"{required}{preset.title} is a multi-tenant SaaS gateway: its role assumes "
                    "the roles of all its customers, so without an external ID any of its "
                    "tenants could have it act on this role (the confused deputy). Set "
                    "auth.external_id: {env: VAR} (`bedrock-gen init` generates one; the value "
                    "never reaches a generated file), or opt out after review with "
                    "auth.external_id: {none: REASON}",
                    ("auth",),
                )
            elif preset.external_id in ("recommended", "optional") or custom:
                ctx.findings.warn(
                    "external-id-missing",
                    "no auth.external_id: the trust policy then checks only the caller's "
                    f"role; {_who_recommends(preset)}",
                    ("auth",),
                )
        elif preset.external_id == "none" and not custom:
            ctx.findings.error(
                "external-id-unsupported",
                f"{preset.title} does not send an external ID; remove auth.external_id",
                spec.path,
            )
        if ctx.findings.errors_since(mark):
            return None
        return AssumeRole(
            name=common.role_name(ctx),
            principals=principals,
            external_id=spec,
            max_session_duration=common.session(ctx),
            custom=custom,
            secret_name=ctx.auth.get("external_id_secret_name", preset.secret_name),
            external_id_opt_out=opt_out,
        )

    def _principals(self, ctx: ParseContext) -> tuple[tuple[str, ...], bool]:
        auth, preset = ctx.auth, ctx.preset
        trusted = auth.get("trusted_principals") or []
        if trusted:
            if "gateway_regions" in auth:
                ctx.findings.warn(
                    "ignored-key",
                    "auth.gateway_regions is ignored: "
                    "auth.trusted_principals replaces the gateway preset",
                    ("auth", "gateway_regions"),
                    key=True,
                )
            opted_in = bool(auth.get("allow_custom_principals", False))
            mark = ctx.findings.mark
            for i, p in enumerate(trusted):
                principal(ctx, p, ("auth", "trusted_principals", i), opted_in)
            if not opted_in and not ctx.findings.errors_since(mark):
                ctx.findings.error(
                    "custom-principals",
                    "auth.trusted_principals trusts principals outside the "
                    "gateway preset; confirm with auth.allow_custom_principals: true",
                    ("auth", "trusted_principals"),
                    key=True,
                )
            return tuple(sorted(trusted)), True
        if not preset.roles:
            ctx.findings.error(
                "no-principals",
                f"{preset.title} has no documented role to trust for "
                "mode: assume_role; list the role the gateway runs as in "
                "auth.trusted_principals (with allow_custom_principals: true), or use a mode "
                f"it supports ({', '.join(preset.modes)})",
                ("auth", "mode"),
            )
            return (), False
        which = auth.get("gateway_regions") or list(preset.default_roles)
        for i, label in enumerate(which):
            if label not in preset.roles:
                ctx.findings.error(
                    "invalid-value",
                    f"{preset.title} has no gateway role "
                    f"'{label}' (it has {', '.join(preset.roles)})",
                    ("auth", "gateway_regions", i),
                )
        if ctx.partition != "aws":
            ctx.findings.error(
                "gateway-partition",
                f"{preset.title} runs in the aws partition and cannot assume a "
                f"role in {ctx.partition} (its roles are aws-partition ARNs; source: "
                f"{preset.docs})",
                ("auth",),
            )
        return tuple(sorted(preset.roles[w] for w in which if w in preset.roles)), False

    def trust_policy(self, settings: AssumeRole, ctx: TrustContext) -> dict[str, Any]:
        condition = None
        if settings.external_id is not None and ctx.external_id is not None:
            condition = {"StringEquals": {"sts:ExternalId": ctx.external_id}}
        return trust_document(
            [statement(SID, {"AWS": list(settings.principals)}, "sts:AssumeRole", condition)]
        )

    def trusted(self, settings: AssumeRole) -> list[str]:
        extra = ""
        if settings.external_id_opt_out is not None:
            extra = (
                " without an external ID: reviewed opt-out, "
                f"{settings.external_id_opt_out.strip()!r}"
            )
        elif settings.external_id is not None:
            extra = (
                f" with the external ID from ${settings.external_id.env}"
                if settings.external_id.from_env
                else " with the configured external ID"
            )
        return [f"{p} (sts:AssumeRole{extra})" for p in settings.principals]

    def next_steps(self, settings: AssumeRole, ctx: StepContext) -> list[str]:
        if settings.custom:
            who = ", ".join(settings.principals)
            return [
                f"Let {who} assume {ctx.entity_arn}"
                + (" with the external ID" if settings.external_id else "")
                + "."
            ]
        return []


def _who_recommends(preset: Preset) -> str:
    """Whose advice an external ID follows: the gateway's where it recommends one (Port), AWS's
    where the gateway only allows one (Portkey: "optional") or for custom principals."""
    if preset.external_id == "recommended":
        secret = f" (store it as a {preset.title} secret)" if preset.secret_name else ""
        return f"{preset.title} recommends an external ID{secret}"
    sends = f" ({preset.title} sends one when set)" if preset.is_saas else ""
    return f"AWS recommends an external ID for roles assumed from another account{sends}"


def principal(ctx: ParseContext, arn: str, path: PathKey, opted_in: bool) -> None:
    """Refuse principals that trust more than one named role or user."""
    err = ctx.findings.error
    if arn.strip() == "*":
        err(
            "principal-wildcard",
            "trusting '*' lets any AWS principal assume the role; name the gateway's role ARNs",
            path,
        )
        return
    if re.fullmatch(r"[0-9]{12}", arn):
        if not opted_in:
            err(
                "principal-account-root",
                f"trusting account {arn} trusts every principal in it; "
                "name the gateway's role ARN (arn:aws:iam::ACCOUNT:role/NAME), or confirm with "
                "auth.allow_custom_principals: true",
                path,
            )
        return
    m = PRINCIPAL_ARN.match(arn)
    if m is None:
        err(
            "invalid-principal",
            f"'{arn}' is not an IAM role or user ARN (like arn:aws:iam::123456789012:role/gateway)",
            path,
        )
        return
    if m["kind"] == "root":
        if not opted_in:
            err(
                "principal-account-root",
                f"'{arn}' trusts every principal in account "
                f"{m['account']}; name the gateway's role ARN instead, or confirm with "
                "auth.allow_custom_principals: true",
                path,
            )
    elif not m["rest"]:
        err("invalid-principal", f"'{arn}' names no {m['kind']}", path)
    elif "*" in arn:
        err("principal-wildcard", f"'{arn}' has a wildcard", path)
    if m["partition"] != ctx.partition:
        err(
            "principal-partition",
            f"'{arn}' is in partition {m['partition']}, the role in {ctx.partition}",
            path,
        )


MODE = AssumeRoleMode()
