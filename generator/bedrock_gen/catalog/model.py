"""The catalog's types: Regions, geographies, models and their inference profiles.

A profile records, for each *source* Region it can be called from, the exact Regions AWS may
serve the call in, as AWS's per-model tables and ``GetInferenceProfile`` give them. Sources of
one profile may route to different Regions (an ``apac`` call from ap-southeast-5 may be served
in ap-southeast-3, one from ap-northeast-1 may not), so nothing here derives destinations from
the geography. Global profiles record only their sources: AWS serves them anywhere and
authorizes the serving Region through the Region-less foundation-model ARN.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

Routes = Mapping[str, tuple[str, ...]]  # source Region -> destination Regions (sorted)

_EMPTY: Mapping[str, Any] = MappingProxyType({})
ANY_REGION = "*"  # in ``Model.in_region``: on demand wherever the model is offered


class Region(NamedTuple):
    code: str
    partition: str
    name: str


class Geography(NamedTuple):
    """An inference-profile geography: the prefix of a system-defined profile ID."""

    id: str
    partition: str
    description: str
    is_global: bool = False


class Profile(NamedTuple):
    """A model's system-defined inference profile in one geography."""

    geography: str
    routes: Routes
    is_global: bool = False
    verified: bool = True  # False: AWS publishes no per-source table; routes are inferred

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted(self.routes))

    def served_in(self, source: str) -> tuple[str, ...]:
        """Regions whose foundation-model ARN a call from ``source`` is authorized on.

        Geographic: the destinations AWS lists for that source. Global: the source itself (the
        serving Region is authorized through the Region-less ARN). Empty when the profile
        cannot be called from ``source``.
        """
        if source not in self.routes:
            return ()
        return (source,) if self.is_global else self.routes[source]

    def destinations(self) -> tuple[str, ...]:
        """Every Region any source of this profile may route to (geographic profiles)."""
        return tuple(sorted({d for ds in self.routes.values() for d in ds}))


class Model(NamedTuple):
    id: str
    name: str
    provider: str
    aliases: tuple[str, ...] = ()
    status: str = "active"
    in_region: frozenset[str] = frozenset()  # Regions with on-demand calls; "*" = any
    marketplace: bool = False
    marketplace_product_id: str | None = None
    profiles: Mapping[str, Profile] = _EMPTY
    wrong_ids: Mapping[str, str] = _EMPTY
    custom: bool = False  # from the config's models.custom
    origin: str = "catalog"  # "catalog", "overlay" (only the overlay knows it) or "config"
    sources: tuple[str, ...] = ()  # keys of Catalog.sources
    end_of_life: str | None = None  # the date AWS gives, when it has passed or is set

    def on_demand_in(self, region: str) -> bool:
        """Can the model be invoked directly (no profile) in ``region``?"""
        return region in self.in_region or ANY_REGION in self.in_region

    @property
    def on_demand(self) -> bool:
        return bool(self.in_region)

    def on_demand_regions(self, regions: Iterable[str]) -> list[str]:
        return [r for r in regions if self.on_demand_in(r)]


class Catalog:
    """The whole catalog, with lookups computed once."""

    def __init__(
        self,
        version: str,
        regions: Mapping[str, Region],
        geographies: Mapping[str, Geography],
        models: Iterable[Model],
        sources: Mapping[str, Mapping[str, str]],
        overlay_sha256: str | None = None,
    ) -> None:
        self.version = version
        self.regions = regions
        self.geographies = geographies
        self.models = tuple(sorted(models, key=lambda m: m.id))
        self.sources = sources
        self.overlay_sha256 = overlay_sha256  # set when an overlay was applied

    def partition_of(self, region: str) -> str | None:
        r = self.regions.get(region)
        return r.partition if r is not None else None

    @functools.cached_property
    def by_id(self) -> dict[str, Model]:
        return {m.id: m for m in self.models}

    @functools.cached_property
    def by_alias(self) -> dict[str, Model]:
        return {a: m for m in self.models for a in m.aliases}

    @functools.cached_property
    def wrong_ids(self) -> dict[str, tuple[Model, str]]:
        return {w: (m, why) for m in self.models for w, why in m.wrong_ids.items()}

    @functools.cached_property
    def order(self) -> dict[str, int]:
        """Catalog order of model IDs: the stable order pieces are packed in."""
        return {m.id: i for i, m in enumerate(self.models)}

    def lookup(self, name: str) -> Model | None:
        return self.by_id.get(name) or self.by_alias.get(name)

    def names(self) -> list[str]:
        """Every ID and alias a user may write."""
        return [*self.by_id, *self.by_alias]

    @functools.cache  # noqa: B019 - a catalog lives for the whole process
    def geography_routes(self, geography: str) -> Routes:
        """The widest known routes of a geography: per source, every Region any model's
        profile routes that source to. What a model the catalog does not know is granted."""
        merged: dict[str, set[str]] = {}
        for m in self.models:
            profile = m.profiles.get(geography)
            if profile is None:
                continue
            for source, dests in profile.routes.items():
                merged.setdefault(source, set()).update(dests)
        return MappingProxyType({s: tuple(sorted(d)) for s, d in sorted(merged.items())})

    def geography_sources(self, geography: str) -> tuple[str, ...]:
        return tuple(self.geography_routes(geography))

    def custom_model(
        self, model_id: str, geographies: tuple[str, ...], in_region: bool, product_id: str | None
    ) -> Model:
        """A model the catalog does not know: each geography's widest known routes."""
        profiles = {
            g: Profile(g, self.geography_routes(g), self.geographies[g].is_global, verified=False)
            for g in geographies
            if g in self.geographies
        }
        return Model(
            id=model_id,
            name=model_id,
            provider=model_id.split(".", 1)[0],
            in_region=frozenset({ANY_REGION}) if in_region else frozenset(),
            marketplace=product_id is not None,
            marketplace_product_id=product_id,
            profiles=MappingProxyType(profiles),
            custom=True,
            origin="config",
        )
