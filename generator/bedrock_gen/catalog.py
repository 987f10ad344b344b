"""The model catalog: Regions, geographies, models, gateway presets and IAM limits.

The facts live in ``data/catalog.json`` (checked against ``schemas/catalog.schema.json`` by the
tests, with a source for every entry); this module only gives them types. It is loaded once
per process and never at import time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from bedrock_gen.resources import data_path


class Geography(NamedTuple):
    """An inference-profile geography: the prefix of a system-defined profile ID."""

    id: str
    partition: str
    description: str
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    is_global: bool = False


class Profile(NamedTuple):
    """A model's system-defined inference profile in one geography."""

    geography: str
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    is_global: bool = False
    explicit: bool = False  # destinations from AWS's table for this model, not the geography's

    def destinations_from(self, source: str) -> tuple[str, ...]:
        """Regions a call made in ``source`` may be served in (the source itself included).

        AWS routes some sources to themselves as well as to the listed destinations (a ``us.``
        call from us-west-1 may run in us-west-1); granting that union never under-grants.
        Global profiles are served through the Region-less ARN, so only the source is named
        (``*`` for an unknown source). ``source="*"`` (Regions not pinned) means any source.
        """
        if self.is_global:
            return (source,)
        if source == "*":  # any source this profile has
            return tuple(sorted({*self.destinations, *self.sources}))
        return tuple(sorted({*self.destinations, source}))


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Model(NamedTuple):
    id: str
    name: str
    provider: str
    aliases: tuple[str, ...] = ()
    status: str = "active"
    in_region: bool = False
    in_region_regions: tuple[str, ...] = ()
    marketplace: bool = False
    marketplace_product_id: str | None = None
    profiles: Mapping[str, Profile] = _EMPTY
    wrong_ids: Mapping[str, str] = _EMPTY
    custom: bool = False


class Gateway(NamedTuple):
    id: str
    description: str
    roles: Mapping[str, str]
    default_roles: tuple[str, ...]


class Catalog:
    """The whole catalog, with lookups computed once."""

    def __init__(self, version: str, regions: Mapping[str, str],
                 geographies: Mapping[str, Geography], models: tuple[Model, ...],
                 gateways: Mapping[str, Gateway], limits: Mapping[str, int],
                 sources: Mapping[str, str]) -> None:
        self.version = version
        self.regions = regions  # code -> partition
        self.geographies = geographies
        self.models = models
        self.gateways = gateways
        self.limits = limits
        self.sources = sources

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
    def core_destinations(self) -> dict[str, frozenset[str]]:
        """Per geography, the Regions every model with a documented table routes to.

        Generation grants a model's full (possibly widest-known) set so calls never fail;
        lint asks only for Regions that are certain, so a policy written from AWS's exact
        table for a model is never flagged.
        """
        out: dict[str, frozenset[str]] = {}
        for gid, geo in self.geographies.items():
            sets = [frozenset(m.profiles[gid].destinations) for m in self.models
                    if gid in m.profiles and m.profiles[gid].explicit]
            out[gid] = frozenset.intersection(*sets) if sets else frozenset(geo.destinations)
        return out

    def certain_destinations(self, profile: Profile, source: str) -> tuple[str, ...]:
        """Regions a call from ``source`` can certainly be served in (see core_destinations)."""
        full = profile.destinations_from(source)
        if profile.explicit:
            return full
        core = self.core_destinations[profile.geography]
        return tuple(r for r in full if r in core)

    def lookup(self, name: str) -> Model | None:
        return self.by_id.get(name) or self.by_alias.get(name)

    def names(self) -> list[str]:
        """Every ID and alias a user may write."""
        return [*self.by_id, *self.by_alias]

    def custom_model(self, model_id: str, geographies: tuple[str, ...], in_region: bool,
                     product_id: str | None) -> Model:
        """A model the catalog does not know: each geography's widest known Regions."""
        profiles = {}
        for g in geographies:
            geo = self.geographies[g]
            profiles[g] = Profile(g, geo.sources, geo.destinations, geo.is_global)
        return Model(
            id=model_id, name=model_id, provider=model_id.split(".", 1)[0],
            in_region=in_region, marketplace=product_id is not None,
            marketplace_product_id=product_id, profiles=profiles, custom=True,
        )


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def parse(raw: Mapping[str, Any]) -> Catalog:
    geographies = {
        gid: Geography(gid, g["partition"], g["description"], _tuple(g["sources"]),
                       _tuple(g["destinations"]), bool(g.get("global", False)))
        for gid, g in raw["geographies"].items()
    }
    models = []
    for m in raw["models"]:
        profiles = {}
        for gid, p in m["profiles"].items():
            geo = geographies[gid]
            profiles[gid] = Profile(
                gid,
                _tuple(p.get("sources", geo.sources)),
                _tuple(p.get("destinations", geo.destinations)),
                geo.is_global,
                explicit="destinations" in p or geo.is_global,
            )
        models.append(Model(
            id=m["id"], name=m["name"], provider=m["provider"], aliases=_tuple(m["aliases"]),
            status=m["status"], in_region=m["in_region"],
            in_region_regions=_tuple(m.get("in_region_regions")),
            marketplace=m["marketplace"], marketplace_product_id=m.get("marketplace_product_id"),
            profiles=profiles, wrong_ids=dict(m.get("wrong_ids", {})),
        ))
    gateways = {
        gid: Gateway(gid, g["description"], dict(g["roles"]), _tuple(g["default_roles"]))
        for gid, g in raw["gateways"].items()
    }
    return Catalog(
        version=raw["catalog_version"],
        regions={code: r["partition"] for code, r in raw["regions"].items()},
        geographies=geographies,
        models=tuple(sorted(models, key=lambda m: m.id)),
        gateways=gateways,
        limits={k: v for k, v in raw["limits"].items() if isinstance(v, int)},
        sources=dict(raw["sources"]),
    )


def load_raw() -> dict[str, Any]:
    with open(data_path("catalog.json"), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.cache
def load() -> Catalog:
    """The shipped catalog (parsed once per process)."""
    return parse(load_raw())
