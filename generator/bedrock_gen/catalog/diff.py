"""``bedrock-gen catalog diff``: what an account's API outputs (or an overlay) say differently
from the bundled catalog, over exactly the slice they cover.

A saved ``get-inference-profile`` covers one (model, geography, source); a complete
``list-inference-profiles`` covers every profile callable from its Region; a
``list-foundation-models`` covers on-demand support in its Region. Nothing outside that slice is
reported as removed: a model is "removed" only when no route and no on-demand Region is left of
it once the outputs are applied.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.catalog.overlay import Overlay, apply
from bedrock_gen.tables import Table


class RouteChange(NamedTuple):
    model: str
    geography: str
    source: str
    change: str  # "added" (new source), "removed" (source gone), "changed"
    added: tuple[str, ...]  # destination Regions
    removed: tuple[str, ...]
    is_global: bool = False  # served anywhere: no destinations to list


class CatalogDiff(NamedTuple):
    models_added: list[str]
    models_removed: list[str]
    profiles_added: list[tuple[str, str]]
    profiles_removed: list[tuple[str, str]]
    routes: list[RouteChange]
    in_region: list[tuple[str, str, bool, bool]]  # model, Region, before, after
    status: list[tuple[str, str, str]]  # model, before, after
    lifecycle: list[tuple[str, str, str]]  # model, before, after (dates; two builds)
    product_ids: list[tuple[str, str, str]]  # model, before, after (two builds)

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
            "routes": [
                {
                    "model": r.model,
                    "geography": r.geography,
                    "source": r.source,
                    "change": r.change,
                    "global": r.is_global,
                    "destinations_added": list(r.added),
                    "destinations_removed": list(r.removed),
                }
                for r in self.routes
            ],
            "in_region": [
                {"model": m, "region": r, "before": b, "after": a} for m, r, b, a in self.in_region
            ],
            "status": [{"model": m, "before": b, "after": a} for m, b, a in self.status],
            "lifecycle": [{"model": m, "before": b, "after": a} for m, b, a in self.lifecycle],
            "product_ids": [
                {"model": m, "before": b or None, "after": a or None}
                for m, b, a in self.product_ids
            ],
        }

    def tables(self) -> list[Table]:
        out = []
        if self.models_added or self.models_removed:
            out.append(
                Table(
                    "Models",
                    ("change", "model"),
                    [
                        *(("added", m) for m in self.models_added),
                        *(("removed", m) for m in self.models_removed),
                    ],
                )
            )
        if self.profiles_added or self.profiles_removed:
            out.append(
                Table(
                    "Inference profiles",
                    ("change", "profile"),
                    [
                        *(("added", f"{g}.{m}") for m, g in self.profiles_added),
                        *(("removed", f"{g}.{m}") for m, g in self.profiles_removed),
                    ],
                )
            )
        if self.routes:
            out.append(
                Table(
                    "Routes (per source Region)",
                    ("profile", "source", "change", "destinations added", "destinations removed"),
                    [
                        (
                            f"{r.geography}.{r.model}",
                            r.source,
                            r.change,
                            *(
                                ("(global)", "-")
                                if r.is_global and r.change == "added"
                                else ("-", "(global)")
                                if r.is_global
                                else (", ".join(r.added) or "-", ", ".join(r.removed) or "-")
                            ),
                        )
                        for r in self.routes
                    ],
                )
            )
        if self.in_region:
            out.append(
                Table(
                    "On-demand (In-Region) calls",
                    ("model", "region", "before", "after"),
                    [
                        (m, r, "yes" if b else "no", "yes" if a else "no")
                        for m, r, b, a in self.in_region
                    ],
                )
            )
        if self.status:
            out.append(
                Table(
                    "Lifecycle status",
                    ("model", "before", "after"),
                    [(m, b, a) for m, b, a in self.status],
                )
            )
        if self.lifecycle:
            out.append(
                Table(
                    "Lifecycle dates",
                    ("model", "before", "after"),
                    [(m, b or "-", a or "-") for m, b, a in self.lifecycle],
                )
            )
        if self.product_ids:
            out.append(
                Table(
                    "Marketplace product IDs",
                    ("model", "before", "after"),
                    [(m, b or "-", a or "-") for m, b, a in self.product_ids],
                )
            )
        return out


def _routes(
    mid: str, old: Model | None, new: Model | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[RouteChange]]:
    """Profiles added and removed, and route changes per source, of one model."""
    added: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    routes: list[RouteChange] = []
    old_profiles = old.profiles if old is not None else {}
    new_profiles = new.profiles if new is not None else {}
    for geo in sorted(set(old_profiles) | set(new_profiles)):
        before = old_profiles[geo].routes if geo in old_profiles else {}
        after = new_profiles[geo].routes if geo in new_profiles else {}
        is_global = (old_profiles[geo] if geo in old_profiles else new_profiles[geo]).is_global
        if geo not in old_profiles:
            added.append((mid, geo))
        elif geo not in new_profiles:
            removed.append((mid, geo))
        for source in sorted(set(before) | set(after)):
            was, now = before.get(source), after.get(source)
            if was is None and now is not None:
                routes.append(RouteChange(mid, geo, source, "added", now, (), is_global))
            elif was is not None and now is None:
                routes.append(RouteChange(mid, geo, source, "removed", (), was, is_global))
            elif was is not None and now is not None and was != now:
                routes.append(
                    RouteChange(
                        mid,
                        geo,
                        source,
                        "changed",
                        tuple(sorted(set(now) - set(was))),
                        tuple(sorted(set(was) - set(now))),
                        is_global,
                    )
                )
    return added, removed, routes


def _life(m: Model) -> str:
    """A model's lifecycle dates in one comparable line."""
    life = m.lifecycle
    parts = [f"EOL {life.eol_date}"] if life.eol_date else []
    parts += [f"{r} {v.status} {v.eol_date}" for r, v in sorted(life.regions.items())]
    if not life.listed:
        parts.append("not listed")
    return "; ".join(parts)


def compare_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Two catalog builds (``catalog.json`` files), model by model: what a refresh changes."""
    out = CatalogDiff([], [], [], [], [], [], [], [], [])
    for mid in sorted(set(old.by_id) | set(new.by_id)):
        was, now = old.by_id.get(mid), new.by_id.get(mid)
        if was is None:
            out.models_added.append(mid)
        elif now is None:
            out.models_removed.append(mid)
        added, removed, routes = _routes(mid, was, now)
        out.profiles_added.extend(added)
        out.profiles_removed.extend(removed)
        out.routes.extend(routes)
        if was is None or now is None:
            continue
        for region in sorted(was.in_region ^ now.in_region):
            out.in_region.append((mid, region, region in was.in_region, region in now.in_region))
        if was.status != now.status:
            out.status.append((mid, was.status, now.status))
        if _life(was) != _life(now):
            out.lifecycle.append((mid, _life(was), _life(now)))
        if (was.marketplace_product_id or "") != (now.marketplace_product_id or ""):
            out.product_ids.append(
                (mid, was.marketplace_product_id or "", now.marketplace_product_id or "")
            )
    return out


def compare(bundled: Catalog, overlay: Overlay) -> CatalogDiff:
    """What applying the overlay changes: exactly the differences ``render`` would act on.

    Comparing the bundled catalog with itself-plus-overlay (``overlay.apply``) keeps the
    report inside the slice the outputs cover: the overlay only changes what they speak about.
    """
    merged = apply(bundled, overlay)
    after_by_id = merged.by_id
    models_added = sorted(m for m in after_by_id if m not in bundled.by_id)
    models_removed: list[str] = []
    profiles_added: list[tuple[str, str]] = []
    profiles_removed: list[tuple[str, str]] = []
    routes: list[RouteChange] = []
    in_region: list[tuple[str, str, bool, bool]] = []
    status: list[tuple[str, str, str]] = []
    for mid in sorted(set(after_by_id) | set(bundled.by_id)):
        old, new = bundled.by_id.get(mid), after_by_id.get(mid)
        assert new is not None  # applying an overlay never drops a model
        added, removed, changed = _routes(mid, old, new)
        profiles_added += added
        profiles_removed += removed
        routes += changed
        if old is None:
            continue
        om = overlay.models.get(mid)
        for region in sorted(overlay.model_regions | set(om.in_region if om else ())):
            if old.on_demand_in(region) != new.on_demand_in(region):
                in_region.append((mid, region, old.on_demand_in(region), new.on_demand_in(region)))
        if old.status != new.status:
            status.append((mid, old.status, new.status))
        if (old.profiles or old.in_region) and not (new.profiles or new.in_region):
            models_removed.append(mid)
    return CatalogDiff(
        models_added,
        models_removed,
        profiles_added,
        profiles_removed,
        routes,
        in_region,
        status,
        [],
        [],
    )


# -- listings that look filtered -----------------------------------------------------------------

# A complete listing that lacks most of what the bundled catalog has for its Region was almost
# certainly filtered (--by-provider, --type-equals, a --query or jq): AWS does not withdraw
# most models of a Region at once. Below this many expected entries nothing is judged.
SUSPECT_MIN_EXPECTED = 5


class Suspect(NamedTuple):
    """A listing taken as complete that names fewer than half of what the bundled catalog
    has for its Region."""

    kind: str  # "inference_profiles" or "foundation_models"
    region: str
    listed: int  # of the bundled catalog's entries, how many the listing names
    expected: int  # the bundled catalog's entries for the Region

    def text(self) -> str:
        what, command = (
            ("profiles callable from", "list-inference-profiles")
            if self.kind == "inference_profiles"
            else ("models on demand in", "list-foundation-models")
        )
        return (
            f"The {command} listing of {self.region} names {self.listed} of the "
            f"{self.expected} {what} {self.region} in the bundled catalog: was it filtered "
            "(--by-provider, --type-equals, a --query or jq)? What it lacks is not reported "
            f"as removed; save 'aws bedrock {command} --region {self.region}' unfiltered, or "
            "pass --complete if this is the whole listing"
        )


def filtered_listings(bundled: Catalog, overlay: Overlay) -> list[Suspect]:
    out = []
    for region in sorted(overlay.profile_regions):
        expected = {
            (m.id, g) for m in bundled.models for g, p in m.profiles.items() if region in p.routes
        }
        listed = {
            (mid, g)
            for mid, om in overlay.models.items()
            for g, routes in om.profiles.items()
            if region in routes
        }
        named = len(expected & listed)
        if len(expected) >= SUSPECT_MIN_EXPECTED and named * 2 < len(expected):
            out.append(Suspect("inference_profiles", region, named, len(expected)))
    for region in sorted(overlay.model_regions):
        on_demand = {m.id for m in bundled.models if m.on_demand_in(region)}
        mentioned = {mid for mid, om in overlay.models.items() if region in om.in_region}
        named = len(on_demand & mentioned)
        if len(on_demand) >= SUSPECT_MIN_EXPECTED and named * 2 < len(on_demand):
            out.append(Suspect("foundation_models", region, named, len(on_demand)))
    return out


def as_partial(overlay: Overlay, suspects: list[Suspect]) -> Overlay:
    """The overlay with the suspect listings taken as partial: what they lack is not gone."""
    return overlay._replace(
        profile_regions=overlay.profile_regions
        - {s.region for s in suspects if s.kind == "inference_profiles"},
        model_regions=overlay.model_regions
        - {s.region for s in suspects if s.kind == "foundation_models"},
    )


def set_aside(full: CatalogDiff, kept: CatalogDiff) -> int:
    """How many rows of ``full`` a partial reading does not report."""
    return sum(
        len([x for x in getattr(full, field) if x not in getattr(kept, field)])
        for field in full._fields
    )
