"""A catalog overlay: what a user's own account says, on top of the bundled catalog.

``bedrock-gen catalog import`` and ``catalog fetch`` write one; ``catalog: PATH`` in a config
(or ``--catalog PATH``) applies it. Overlay entries win for the (model, geography, source
Region) they cover. A Region whose *complete* profile listing was imported (``listed``) is
covered for every model: a profile it did not list cannot be called from it, so that route
is dropped. The same holds for on-demand (In-Region) support and complete foundation-model
listings. The file holds Region names, profile and model IDs only: never an account ID.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog, Geography, Model, Profile, Routes
from bedrock_gen.diagnostics import error
from bedrock_gen.errors import CatalogError, ConfigError

MARKER = "bedrock_gen_overlay"
VERSION = 1


class OverlayModel(NamedTuple):
    id: str
    name: str | None = None
    provider: str | None = None
    status: str | None = None
    in_region: Mapping[str, bool] = MappingProxyType({})  # Region -> on demand there
    profiles: Mapping[str, Routes] = MappingProxyType({})  # geography -> routes
    global_geographies: frozenset[str] = frozenset()  # geographies served Region-less


class Overlay(NamedTuple):
    models: Mapping[str, OverlayModel]
    profile_regions: frozenset[str]  # complete ListInferenceProfiles imported for these
    model_regions: frozenset[str]  # complete ListFoundationModels imported for these
    partitions: Mapping[str, str]  # Region -> partition, as the ARNs say
    inputs: tuple[Mapping[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        models: dict[str, Any] = {}
        for mid in sorted(self.models):
            m = self.models[mid]
            entry: dict[str, Any] = {}
            for key in ("name", "provider", "status"):
                if getattr(m, key):
                    entry[key] = getattr(m, key)
            if m.in_region:
                entry["in_region"] = dict(sorted(m.in_region.items()))
            if m.profiles:
                entry["profiles"] = {
                    geo: {s: list(d) for s, d in sorted(routes.items())}
                    for geo, routes in sorted(m.profiles.items())}
            if m.global_geographies:
                entry["global"] = sorted(m.global_geographies)
            models[mid] = entry
        return {
            MARKER: VERSION,
            "note": "Written by bedrock-gen catalog import/fetch from AWS API outputs. Routes: "
                    "geography -> source Region -> destination Regions. 'listed' Regions had "
                    "complete listings, so what they do not list is not callable there.",
            "inputs": [dict(i) for i in self.inputs],
            "listed": {"inference_profiles": sorted(self.profile_regions),
                       "foundation_models": sorted(self.model_regions)},
            "partitions": dict(sorted(self.partitions.items())),
            "models": models,
        }

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode()


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _fail(file: str, message: str) -> ConfigError:
    return ConfigError([error("catalog-overlay", message, file)])


def parse(raw: Any, file: str) -> Overlay:
    """An overlay from its JSON; ``ConfigError`` naming what is wrong."""
    if not isinstance(raw, dict) or raw.get(MARKER) != VERSION:
        raise _fail(file, f"not a bedrock-gen catalog overlay (expected '{MARKER}': {VERSION}; "
                    "make one with 'bedrock-gen catalog import')")
    try:
        listed = raw.get("listed", {})
        models = {}
        for mid, m in raw["models"].items():
            profiles = {geo: MappingProxyType({s: tuple(sorted(d)) for s, d in routes.items()})
                        for geo, routes in m.get("profiles", {}).items()}
            models[mid] = OverlayModel(
                mid, m.get("name"), m.get("provider"), m.get("status"),
                MappingProxyType({r: bool(v) for r, v in m.get("in_region", {}).items()}),
                MappingProxyType(profiles), frozenset(m.get("global", ())))
        return Overlay(MappingProxyType(models), frozenset(listed.get("inference_profiles", ())),
                       frozenset(listed.get("foundation_models", ())),
                       MappingProxyType(dict(raw.get("partitions", {}))),
                       tuple(raw.get("inputs", ())))
    except (AttributeError, KeyError, TypeError) as exc:
        raise _fail(file, f"malformed overlay ({type(exc).__name__}: {exc}); re-create it "
                    "with 'bedrock-gen catalog import'") from None


def read(path: str | Path, display: str | None = None) -> tuple[Overlay, str]:
    """An overlay file and its hash (which the render manifest records)."""
    from bedrock_gen.load.json_source import loads
    from bedrock_gen.load.files import read_limited, decode

    name = display or str(path)
    data = read_limited(path, name, "a catalog overlay", 16 * 1024 * 1024)
    doc = loads(decode(data, name), name)
    return parse(doc.data, name), sha256(data)


def apply(catalog: Catalog, overlay: Overlay, digest: str | None = None) -> Catalog:
    """The bundled catalog with the overlay's facts winning where they speak."""
    geographies = dict(catalog.geographies)
    regions = dict(catalog.regions)
    for region, partition in overlay.partitions.items():
        if region not in regions:
            from bedrock_gen.catalog.model import Region

            regions[region] = Region(region, partition, region)
    for om in overlay.models.values():
        for geo in om.profiles:
            if geo not in geographies:
                partition = _partition_of(om.profiles[geo], regions)
                geographies[geo] = Geography(geo, partition, f"{geo} (from the overlay)",
                                             geo in om.global_geographies)
    models: dict[str, Model] = {m.id: m for m in catalog.models}
    for mid in sorted(set(models) | set(overlay.models)):
        models[mid] = _merge(models.get(mid), overlay.models.get(mid), overlay, geographies)
    return Catalog(catalog.version, MappingProxyType(regions), MappingProxyType(geographies),
                   models.values(), catalog.sources, digest or "overlay")


def _partition_of(routes: Routes, regions: Mapping[str, Any]) -> str:
    for source in routes:
        if source in regions:
            return str(regions[source].partition)
    return "aws"


def _merge(model: Model | None, om: OverlayModel | None, overlay: Overlay,
           geographies: Mapping[str, Geography]) -> Model:
    if model is None:
        assert om is not None
        model = Model(id=om.id, name=om.name or om.id,
                      provider=(om.provider or om.id.split(".", 1)[0]).lower(),
                      status=(om.status or "active").lower(), origin="overlay")
    profiles: dict[str, Profile] = {}
    geos = set(model.profiles) | set(om.profiles if om else ())
    for geo in sorted(geos):
        routes = dict(model.profiles[geo].routes) if geo in model.profiles else {}
        for source in overlay.profile_regions:  # complete listing: absence means no route
            routes.pop(source, None)
        if om is not None:
            routes.update(om.profiles.get(geo, {}))
        if routes:
            verified = geo not in model.profiles or model.profiles[geo].verified or bool(
                om and set(routes) <= set(om.profiles.get(geo, {})))
            profiles[geo] = Profile(geo, MappingProxyType(dict(sorted(routes.items()))),
                                    geographies[geo].is_global, verified)
    in_region = set(model.in_region)
    if om is not None or overlay.model_regions:
        explicit = dict.fromkeys(overlay.model_regions, False)
        explicit.update(om.in_region if om else {})
        for region, on in explicit.items():
            (in_region.add if on else in_region.discard)(region)
        if any(not on for on in explicit.values()) and "*" in in_region:
            # "anywhere" no longer holds; keep only what is known to be on demand
            in_region.discard("*")
            in_region.update(r for r, on in explicit.items() if on)
    status = (om.status.lower() if om is not None and om.status else model.status)
    return model._replace(profiles=MappingProxyType(profiles), in_region=frozenset(in_region),
                          status=status)


def load_for(catalog: Catalog, path: str | Path | None, display: str | None = None) -> Catalog:
    """``catalog`` with the overlay at ``path`` applied (``catalog`` itself when None)."""
    if path is None:
        return catalog
    try:
        overlay, digest = read(path, display)
    except ConfigError as exc:
        raise CatalogError(exc.diagnostics) from None
    return apply(catalog, overlay, digest)
