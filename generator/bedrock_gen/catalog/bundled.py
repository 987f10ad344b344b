"""The catalog shipped with bedrock-gen: ``data/catalog.json``, read once per process.

The file is made by ``bedrock_gen.catalog.build`` (``make catalog``) from ``catalog-src/`` and
checked against ``schemas/catalog.schema.json`` by the tests. Profiles name a shared route
table (``route_tables``) or hold their own list of ``{"from": [sources], "to": [destinations]}``
groups: sources that route to the same Regions share one group.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from bedrock_gen.catalog.model import (
    Catalog,
    Geography,
    Lifecycle,
    Mantle,
    Model,
    Profile,
    Region,
    RegionLifecycle,
    Routes,
    Unpublished,
)
from bedrock_gen.resources import data_path

FORMAT = 3


def routes_of(groups: list[Mapping[str, Any]]) -> Routes:
    """``[{"from": [...], "to": [...]}]`` as source -> destinations."""
    routes: dict[str, tuple[str, ...]] = {}
    for group in groups:
        dests = tuple(sorted(group["to"]))
        for source in group["from"]:
            routes[source] = dests
    return MappingProxyType(dict(sorted(routes.items())))


def _lifecycle(raw: Mapping[str, Any]) -> Lifecycle:
    return Lifecycle(
        raw.get("launch_date"),
        raw.get("eol_date"),
        raw.get("eol_no_sooner_than"),
        MappingProxyType(
            {
                r: RegionLifecycle(v["status"], v["eol_date"], v.get("legacy_date"))
                for r, v in raw.get("regions", {}).items()
            }
        ),
        bool(raw.get("listed", True)),
    )


def parse(raw: Mapping[str, Any]) -> Catalog:
    regions = {code: Region(code, r["partition"], r["name"]) for code, r in raw["regions"].items()}
    geographies = {
        gid: Geography(gid, g["partition"], g["description"], bool(g.get("global", False)))
        for gid, g in raw["geographies"].items()
    }
    tables = {name: routes_of(groups) for name, groups in raw.get("route_tables", {}).items()}
    models = []
    for m in raw["models"]:
        profiles = {}
        for gid, spec in m.get("profiles", {}).items():
            routes = tables[spec] if isinstance(spec, str) else routes_of(spec)
            profiles[gid] = Profile(gid, routes, geographies[gid].is_global)
        mantle = m.get("mantle")
        models.append(
            Model(
                id=m["id"],
                name=m["name"],
                provider=m["provider"],
                aliases=tuple(m.get("aliases", ())),
                status=m["status"],
                in_region=frozenset(m.get("in_region", ())),
                marketplace=m["marketplace"],
                marketplace_product_id=m.get("marketplace_product_id"),
                profiles=MappingProxyType(profiles),
                wrong_ids=MappingProxyType(m.get("wrong_ids", {})),
                sources=tuple(m.get("source", ())),
                lifecycle=_lifecycle(m.get("lifecycle", {})),
                unpublished=MappingProxyType(
                    {
                        g: Unpublished(u["profile_id"], tuple(u.get("marked_sources", ())))
                        for g, u in m.get("unpublished", {}).items()
                    }
                ),
                mantle=Mantle(mantle["model_id"], tuple(mantle["in_region"])) if mantle else None,
                limited_access=m.get("limited_access"),
            )
        )
    return Catalog(
        raw["catalog_version"],
        regions,
        geographies,
        models,
        {k: v if isinstance(v, dict) else {"url": v} for k, v in raw["sources"].items()},
        facts=MappingProxyType(dict(raw.get("facts", {}))),
    )


def load_raw() -> dict[str, Any]:
    with open(data_path("catalog.json"), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.cache
def load() -> Catalog:
    """The shipped catalog (parsed once per process)."""
    return parse(load_raw())
