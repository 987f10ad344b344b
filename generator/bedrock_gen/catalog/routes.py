"""Routes: the concrete ways a call can travel, enumerated once for everyone who asks
(validation against an organization's allowed Regions, ``explain``, ``diff``, lint of SCPs).

A route is one model called through one profile from one source Region (served in its
destinations), or called directly in one Region (``geography`` None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bedrock_gen.catalog.model import Model


class Route(NamedTuple):
    model: str
    geography: str | None  # None: a direct (In-Region) call
    source: str
    destinations: tuple[str, ...]  # Regions the call may be served in; () for global
    is_global: bool = False

    @property
    def profile_id(self) -> str | None:
        return f"{self.geography}.{self.model}" if self.geography else None


def routes(
    models: Iterable[Model],
    geographies: Sequence[str],
    sources: Sequence[str] | None,
    in_region: bool = False,
) -> list[Route]:
    """Every route the chosen models have from ``sources`` (None: from every source)."""
    out: list[Route] = []
    for m in models:
        for geo in geographies:
            profile = m.profiles.get(geo)
            if profile is None:
                continue
            for source in sources if sources is not None else profile.sources:
                if source not in profile.routes:
                    continue
                dests = () if profile.is_global else profile.routes[source]
                out.append(Route(m.id, geo, source, dests, profile.is_global))
        if in_region and m.on_demand:
            for region in (
                m.on_demand_regions(sources)
                if sources is not None
                else sorted(r for r in m.in_region if r != "*")
            ):
                out.append(Route(m.id, None, region, (region,)))
    return out


def blocked(route: Route, allowed: frozenset[str]) -> list[str]:
    """Regions of ``route`` an allowed-Regions list blocks (the source, then destinations)."""
    out = [] if route.source in allowed else [route.source]
    out += [d for d in route.destinations if d not in allowed and d != route.source]
    return out
