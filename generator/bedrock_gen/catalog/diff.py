"""``bedrock-gen catalog diff``: what an account's API outputs (or an overlay) say differently
from the bundled catalog, over exactly the slice they cover.

A saved ``get-inference-profile`` covers one (model, geography, source); a complete
``list-inference-profiles`` covers every profile callable from its Region; a
``list-foundation-models`` covers on-demand support in its Region. Nothing outside that slice is
reported as removed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.catalog.overlay import Overlay
from bedrock_gen.tables import Table


class RouteChange(NamedTuple):
    model: str
    geography: str
    source: str
    change: str  # "added" (new source), "removed" (source gone), "changed"
    added: tuple[str, ...]  # destination Regions
    removed: tuple[str, ...]


class CatalogDiff(NamedTuple):
    models_added: list[str]
    models_removed: list[str]
    profiles_added: list[tuple[str, str]]
    profiles_removed: list[tuple[str, str]]
    routes: list[RouteChange]
    in_region: list[tuple[str, str, bool, bool]]  # model, Region, before, after
    status: list[tuple[str, str, str]]  # model, before, after

    @property
    def empty(self) -> bool:
        return not any(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "differs": not self.empty,
            "models_added": self.models_added,
            "models_removed": self.models_removed,
            "profiles_added": [{"model": m, "geography": g} for m, g in self.profiles_added],
            "profiles_removed": [{"model": m, "geography": g} for m, g in self.profiles_removed],
            "routes": [{"model": r.model, "geography": r.geography, "source": r.source,
                        "change": r.change, "destinations_added": list(r.added),
                        "destinations_removed": list(r.removed)} for r in self.routes],
            "in_region": [{"model": m, "region": r, "before": b, "after": a}
                          for m, r, b, a in self.in_region],
            "status": [{"model": m, "before": b, "after": a} for m, b, a in self.status],
        }

    def tables(self) -> list[Table]:
        out = []
        if self.models_added or self.models_removed:
            out.append(Table("Models", ("change", "model"), [
                *(("added", m) for m in self.models_added),
                *(("removed", m) for m in self.models_removed)]))
        if self.profiles_added or self.profiles_removed:
            out.append(Table("Inference profiles", ("change", "profile"), [
                *(("added", f"{g}.{m}") for m, g in self.profiles_added),
                *(("removed", f"{g}.{m}") for m, g in self.profiles_removed)]))
        if self.routes:
            out.append(Table("Routes (per source Region)",
                             ("profile", "source", "change", "destinations added",
                              "destinations removed"),
                             [(f"{r.geography}.{r.model}", r.source, r.change,
                               ", ".join(r.added) or "-", ", ".join(r.removed) or "-")
                              for r in self.routes]))
        if self.in_region:
            out.append(Table("On-demand (In-Region) calls", ("model", "region", "before", "after"),
                             [(m, r, "yes" if b else "no", "yes" if a else "no")
                              for m, r, b, a in self.in_region]))
        if self.status:
            out.append(Table("Lifecycle status", ("model", "before", "after"),
                             [(m, b, a) for m, b, a in self.status]))
        return out


def compare(bundled: Catalog, overlay: Overlay) -> CatalogDiff:
    """Differences over the slice the overlay covers."""
    models_added = sorted(m for m in overlay.models if m not in bundled.by_id)
    profiles_added: set[tuple[str, str]] = set()
    profiles_removed: set[tuple[str, str]] = set()
    routes: list[RouteChange] = []
    covered_models: set[str] = set()
    for model in bundled.models:
        om = overlay.models.get(model.id)
        geos = set(model.profiles) | set(om.profiles if om else ())
        for geo in sorted(geos):
            before = model.profiles[geo].routes if geo in model.profiles else {}
            after = om.profiles.get(geo, {}) if om else {}
            sources = set(after) | {s for s in before if s in overlay.profile_regions}
            for source in sorted(sources):
                covered_models.add(model.id)
                old, new = before.get(source), after.get(source)
                if old is None and new is not None:
                    routes.append(RouteChange(model.id, geo, source, "added", new, ()))
                elif old is not None and new is None:
                    routes.append(RouteChange(model.id, geo, source, "removed", (), old))
                elif old is not None and new is not None and set(old) != set(new):
                    routes.append(RouteChange(model.id, geo, source, "changed",
                                              tuple(sorted(set(new) - set(old))),
                                              tuple(sorted(set(old) - set(new)))))
            had = any(s in before for s in sources)
            has = any(s in after for s in sources)
            if has and geo not in model.profiles:
                profiles_added.add((model.id, geo))
            if had and not after and all(s in overlay.profile_regions for s in before):
                profiles_removed.add((model.id, geo))
    for mid in models_added:
        om = overlay.models[mid]
        for geo, rts in sorted(om.profiles.items()):
            profiles_added.add((mid, geo))
            routes.extend(RouteChange(mid, geo, s, "added", d, ()) for s, d in sorted(rts.items()))
    in_region: list[tuple[str, str, bool, bool]] = []
    status: list[tuple[str, str, str]] = []
    for model in bundled.models:
        om = overlay.models.get(model.id)
        for region in sorted(overlay.model_regions | set(om.in_region if om else ())):
            after = bool(om and om.in_region.get(region, False))
            before = model.on_demand_in(region)
            if before != after:
                in_region.append((model.id, region, before, after))
        if om is not None and om.status and om.status.lower() != model.status:
            status.append((model.id, model.status, om.status.lower()))
    models_removed = sorted(
        m.id for m in bundled.models
        if m.id not in overlay.models and m.id in covered_models
        and not any(r.model == m.id and r.change != "removed" for r in routes))
    return CatalogDiff(models_added, models_removed, sorted(profiles_added),
                       sorted(profiles_removed), sorted(routes), in_region, status)
