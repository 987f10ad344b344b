"""``bedrock-gen models``: the catalog as a listing, and its routes as tables a
data-residency reviewer can read (per profile: each source Region and where a call from it
may be served)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.tables import Table


def listing(
    cat: Catalog, models: Sequence[Model], geography: str | None, routes: bool
) -> dict[str, Any]:
    out = []
    for m in models:
        entry: dict[str, Any] = {
            "id": m.id,
            "name": m.name,
            "provider": m.provider,
            "aliases": list(m.aliases),
            "status": m.status,
            "geographies": sorted(m.profiles),
            "in_region": sorted(m.in_region),
            "marketplace": m.marketplace,
            "marketplace_product_id": m.marketplace_product_id,
            "origin": m.origin,
        }
        if routes:
            entry["routes"] = {
                geo: (
                    {"global": True, "sources": list(p.sources)}
                    if p.is_global
                    else {s: list(d) for s, d in p.routes.items()}
                )
                for geo, p in sorted(m.profiles.items())
                if geography is None or geo == geography
            }
        out.append(entry)
    return {"catalog_version": cat.version, "overlay": cat.overlay_sha256, "models": out}


def route_table(cat: Catalog, models: Sequence[Model], geography: str | None) -> list[Table]:
    rows: list[tuple[str, ...]] = []
    for m in models:
        for geo, p in sorted(m.profiles.items()):
            if geography is not None and geo != geography:
                continue
            if p.is_global:
                rows.append(
                    (f"{geo}.{m.id}", ", ".join(p.sources), "any commercial Region (global)")
                )
                continue
            by_dests: dict[tuple[str, ...], list[str]] = {}
            for source, dests in p.routes.items():
                by_dests.setdefault(dests, []).append(source)
            for dests, sources in sorted(by_dests.items(), key=lambda kv: kv[1]):
                rows.append((f"{geo}.{m.id}", ", ".join(sources), ", ".join(dests)))
    return [
        Table("Inference profile routes", ("PROFILE", "SOURCE REGIONS", "MAY BE SERVED IN"), rows)
    ]
