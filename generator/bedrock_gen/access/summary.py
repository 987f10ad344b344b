"""Access tuples grouped so a person can read them: by model and profile, sources that are
served in the same Regions on one row; other actions by service; trust by principal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.access.tuples import OTHER_MODEL, Access, Broken, Leak

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
    return "any other model" if model == OTHER_MODEL else model


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
