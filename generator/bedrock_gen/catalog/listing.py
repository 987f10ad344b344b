"""``bedrock-gen models``: the catalog as a listing, and its routes as tables a
data-residency reviewer can read (per profile: each source Region and where a call from it
may be served)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.tables import Table


def lifecycle_text(m: Model) -> str:
    """One short cell: active, legacy (and when AWS ends it), end of life (since when)."""
    life = m.lifecycle
    if m.status == "eol":
        if life.eol_date:
            return f"end of life {life.eol_date}"
        return "end of life" if life.regions or life.listed else "retired (not listed)"
    gone = life.eol_regions()
    parts = []
    if m.status == "legacy":
        pending = sorted({v.eol_date for v in life.regions.values() if v.status == "legacy"})
        when = life.eol_date or (pending[0] if pending else "")
        parts.append(f"legacy, ends {when}" if when else "legacy")
    else:
        parts.append("active")
    if gone:
        parts.append(f"ended in {len(gone)} Regions")
    return "; ".join(parts)


def lifecycle_json(m: Model) -> dict[str, Any]:
    life = m.lifecycle
    out: dict[str, Any] = {"status": m.status, "listed": life.listed}
    for key in ("launch_date", "eol_date", "eol_no_sooner_than"):
        if getattr(life, key):
            out[key] = getattr(life, key)
    if life.regions:
        out["regions"] = {
            r: {"status": v.status, "eol_date": v.eol_date} for r, v in sorted(life.regions.items())
        }
    return out


def sources_json(cat: Catalog) -> dict[str, Any]:
    """Where the catalog's facts come from, and how new they are."""
    return {
        "read_on": cat.read_on,
        "newest_source_date": cat.newest_source_date,
        "index": cat.facts.get("index"),
    }


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
            "lifecycle": lifecycle_json(m),
            "geographies": sorted(m.profiles),
            "unpublished": {
                g: {"profile_id": u.profile_id, "marked_sources": list(u.marked_sources)}
                for g, u in sorted(m.unpublished.items())
            },
            "in_region": sorted(m.in_region),
            "mantle": (
                {"model_id": m.mantle.model_id, "in_region": list(m.mantle.in_region)}
                if m.mantle
                else None
            ),
            "marketplace": m.marketplace,
            "marketplace_product_id": m.marketplace_product_id,
            "origin": m.origin,
            "sources": list(m.sources),
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
    return {
        "catalog_version": cat.version,
        "catalog_sources": sources_json(cat),
        "overlay": cat.overlay_sha256,
        "models": out,
    }


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
