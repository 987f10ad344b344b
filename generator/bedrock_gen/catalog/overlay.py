"""A catalog overlay: what a user's own account says, on top of the bundled catalog.

``bedrock-gen catalog import`` and ``catalog fetch`` write one; ``catalog: PATH`` in a config
(or ``--catalog PATH``) applies it. Overlay entries win for the (model, geography, source
Region) they cover. A Region whose *complete* profile listing was imported (``listed``) is
covered for every model: a profile it did not list cannot be called from it, so that route
is dropped. The same holds for on-demand (In-Region) support and complete foundation-model
listings. The file holds Region names, profile and model IDs only: never an account ID.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from bedrock_gen.catalog.ids import GEOGRAPHY, MODEL_ID, PARTITION, REGION
from bedrock_gen.catalog.model import Catalog, Geography, Model, Profile, Region, Routes
from bedrock_gen.diagnostics import Location, error
from bedrock_gen.errors import CatalogError, ConfigError
from bedrock_gen.output.manifest import digest

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
                    for geo, routes in sorted(m.profiles.items())
                }
            if m.global_geographies:
                entry["global"] = sorted(m.global_geographies)
            models[mid] = entry
        return {
            MARKER: VERSION,
            "note": "Written by bedrock-gen catalog import/fetch from AWS API outputs. Routes: "
            "geography -> source Region -> destination Regions. 'listed' Regions had "
            "complete listings, so what they do not list is not callable there.",
            "inputs": [dict(i) for i in self.inputs],
            "listed": {
                "inference_profiles": sorted(self.profile_regions),
                "foundation_models": sorted(self.model_regions),
            },
            "partitions": dict(sorted(self.partitions.items())),
            "models": models,
        }

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode()


def _fail(file: str, message: str, location: Location | None = None) -> ConfigError:
    return ConfigError([error("catalog-overlay", message, file, location)])


class _Malformed(Exception):
    """One thing wrong with an overlay's JSON, with where it is (``at``: its JSON path; with
    ``key``, the key leading there is what is wrong)."""

    def __init__(self, message: str, at: tuple[str | int, ...] = (), key: bool = False) -> None:
        super().__init__(message)
        self.at = at
        self.key = key


def _check(
    value: Any,
    kind: type,
    where: str,
    pattern: re.Pattern[str] | None = None,
    at: tuple[str | int, ...] = (),
    key: bool = False,
) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        want = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}[kind]
        raise _Malformed(f"{where} must be {want}", at, key)
    if pattern is not None and not (isinstance(value, str) and pattern.match(value)):
        raise _Malformed(f"{where}: '{value}' is not a valid name", at, key)
    return value


def _strings(
    value: Any, where: str, pattern: re.Pattern[str], at: tuple[str | int, ...] = ()
) -> list[str]:
    return [
        _check(v, str, f"{where}[{i}]", pattern, (*at, i))
        for i, v in enumerate(_check(value, list, where, at=at))
    ]


def _model(mid: str, m: Any) -> OverlayModel:
    where = f"models.{mid}"
    at: tuple[str | int, ...] = ("models", mid)
    _check(m, dict, where, at=at)
    meta = {
        key: _check(m[key], str, f"{where}.{key}", at=(*at, key))
        if m.get(key) is not None
        else None
        for key in ("name", "provider", "status")
    }
    ins = (*at, "in_region")
    in_region = {
        _check(r, str, f"{where}.in_region", REGION, (*ins, r), True): _check(
            v, bool, f"{where}.in_region.{r}", at=(*ins, r)
        )
        for r, v in _check(m.get("in_region", {}), dict, f"{where}.in_region", at=ins).items()
    }
    profiles = {}
    pro = (*at, "profiles")
    for geo, routes in _check(m.get("profiles", {}), dict, f"{where}.profiles", at=pro).items():
        _check(geo, str, f"{where}.profiles", GEOGRAPHY, (*pro, geo), True)
        g = (*pro, geo)
        profiles[geo] = MappingProxyType(
            {
                _check(s, str, f"{where}.profiles.{geo}", REGION, (*g, s), True): tuple(
                    sorted(set(_strings(d, f"{where}.profiles.{geo}.{s}", REGION, (*g, s))))
                )
                for s, d in sorted(_check(routes, dict, f"{where}.profiles.{geo}", at=g).items())
            }
        )
    return OverlayModel(
        mid,
        meta["name"],
        meta["provider"],
        meta["status"],
        MappingProxyType(in_region),
        MappingProxyType(profiles),
        frozenset(_strings(m.get("global", []), f"{where}.global", GEOGRAPHY, (*at, "global"))),
    )


def parse(raw: Any, file: str, text: bytes | None = None) -> Overlay:
    """An overlay from its JSON; ``ConfigError`` naming what is wrong and where.

    Every name is checked: Regions, geographies and model IDs end up in policies, so a
    hand-edited ``*`` must not become a wildcard grant. With the file's ``text``, an error
    points at the line and column of what is wrong.
    """
    if not isinstance(raw, dict) or raw.get(MARKER) != VERSION:
        raise _fail(
            file,
            f"not a bedrock-gen catalog overlay (expected '{MARKER}': {VERSION}; "
            "make one with 'bedrock-gen catalog import')",
        )
    try:
        listed = _check(raw.get("listed", {}), dict, "listed", at=("listed",))
        models = {
            _check(mid, str, "models", MODEL_ID, ("models", mid), True): _model(mid, m)
            for mid, m in _check(raw.get("models"), dict, "models", at=("models",)).items()
        }
        partitions = {
            _check(r, str, "partitions", REGION, ("partitions", r), True): _check(
                p, str, f"partitions.{r}", PARTITION, ("partitions", r)
            )
            for r, p in _check(
                raw.get("partitions", {}), dict, "partitions", at=("partitions",)
            ).items()
        }
        inputs = tuple(
            MappingProxyType(
                {
                    str(k): str(v)
                    for k, v in _check(i, dict, f"inputs[{n}]", at=("inputs", n)).items()
                }
            )
            for n, i in enumerate(_check(raw.get("inputs", []), list, "inputs", at=("inputs",)))
        )
        profile_listing = ("listed", "inference_profiles")
        model_listing = ("listed", "foundation_models")
        return Overlay(
            MappingProxyType(models),
            frozenset(
                _strings(
                    listed.get("inference_profiles", []),
                    "listed.inference_profiles",
                    REGION,
                    profile_listing,
                )
            ),
            frozenset(
                _strings(
                    listed.get("foundation_models", []),
                    "listed.foundation_models",
                    REGION,
                    model_listing,
                )
            ),
            MappingProxyType(partitions),
            inputs,
        )
    except _Malformed as exc:
        where = None
        if text is not None:
            from bedrock_gen.load.json_source import locate

            where = locate(text.decode("utf-8", "replace"), exc.at, exc.key)
        raise _fail(
            file,
            f"malformed overlay: {exc}; re-create it with 'bedrock-gen catalog import'",
            where,
        ) from None


def read(path: str | Path, display: str | None = None) -> tuple[Overlay, str]:
    """An overlay file and its hash (which the render manifest records).

    Parsed with the standard library's C parser (an overlay of a whole account is hundreds of
    kilobytes, read on every render); the locating parser runs only to place a syntax error.
    """
    from bedrock_gen.load.json_source import read_data

    name = display or str(path)
    data, raw = read_data(path, name, "a catalog overlay", 16 * 1024 * 1024)
    return parse(raw, name, data), digest(data)  # as the manifest records it


def apply(catalog: Catalog, overlay: Overlay, digest: str | None = None) -> Catalog:
    """The bundled catalog with the overlay's facts winning where they speak."""
    geographies = dict(catalog.geographies)
    regions = dict(catalog.regions)
    for region, partition in overlay.partitions.items():
        if region not in regions:
            regions[region] = Region(region, partition, region)
    for om in overlay.models.values():
        for geo in om.profiles:
            if geo not in geographies:
                partition = _partition_of(om.profiles[geo], regions)
                geographies[geo] = Geography(
                    geo, partition, f"{geo} (from the overlay)", geo in om.global_geographies
                )
    models: dict[str, Model] = {m.id: m for m in catalog.models}
    for mid in sorted(set(models) | set(overlay.models)):
        models[mid] = _merge(
            models.get(mid), overlay.models.get(mid), overlay, geographies, regions
        )
    return Catalog(
        catalog.version,
        MappingProxyType(regions),
        MappingProxyType(geographies),
        models.values(),
        catalog.sources,
        digest or "overlay",
        catalog.facts,
    )


def _partition_of(routes: Routes, regions: Mapping[str, Region]) -> str:
    for source in routes:
        if source in regions:
            return regions[source].partition
    return "aws"


def _merge(
    model: Model | None,
    om: OverlayModel | None,
    overlay: Overlay,
    geographies: Mapping[str, Geography],
    regions: Mapping[str, Region],
) -> Model:
    """One model with what the overlay says about it winning over the bundled facts."""
    if model is None:
        assert om is not None
        model = Model(
            id=om.id,
            name=om.name or om.id,
            provider=(om.provider or om.id.split(".", 1)[0]).lower(),
            status=(om.status or "active").lower(),
            origin="overlay",
        )
    profiles: dict[str, Profile] = {}
    geos = set(model.profiles) | set(om.profiles if om else ())
    for geo in sorted(geos):
        routes = dict(model.profiles[geo].routes) if geo in model.profiles else {}
        for source in overlay.profile_regions:  # complete listing: absence means no route
            routes.pop(source, None)
        if om is not None:
            routes.update(om.profiles.get(geo, {}))
        if routes:
            profiles[geo] = Profile(
                geo, MappingProxyType(dict(sorted(routes.items()))), geographies[geo].is_global
            )
    in_region = set(model.in_region)
    explicit = dict.fromkeys(overlay.model_regions, False)  # complete listings: absent = no
    explicit.update(om.in_region if om is not None else {})
    for region, on in explicit.items():
        (in_region.add if on else in_region.discard)(region)
    status = model.status
    if om is not None and om.status and not (model.status == "eol" and om.status == "legacy"):
        status = om.status.lower()  # the API has no "eol": a LEGACY model past its date is one
    # a profile the account lists routes for is no longer unpublished
    unpublished = {g: u for g, u in model.unpublished.items() if g not in profiles}
    return model._replace(
        profiles=MappingProxyType(profiles),
        in_region=frozenset(in_region),
        status=status,
        unpublished=MappingProxyType(unpublished),
    )


def load_for(catalog: Catalog, path: str | Path | None, display: str | None = None) -> Catalog:
    """``catalog`` with the overlay at ``path`` applied (``catalog`` itself when None)."""
    if path is None:
        return catalog
    try:
        overlay, digest = read(path, display)
    except ConfigError as exc:
        raise CatalogError(exc.diagnostics) from None
    return apply(catalog, overlay, digest)
