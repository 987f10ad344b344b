"""Access tuples grouped so a person can read them: by model and profile, sources that are
served in the same Regions on one row; other actions by service; trust by principal. And what
a reviewer reads first: a few summary rows (wildcards named as such, trust, new Regions, what
was added and removed) and every row ranked by how much it could hurt (``risk``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.access.tuples import OTHER_MODEL, REGIONLESS, Access, Broken, Leak

ALL_MODELS = "all models, present and future"
SHORT = {
    "bedrock:InvokeModel": "InvokeModel",
    "bedrock:InvokeModelWithResponseStream": "InvokeModelWithResponseStream",
}


class Row(NamedTuple):
    kind: str
    subject: str  # model, principal, service
    via: str  # "eu profile", "direct call", an action, ...
    where: str  # source Regions, or the resource
    served: str  # destination Regions, or the condition
    actions: str

    def cells(self) -> tuple[str, ...]:
        return (self.subject, self.via, self.where, self.served, self.actions)


def model_label(model: str) -> str:
    """A model's ID; the stand-in for models nobody named is what a grant on it means."""
    return f"{ALL_MODELS} (wildcard)" if model == OTHER_MODEL else model


def regions_text(regions: Iterable[str]) -> str:
    names = sorted("(Region-less)" if r == "" else r for r in regions)
    return (
        ", ".join(names) if len(names) <= 8 else f"{', '.join(names[:8])} and {len(names) - 8} more"
    )


def rows(access: Iterable[Access]) -> list[Row]:
    """Readable rows for a set of tuples (the order is stable)."""
    items = list(access)
    out: list[Row] = []
    invoke: dict[tuple[str, str], dict[str, dict[str, set[str]]]] = {}
    for a in items:
        if a.kind in ("invoke", "direct"):
            geo = a.geography or "direct"
            per_source = invoke.setdefault((a.model, geo), {}).setdefault(a.source, {})
            per_source.setdefault(a.action, set()).add(a.destination)
    for (model, geo), sources in sorted(invoke.items()):
        by_pattern: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
        for source, per_action in sources.items():
            dests = tuple(sorted(set().union(*per_action.values())))
            actions = tuple(sorted(SHORT.get(x, x) for x in per_action))
            by_pattern.setdefault((dests, actions), []).append(source)
        for (dests, actions), srcs in sorted(by_pattern.items(), key=lambda kv: sorted(kv[1])):
            via = "direct call" if geo == "direct" else f"{geo} profile"
            out.append(
                Row(
                    "invoke",
                    model_label(model),
                    via,
                    regions_text(srcs),
                    regions_text(dests),
                    ", ".join(actions),
                )
            )
    grants: dict[tuple[str, str], set[str]] = {}
    for a in items:
        if a.kind in ("action", "guardrail", "marketplace"):
            service = a.action.partition(":")[0]
            grants.setdefault((service, a.target), set()).add(a.action.partition(":")[2])
    for (service, target), names in sorted(grants.items()):
        shown = sorted(names)
        text = (
            ", ".join(shown)
            if len(shown) <= 6
            else f"{len(shown)} actions: {', '.join(shown[:6])}, ..."
        )
        out.append(Row("action", service, "action", target, "", text))
    for a in sorted(x for x in items if x.kind == "trust"):
        out.append(Row("trust", a.target, "may assume the role", "", a.condition or "-", a.action))
    return out


def broken_rows(under: Iterable[Broken]) -> list[tuple[str, ...]]:
    return [
        (f"{b.geography}.{model_label(b.model)}", b.source, regions_text(b.missing)) for b in under
    ]


def leak_rows(over: Iterable[Leak]) -> list[tuple[str, ...]]:
    grouped: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for leak in over:
        grouped.setdefault((leak.model, leak.geography, leak.regions), []).append(leak.source)
    return [
        (f"{geo}.{model_label(model)}", regions_text(sources), regions_text(regions))
        for (model, geo, regions), sources in sorted(grouped.items())
    ]


# -- what a reviewer reads first ---------------------------------------------------------------

INVOKE_SERVICES = ("bedrock", "bedrock-mantle", "aws-marketplace", "sts")


def _is_invoke(a: Access) -> bool:
    return a.kind in ("invoke", "direct")


def _scopable(action: str) -> bool:
    """IAM lets a policy name this action's resources (so '*' is a choice, not a must)."""
    from bedrock_gen.iam import actions as known

    service, _, name = action.partition(":")
    found = (known.actions(service) or {}).get(name)
    return found is not None and bool(found.resource_types)


def _wide(a: Access) -> bool:
    """An action granted on resources nobody named: every resource of its type, or '*' where
    IAM could have been told which."""
    return a.kind in ("action", "guardrail") and (
        a.target.startswith("any ") or (a.target == "*" and _scopable(a.action))
    )


def _other_service(a: Access) -> bool:
    return a.kind == "action" and a.action.partition(":")[0] not in INVOKE_SERVICES


def risk(row: Row) -> int:
    """How much a row's access could hurt, most first: who may assume the role, actions of
    other services (a wildcard action or NotAction), actions on every resource, every model
    (present and future), Marketplace products nobody chose, other named actions, models."""
    if row.kind == "trust":
        return 0
    if row.kind == "action":
        if row.subject not in INVOKE_SERVICES:
            return 1
        if row.where == "*" or row.where.startswith("any "):
            return 2
        return 4
    return 3 if row.subject == model_label(OTHER_MODEL) else 5


def by_risk(items: Iterable[Row]) -> list[Row]:
    """Rows, riskiest first (stable: equal risks keep their order)."""
    return sorted(items, key=risk)


def _names(items: Iterable[str], limit: int = 6) -> str:
    names = sorted(set(items))
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def _routes(access: Iterable[Access]) -> str:
    """Invoke access in a phrase: how many models, through which profiles, from where."""
    items = [a for a in access if _is_invoke(a)]
    models = {a.model for a in items if a.model != OTHER_MODEL}
    geos = {a.geography for a in items if a.geography}
    direct = {a.source for a in items if a.kind == "direct"}
    routes = {(a.model, a.geography, a.source) for a in items}
    parts = []
    if models:
        parts.append(f"{len(models)} model{'s' if len(models) != 1 else ''} ({_names(models, 4)})")
    if any(a.model == OTHER_MODEL for a in items):
        parts.append(ALL_MODELS)
    how = []
    if geos:
        how.append(f"through {_names(geos, 8)} profiles")
    if direct:
        how.append(f"direct calls in {len(direct)} Region{'s' if len(direct) != 1 else ''}")
    text = " and ".join(parts) + (f", {' and '.join(how)}" if how else "")
    return f"{text} ({len(routes):,} route{'s' if len(routes) != 1 else ''})"


def wildcards(access: Iterable[Access]) -> list[str]:
    """The grants that reach beyond anything named: each in one phrase, riskiest first."""
    items = list(access)
    out = []
    other = sorted({a.action for a in items if _other_service(a)})
    if other:
        out.append(
            f"actions of other services on * (a wildcard action or NotAction): {_names(other)}"
        )
    wide = sorted({a.action for a in items if _wide(a) and not _other_service(a)})
    if wide:
        out.append(
            f"{len(wide)} action{'s' if len(wide) != 1 else ''} on every resource of "
            f"{'their types' if len(wide) != 1 else 'its type'} or on *: {_names(wide)}"
        )
    if any(a.kind == "marketplace" and a.target == "any other product" for a in items):
        out.append("aws-marketplace:Subscribe to any product, not only the chosen models'")
    every = [a for a in items if _is_invoke(a) and a.model == OTHER_MODEL]
    if every:
        geos = sorted({a.geography for a in every if a.geography})
        direct = sorted({a.source for a in every if a.kind == "direct"})
        how = [f"through {_names(geos, 8)} profiles"] if geos else []
        if direct:
            how.append(f"direct calls in {len(direct)} Region{'s' if len(direct) != 1 else ''}")
        actions = sorted({SHORT.get(a.action, a.action) for a in every})
        out.append(
            f"{ALL_MODELS}: {', '.join(actions)} {' and '.join(how)}; a model AWS adds later "
            "is granted with no change here"
        )
    return out


def _regions(access: Iterable[Access]) -> set[str]:
    return {
        r for a in access if _is_invoke(a) for r in (a.source, a.destination) if r != REGIONLESS
    }


def _trust_text(a: Access) -> str:
    return f"{a.target} ({a.action}{', if ' + a.condition if a.condition else ''})"


def change_summary(
    added: frozenset[Access], removed: frozenset[Access], old: frozenset[Access]
) -> list[tuple[str, str]]:
    """What a change does, riskiest first: (what, change) rows."""
    out: list[tuple[str, str]] = []
    for a in sorted(x for x in added if x.kind == "trust"):
        out.append(("trust added", f"may now assume the role: {_trust_text(a)}"))
    for a in sorted(x for x in removed if x.kind == "trust"):
        out.append(("trust removed", f"may no longer assume the role: {_trust_text(a)}"))
    out += [("wildcard added", w) for w in wildcards(added)]
    out += [("wildcard removed", w) for w in wildcards(removed)]
    new_regions = _regions(added) - _regions(old)
    if new_regions:
        out.append(("new Regions", f"calls from or served in {regions_text(new_regions)}"))
    for label, items in (("calls added", added), ("calls removed", removed)):
        invoke = [a for a in items if _is_invoke(a)]
        actions = sorted({a.action for a in items if a.kind in ("action", "guardrail")})
        products = sorted({a.target for a in items if a.kind == "marketplace"})
        parts = [_routes(invoke)] if invoke else []
        if actions:
            parts.append(
                f"{len(actions)} other action{'s' if len(actions) != 1 else ''}: {_names(actions)}"
            )
        if products:
            parts.append(f"Marketplace subscriptions: {_names(products, 4)}")
        if parts:
            out.append((label, "; ".join(parts)))
    if out and not any(a.kind == "trust" for a in added | removed):
        out.append(("trust", "unchanged: the same principals may assume the role"))
    return out


def grant_summary(access: frozenset[Access], trusted: Iterable[str]) -> list[tuple[str, str]]:
    """What a set of policies grants, in a few rows: wildcards first, then who, then what."""
    out = [("wildcard", w) for w in wildcards(access)]
    out += [("who may use it", t) for t in trusted]
    invoke = [a for a in access if _is_invoke(a)]
    if invoke:
        out.append(("models", _routes(invoke)))
        sources = {a.source for a in invoke}
        served = {a.destination for a in invoke if a.destination != REGIONLESS}
        out.append(("called from", regions_text(sources)))
        out.append(
            (
                "may be served in",
                regions_text(served)
                + (
                    "; global profiles: any commercial Region (Region-less ARN)"
                    if any(a.destination == REGIONLESS for a in invoke)
                    else ""
                ),
            )
        )
    else:
        out.append(("models", "none"))
    actions = sorted({a.action for a in access if a.kind in ("action", "guardrail")})
    if actions:
        out.append(("other actions", f"{len(actions)}: {_names(actions)}"))
    products = sorted({a.target for a in access if a.kind == "marketplace"})
    if products:
        out.append(("Marketplace subscriptions", _names(products, 4)))
    return out
