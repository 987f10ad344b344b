"""Pieces several modes share: role-name and session-duration keys, external IDs."""

from __future__ import annotations

import math
from typing import Any

from bedrock_gen.config.gateway import ExternalId
from bedrock_gen.gateways.base import ParseContext
from bedrock_gen.iam.limits import external_id_problem

ROLE_KEYS = frozenset({"role_name", "max_session_duration"})

# An external ID is a shared secret between the customer and the SaaS vendor: guessed, it no
# longer tells this customer's requests from another tenant's. What `init` generates (32
# random URL-safe characters, 192 bits) is far above these floors.
WEAK_LENGTH = 16
WEAK_DISTINCT = 8
WEAK_BITS = 64
_CLASSES = (
    (str.isdigit, 10),
    (str.islower, 26),
    (str.isupper, 26),
    (lambda c: not c.isalnum(), 11),  # + = , . @ : / _ -
)


def external_id_weakness(value: str) -> str | None:
    """Why an external ID STS accepts is still easy to guess, or None: shorter than 16
    characters, fewer than 8 different characters, or under 64 bits by its character
    classes (16 digits are 53)."""
    if len(value) < WEAK_LENGTH:
        return f"is {len(value)} characters long"
    if len(set(value)) < WEAK_DISTINCT:
        return f"uses only {len(set(value))} different characters"
    alphabet = sum(size for test, size in _CLASSES if any(test(c) for c in value))
    bits = len(value) * math.log2(max(alphabet, 2))
    if bits < WEAK_BITS:
        return f"draws from a small alphabet ({alphabet} characters: about {int(bits)} bits)"
    return None


def external_id_opt_out(ctx: ParseContext) -> str | None:
    """The reason given with ``auth.external_id: {none: REASON}``, or None."""
    raw = ctx.auth.get("external_id")
    if isinstance(raw, dict) and "none" in raw:
        return str(raw["none"])
    return None


def role_name(ctx: ParseContext) -> str:
    return str(ctx.auth.get("role_name", ctx.name))


def session(ctx: ParseContext) -> int | None:
    value = ctx.auth.get("max_session_duration")
    return int(value) if value is not None else None


def external_id(ctx: ParseContext, environ: Any = None) -> ExternalId | None:
    """The external ID spec; a value present now (literal, or the variable set) is checked
    against STS's rules. An unset variable is fine: no generated file needs the value."""
    raw = ctx.auth.get("external_id")
    if raw is None or (isinstance(raw, dict) and "none" in raw):
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
        else:
            weak = external_id_weakness(value)
            if weak is not None:
                ctx.findings.warn(
                    "external-id-weak",
                    f"{what} {weak}: an external ID should be hard to guess (16 or more "
                    "random characters; `bedrock-gen init` generates 32)",
                    spec.path,
                )
    return spec
