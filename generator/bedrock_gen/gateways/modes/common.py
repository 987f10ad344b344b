"""Pieces several modes share: role-name and session-duration keys, external IDs."""

from __future__ import annotations

from typing import Any

from bedrock_gen.config.gateway import ExternalId
from bedrock_gen.gateways.base import ParseContext
from bedrock_gen.iam.limits import external_id_problem

ROLE_KEYS = frozenset({"role_name", "max_session_duration"})


def role_name(ctx: ParseContext) -> str:
    return str(ctx.auth.get("role_name", ctx.name))


def session(ctx: ParseContext) -> int | None:
    value = ctx.auth.get("max_session_duration")
    return int(value) if value is not None else None


def external_id(ctx: ParseContext, environ: Any = None) -> ExternalId | None:
    """The external ID spec; a value present now (literal, or the variable set) is checked
    against STS's rules. An unset variable is fine: no generated file needs the value."""
    raw = ctx.auth.get("external_id")
    if raw is None:
        return None
    path = ("auth", "external_id")
    if isinstance(raw, dict):
        spec = ExternalId(env=raw["env"], path=(*path, "env"))
        what = f"environment variable {spec.env} (auth.external_id)"
    else:
        spec = ExternalId(literal=raw, path=path)
        what = "auth.external_id"
    value = spec.value(environ)
    if value is not None:
        problem = external_id_problem(value)
        if problem is not None:
            ctx.findings.error("external-id", f"{what} {problem}", spec.path)
    return spec
