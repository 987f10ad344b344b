"""Pass 2 for guardrails: ``guardrails`` (the ones the gateway applies, each maybe enforced by
the policy) and ``organization.enforced_guardrail`` (the one the organization enforces).

Rules, with their sources in ``config.guardrail``: a guardrail is used in its own Region, so a
gateway calling from another Region cannot apply it, and an *enforced* guardrail there would deny
every call; a guardrail in another account works only when its resource-based policy allows the
role; a guardrail profile must be offered from the guardrail's Region.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.guardrail import PROFILE_DOC, PROFILES, Guardrail
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.suggest import did_you_mean

RBP_DOC = (
    "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html"
)


def _read(raw: Any) -> Guardrail:
    if isinstance(raw, str):
        return Guardrail(raw)
    version = raw.get("version")
    return Guardrail(
        raw["arn"],
        None if version is None else str(version),
        bool(raw.get("enforce", False)),
        raw.get("profile"),
    )


def _one(
    found: Findings,
    cat: Catalog,
    g: Guardrail,
    path: PathKey,
    arn_path: PathKey,
    part: str,
    account: str | None,
    org: bool = False,
) -> None:
    if g.partition != part:
        found.error(
            "guardrail-partition",
            f"guardrail is in partition {g.partition}, the config in {part}",
            arn_path,
        )
    if g.region not in cat.regions:
        found.error(
            "unknown-region",
            f"guardrail Region '{g.region}' is not an AWS Region"
            f"{did_you_mean(g.region, cat.regions)}",
            arn_path,
        )
    if account is not None and g.account != account:
        whose = "the organization's enforced guardrail" if org else "guardrail"
        found.warn(
            "guardrail-other-account",
            f"{whose} is in account {g.account}, the role in {account}: bedrock:ApplyGuardrail "
            "on it works only when the guardrail's resource-based policy allows this role (or "
            f"its account or organization) to apply it ({RBP_DOC})",
            arn_path,
        )
    if g.profile is not None:
        routes = PROFILES.get(g.profile)
        if routes is None:
            found.error(
                "guardrail-profile",
                f"'{g.profile}' is not a guardrail profile{did_you_mean(g.profile, PROFILES)} "
                f"(AWS's: {', '.join(PROFILES)}; {PROFILE_DOC})",
                (*path, "profile"),
            )
        elif g.region not in routes:
            found.error(
                "guardrail-profile",
                f"guardrail profile {g.profile} cannot be used from {g.region}, the guardrail's "
                f"Region (its source Regions: {', '.join(sorted(routes))}; {PROFILE_DOC})",
                (*path, "profile"),
            )


def guardrails(
    doc: Document,
    cat: Catalog,
    part: str,
    account: str | None,
    regions: tuple[str, ...] | None,
    sources: Iterable[str] | None = None,
) -> tuple[tuple[Guardrail, ...], list[Diagnostic]]:
    """``guardrails``; ``sources``: every Region the chosen routes may be called from (when
    ``regions`` is not set), to tell a guardrail no call can use."""
    found = Findings(doc)
    out: list[Guardrail] = []
    for i, raw in enumerate(doc.data.get("guardrails", [])):
        path: PathKey = ("guardrails", i)
        g = _read(raw)
        arn_path: PathKey = path if isinstance(raw, str) else (*path, "arn")
        _one(found, cat, g, path, arn_path, part, account)
        if regions is not None and g.region not in regions:
            found.warn(
                "guardrail-region",
                f"guardrail is in {g.region}, which is not one of the regions the gateway "
                "calls: a guardrail applies only to calls made in its own Region",
                arn_path,
            )
        elif regions is None and sources is not None and g.region not in set(sources):
            found.warn(
                "guardrail-region",
                f"guardrail is in {g.region}, and no chosen route is called from there: a "
                "guardrail applies only to calls made in its own Region",
                arn_path,
            )
        if g.enforce and g.version is None:
            found.warn(
                "guardrail-draft",
                "enforcing the guardrail without a version enforces its DRAFT (AWS: the bare "
                "ARN in bedrock:GuardrailIdentifier means DRAFT), which changes whenever the "
                "draft is edited; set version: N to enforce a published version",
                (*path, "enforce"),
            )
        out.append(g)
    enforced = [g for g in out if g.enforce]
    if enforced:
        covered = {g.region for g in enforced}
        path = ("guardrails",)
        if regions is not None:
            for r in regions:
                if r not in covered:
                    found.error(
                        "guardrail-enforce-region",
                        f"an enforced guardrail denies every call made without it, and none is "
                        f"in {r}: the gateway's calls from {r} would all be denied (a guardrail "
                        f"applies only in its own Region); add an enforced guardrail in {r}, or "
                        "remove the Region",
                        ("regions", list(regions).index(r)),
                    )
        else:
            found.warn(
                "guardrail-enforce-region",
                "an enforced guardrail denies every call made without it, and a guardrail "
                "applies only in its own Region: calls from Regions other than "
                f"{', '.join(sorted(covered))} would be denied; set regions to the Regions the "
                "gateway calls from",
                path,
                key=True,
            )
    return tuple(out), found.items


def enforced_guardrail(
    doc: Document, cat: Catalog, part: str, account: str | None
) -> tuple[Guardrail | None, list[Diagnostic]]:
    """``organization.enforced_guardrail``: the guardrail the organization's Bedrock policy
    enforces on every call, on which the role needs bedrock:ApplyGuardrail (without it every
    Invoke or Converse call is denied)."""
    found = Findings(doc)
    raw = doc.data.get("organization", {}).get("enforced_guardrail")
    if raw is None:
        return None, []
    g = _read(raw)._replace(enforce=False)
    path: PathKey = ("organization", "enforced_guardrail")
    arn_path: PathKey = path if isinstance(raw, str) else (*path, "arn")
    _one(found, cat, g, path, arn_path, part, account, org=True)
    return g, found.items
