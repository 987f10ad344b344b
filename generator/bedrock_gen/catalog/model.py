"""The catalog's types: Regions, geographies, models and their inference profiles.

A profile records, for each *source* Region it can be called from, the exact Regions AWS may
serve the call in, as AWS's per-model tables and ``GetInferenceProfile`` give them. Sources of
one profile may route to different Regions (an ``apac`` call from ap-southeast-5 may be served
in ap-southeast-3, one from ap-northeast-1 may not), so nothing here derives destinations from
the geography. Global profiles record only their sources: AWS serves them anywhere and
authorizes the serving Region through the Region-less foundation-model ARN.

A profile AWS names without a per-source table is *unpublished*: the catalog keeps its ID and
the Regions the card marks (for messages) but never grants it; the user's account (``catalog
fetch``) or ``models.custom`` with explicit ``routes`` can. Regions where a model has reached
its end of life are already out of its routes and In-Region list; ``Model.lifecycle`` says
which and when.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

Routes = Mapping[str, tuple[str, ...]]  # source Region -> destination Regions (sorted)

_EMPTY: Mapping[str, Any] = MappingProxyType({})
# in ``Model.in_region`` of a ``models.custom`` entry with ``in_region: true`` only (the user's
# own statement): on demand in the config's Regions. The bundled catalog lists Regions.
ANY_REGION = "*"


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
    verified: bool = True  # False: routes a models.custom entry assumed (source Region only)

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


class Unpublished(NamedTuple):
    """A profile AWS names for a model without publishing where each source routes to."""

    profile_id: str
    marked_sources: tuple[str, ...]  # Regions the card marks for it (not granted)


class RegionLifecycle(NamedTuple):
    status: str  # "legacy" or "eol"
    eol_date: str
    legacy_date: str | None = None


class Lifecycle(NamedTuple):
    """What AWS's pages say about a model's life: dates (ISO; month-only when AWS gives only a
    month), and per Region where the lifecycle page lists Regions."""

    launch_date: str | None = None
    eol_date: str | None = None
    eol_no_sooner_than: str | None = None
    regions: Mapping[str, RegionLifecycle] = _EMPTY
    listed: bool = True  # False: AWS's newest index does not list the model

    def eol_regions(self) -> dict[str, str]:
        """Regions past their end-of-life date (Region -> date)."""
        return {r: v.eol_date for r, v in self.regions.items() if v.status == "eol"}


class Mantle(NamedTuple):
    """The model on the bedrock-mantle endpoint (OpenAI-compatible; not granted by bedrock-gen)."""

    model_id: str
    in_region: tuple[str, ...]


class Model(NamedTuple):
    id: str
    name: str
    provider: str
    aliases: tuple[str, ...] = ()
    status: str = "active"  # "active", "legacy" or "eol", as of the catalog's read_on date
    in_region: frozenset[str] = frozenset()  # Regions with on-demand calls (bedrock-runtime)
    marketplace: bool | None = False  # None: no AWS page says
    marketplace_product_id: str | None = None
    profiles: Mapping[str, Profile] = _EMPTY
    wrong_ids: Mapping[str, str] = _EMPTY
    custom: bool = False  # from the config's models.custom
    origin: str = "catalog"  # "catalog", "overlay" (only the overlay knows it) or "config"
    sources: tuple[str, ...] = ()  # keys of Catalog.sources
    lifecycle: Lifecycle = Lifecycle()
    unpublished: Mapping[str, Unpublished] = _EMPTY  # geography -> profile AWS gives no routes for
    mantle: Mantle | None = None
    limited_access: str | None = None  # AWS: only eligible customers may use it

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
        facts: Mapping[str, Any] = _EMPTY,
    ) -> None:
        self.version = version
        self.regions = regions
        self.geographies = geographies
        self.models = tuple(sorted(models, key=lambda m: m.id))
        self.sources = sources
        self.overlay_sha256 = overlay_sha256  # set when an overlay was applied
        self.facts = facts  # read_on, newest_source_date, index, snapshots

    @property
    def newest_source_date(self) -> str | None:
        """The newest date AWS's pages read for the catalog state (a launch date)."""
        value = self.facts.get("newest_source_date")
        return str(value) if value else None

    @property
    def read_on(self) -> str | None:
        """The day the pages were read: lifecycle dates are judged as of it."""
        value = self.facts.get("read_on")
        return str(value) if value else None

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
        """Per source, every Region any model's published profile routes that source to: what
        ``models.allow: all`` (every model, ``*``) is granted, and where a geography can be
        called from. Never used for one named model."""
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
        self,
        model_id: str,
        geographies: tuple[str, ...],
        in_region: bool | tuple[str, ...] | None,
        product_id: str | None,
        routes: Mapping[str, Routes],
        regions: tuple[str, ...] | None,
        base: Model | None = None,
    ) -> Model:
        """A ``models.custom`` entry: the routes the user gives, per geography; without them,
        each of the config's Regions routes to itself only (``verified`` False), never to
        Regions other models use. ``base``: the catalog's model of that ID, whose facts are
        kept where the entry says nothing."""
        profiles = dict(base.profiles) if base is not None else {}
        for g in geographies:
            if g not in self.geographies:
                continue
            is_global = self.geographies[g].is_global
            if g in routes:
                profiles[g] = Profile(g, routes[g], is_global)
            elif base is not None and g in base.profiles:
                continue
            else:
                part = self.geographies[g].partition
                own = {
                    r: (() if is_global else (r,))
                    for r in sorted(regions or ())
                    if self.partition_of(r) == part
                }
                profiles[g] = Profile(g, MappingProxyType(own), is_global, verified=False)
        if isinstance(in_region, tuple):
            direct = frozenset(in_region)
        elif in_region:
            direct = frozenset({ANY_REGION})
        elif in_region is None and base is not None:
            direct = base.in_region
        else:
            direct = frozenset()
        if base is not None:
            unpublished = {g: u for g, u in base.unpublished.items() if g not in profiles}
            return base._replace(
                in_region=direct,
                marketplace=True if product_id else base.marketplace,
                marketplace_product_id=product_id or base.marketplace_product_id,
                profiles=MappingProxyType(profiles),
                unpublished=MappingProxyType(unpublished),
                custom=True,
                origin="config",
            )
        return Model(
            id=model_id,
            name=model_id,
            provider=model_id.split(".", 1)[0],
            in_region=direct,
            marketplace=product_id is not None,
            marketplace_product_id=product_id,
            profiles=MappingProxyType(profiles),
            custom=True,
            origin="config",
        )
