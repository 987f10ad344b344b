"""Kubernetes service accounts (``NAMESPACE:NAME``) as IRSA and Pod Identity name them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bedrock_gen.gateways.base import ParseContext

# DNS-1123 label (namespace) and subdomain (service account name), as Kubernetes validates them
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\Z")


def service_accounts(ctx: ParseContext) -> tuple[tuple[str, str], ...]:
    """(namespace, name) pairs from ``auth.service_accounts``; wildcards and blanks refused."""
    raw: Sequence[str] = ctx.auth.get("service_accounts") or []
    if not raw:
        example = (
            f"{ctx.preset.title} documents {', '.join(ctx.preset.service_accounts)}"
            if ctx.preset.service_accounts
            else "for example litellm:litellm"
        )
        ctx.findings.error(
            "service-accounts-missing",
            "auth.service_accounts must name the "
            "gateway's Kubernetes service accounts as NAMESPACE:NAME "
            f"({example}); only those are trusted, never every pod",
            ("auth",),
        )
        return ()
    out = []
    for i, item in enumerate(raw):
        path = ("auth", "service_accounts", i)
        ns, sep, name = item.partition(":")
        if "*" in item or "?" in item:
            ctx.findings.error(
                "service-account-wildcard",
                f"'{item}' has a wildcard: it would "
                "trust every matching service account; name each one",
                path,
            )
            continue
        if not sep or not ns or not name:
            ctx.findings.error(
                "invalid-service-account",
                f"'{item}' is not NAMESPACE:NAME (for example litellm:litellm)",
                path,
            )
            continue
        if not NAMESPACE.match(ns):
            ctx.findings.error(
                "invalid-service-account",
                f"namespace '{ns}' is not a valid "
                "Kubernetes namespace (lowercase letters, digits and -, at most "
                "63)",
                path,
            )
            continue
        if not NAME.match(name):
            ctx.findings.error(
                "invalid-service-account",
                f"service account '{name}' is not a "
                "valid Kubernetes name (lowercase letters, digits, - and .)",
                path,
            )
            continue
        out.append((ns, name))
    return tuple(sorted(set(out)))


def by_namespace(accounts: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for ns, name in sorted(accounts):
        grouped.setdefault(ns, []).append(name)
    return grouped
