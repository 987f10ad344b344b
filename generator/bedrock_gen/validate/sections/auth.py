"""Pass 2 for who: the gateway preset, the auth mode (read by the mode itself), the
permissions the gateway needs beyond invoking models, and what every policy denies (Bedrock API
keys, service tiers)."""

from __future__ import annotations

from typing import Any

from bedrock_gen.config.gateway import NEED_NAMES, AuthSettings, Needs, Preset, Restrictions
from bedrock_gen.config.guardrail import Guardrail
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.gateways.base import ParseContext
from bedrock_gen.gateways.registry import MODES, PRESETS, default_preset
from bedrock_gen.load.document import Document, Findings


def preset(doc: Document) -> tuple[Preset, list[Diagnostic]]:
    """The gateway: ``gateway`` (top level) or ``auth.gateway``; Port for older configs."""
    found = Findings(doc)
    auth: dict[str, Any] = doc.data["auth"]
    top, inner = doc.data.get("gateway"), auth.get("gateway")
    if top is not None and inner is not None and top != inner:
        found.error(
            "gateway-contradiction",
            f"gateway is '{top}' but auth.gateway is '{inner}'; keep one of them",
            ("auth", "gateway"),
            key=True,
        )
    chosen = PRESETS[top or inner or default_preset(auth["mode"])]
    mode = auth["mode"]
    if mode not in chosen.modes:
        where = ("gateway",) if top is not None else ("auth", "mode")
        found.error(
            "mode-unsupported",
            f"{chosen.title} does not document mode: {mode}; it "
            f"supports {', '.join(chosen.modes)} (use gateway: custom for another "
            "setup)",
            where,
        )
    return chosen, found.items


def auth(
    doc: Document,
    gateway: Preset,
    name: str,
    partition: str,
    account: str | None,
    regions: tuple[str, ...] | None,
) -> tuple[AuthSettings | None, list[Diagnostic]]:
    """The auth mode's settings; keys of other modes are contradictions, named as such."""
    found = Findings(doc)
    section: dict[str, Any] = doc.data["auth"]
    mode = MODES[section["mode"]]
    for key in section:
        if key in ("mode", "gateway") or key in mode.keys:
            continue
        owners = [m.id for m in MODES.values() if key in m.keys]
        found.error(
            "auth-contradiction",
            f"auth.{key} is for mode: {' or '.join(owners)}; mode: {mode.id} is {mode.summary}",
            ("auth", key),
            key=True,
        )
    tf = doc.data.get("terraform", {})
    if tf.get("create_access_key") and mode.id != "access_keys":
        found.error(
            "auth-contradiction",
            "terraform.create_access_key is for mode: access_keys",
            ("terraform", "create_access_key"),
            key=True,
        )
    if found.failed:
        return None, found.items
    ctx = ParseContext(found, section, name, partition, account, regions, gateway)
    return mode.parse(ctx), found.items


def needs(
    doc: Document, gateway: Preset, guardrails: tuple[Guardrail, ...]
) -> tuple[Needs, list[Diagnostic]]:
    """``permissions``: each opt-in; one the preset does not document is a warning, except
    ``secure_transport``, which only narrows (every AWS SDK calls Bedrock over TLS)."""
    found = Findings(doc)
    raw: dict[str, Any] = doc.data.get("permissions", {})
    for key, on in raw.items():
        if key not in NEED_NAMES:
            continue  # restrictions(), below
        if on and key not in gateway.needs and key != "secure_transport":
            found.warn(
                "permission-unusual",
                f"permissions.{key}: {gateway.title}'s documented "
                "setup does not use it; grant it only if your gateway does",
                ("permissions", key),
                key=True,
            )
    chosen = Needs(**{k: bool(raw.get(k, False)) for k in NEED_NAMES})
    if chosen.guardrail_reads and not guardrails:
        found.warn(
            "permission-unusual",
            "permissions.guardrail_reads grants reads of the "
            "configured guardrails, and none is configured",
            ("permissions", "guardrail_reads"),
            key=True,
        )
    return chosen, found.items


def restrictions(doc: Document) -> tuple[Restrictions, list[Diagnostic]]:
    """``permissions.bearer_tokens`` and ``permissions.service_tiers``: what every generated
    identity policy denies. Bedrock API keys are denied unless ``short_term`` (keys minted from
    the role's own session, for gateways that hand them out); service tiers are all allowed
    unless listed (the others are then denied, as AWS's example policy does)."""
    found = Findings(doc)
    raw: dict[str, Any] = doc.data.get("permissions", {})
    tiers = raw.get("service_tiers")
    chosen = Restrictions(
        bearer_tokens=str(raw.get("bearer_tokens", "deny")),
        service_tiers=None if tiers is None else tuple(sorted(tiers)),
    )
    if chosen.service_tiers is not None and "default" not in chosen.service_tiers:
        found.warn(
            "service-tier-default",
            "permissions.service_tiers leaves out default: calls that name the default tier are "
            "denied (calls that name no tier keep the default behaviour, as in AWS's example "
            "policy that denies every tier)",
            ("permissions", "service_tiers"),
            key=True,
        )
    return chosen, found.items
