"""Pass 2 for where and what: Regions, partition, geographies, models, Marketplace.

Each function reads one part of a structurally valid config and returns its value and its
diagnostics. Messages never echo secrets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog, Lifecycle, Model, Routes
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.printable import quoted
from bedrock_gen.suggest import did_you_mean

MODEL_ID = re.compile(r"[a-z0-9-]{1,63}\.[a-z0-9-]+([.:][a-z0-9-]+)*\Z")


class Chosen(NamedTuple):
    model: Model
    path: PathKey
    requested: str

    @property
    def label(self) -> str:
        return (
            self.requested
            if self.requested == self.model.id
            else f"{self.requested} ({self.model.id})"
        )


class Selection(NamedTuple):
    allow: str
    models: tuple[Model, ...]
    geographies: tuple[str, ...]
    in_region: bool


def lookalike(text: str) -> str | None:
    """The first character outside printable ASCII, described, or None."""
    for i, ch in enumerate(text):
        if ord(ch) > 0x7E or ord(ch) < 0x21:
            uname = unicodedata.name(ch, "unnamed character")
            return f"U+{ord(ch):04X} {uname} at position {i + 1}"
    return None


def regions(
    doc: Document, cat: Catalog, key: PathKey = ("regions",)
) -> tuple[tuple[str, ...] | None, list[Diagnostic]]:
    """A list of Region codes (``regions``, ``organization.allowed_regions``), each known."""
    found = Findings(doc)
    data: Any = doc.data
    for part in key:
        data = data.get(part) if isinstance(data, dict) else None
    if data is None:
        return None, []
    for i, r in enumerate(data):
        if r not in cat.regions:
            found.error(
                "unknown-region",
                f"unknown AWS Region '{r}'{did_you_mean(r, cat.regions)}",
                (*key, i),
            )
    return tuple(data), found.items


def geographies(doc: Document, cat: Catalog) -> tuple[tuple[str, ...], list[Diagnostic]]:
    found = Findings(doc)
    geos = doc.data["models"].get("geographies", [])
    for i, g in enumerate(geos):
        if g not in cat.geographies:
            found.error(
                "invalid-value",
                f"'models.geographies[{i}]' must be one of "
                f"{', '.join(cat.geographies)}, not {quoted(g)}{did_you_mean(g, cat.geographies)}",
                ("models", "geographies", i),
            )
    return tuple(g for g in geos if g in cat.geographies), found.items


def partition(
    doc: Document, cat: Catalog, regions: Sequence[str] | None, geos: Sequence[str]
) -> tuple[str, list[Diagnostic]]:
    """The one partition the config lives in, from its Regions and geographies."""
    found = Findings(doc)
    seen: dict[str, PathKey] = {}
    for i, r in enumerate(regions or ()):
        p = cat.partition_of(r)
        if p is not None:
            seen.setdefault(p, ("regions", i))
    listed = doc.data["models"].get("geographies", [])
    for g in geos:
        seen.setdefault(cat.geographies[g].partition, ("models", "geographies", listed.index(g)))
    if len(seen) > 1:
        names = " and ".join(sorted(seen))
        found.error(
            "mixed-partitions",
            f"the config mixes AWS partitions ({names}); one IAM "
            "role or user lives in one partition: render a config per partition",
            sorted(seen.values())[-1],
        )
    return (sorted(seen)[0] if seen else "aws"), found.items


def selection(
    doc: Document,
    cat: Catalog,
    geos: tuple[str, ...],
    regions: tuple[str, ...] | None,
    region_errors: bool,
) -> tuple[Selection, list[Diagnostic]]:
    """The chosen models, and whether each is reachable from the chosen Regions."""
    found = Findings(doc)
    section: dict[str, Any] = doc.data["models"]
    allow = section.get("allow", "selected")
    in_region = bool(section.get("in_region", False))
    chosen = _model_ids(found, cat, section, regions)
    if allow == "all":
        for key in ("ids", "custom"):
            if section.get(key):
                found.warn(
                    "ignored-key",
                    f"models.{key} is ignored with allow: all",
                    ("models", key),
                    key=True,
                )
        chosen = []
    elif not section.get("ids") and not section.get("custom") and not _other_surfaces(doc):
        found.error(
            "no-models",
            "no models selected: list catalog aliases or model IDs under "
            "models.ids ('bedrock-gen models' lists them), or set models.allow: all",
            ("models",),
        )
    if not geos and not in_region and allow == "selected":
        if not section.get("geographies") and (chosen or not _other_surfaces(doc)):
            found.error(
                "no-geographies",
                "models.geographies is empty: choose the inference-"
                "profile geographies the gateway calls (for example [eu]), or set "
                "models.in_region: true for direct calls",
                ("models",),
            )
    elif regions is not None and not region_errors:
        mark = found.mark
        if geos or allow == "all":
            _geography_sources(
                found, cat, geos, [c.model for c in chosen], regions, in_region, allow == "all"
            )
        if allow == "selected" and not found.errors_since(mark):
            for c in chosen:
                _coverage(found, c, geos, regions, in_region)
    elif allow == "selected" and not region_errors:
        for c in chosen:
            _coverage(found, c, geos, regions, in_region)
    subscribe = bool(doc.data.get("marketplace", {}).get("subscribe", False))
    for c in chosen:
        _caveats(found, c, geos, regions, in_region)
        if subscribe:
            _marketplace_model(found, c)
    models = tuple(sorted((c.model for c in chosen), key=lambda m: m.id))
    return Selection(allow, models, tuple(sorted(geos)), in_region), found.items


def _other_surfaces(doc: Document) -> bool:
    """Models chosen elsewhere than models.ids: application inference profiles, models invoked
    by ARN, Mantle's (``sections.surfaces`` checks them)."""
    d = doc.data
    return bool(
        d.get("application_inference_profiles")
        or d["models"].get("provisioned")
        or d.get("permissions", {}).get("mantle")
    )


def _caveats(
    found: Findings,
    c: Chosen,
    geos: tuple[str, ...],
    regions: tuple[str, ...] | None,
    in_region: bool,
) -> None:
    """What the catalog says against a chosen model: its lifecycle (end of life, legacy, per
    Region), profiles AWS names without routes, access AWS limits. Errors when nothing
    callable is left."""
    model = c.model
    life = model.lifecycle
    if model.status == "eol":
        if not life.listed and life.eol_date is None:
            why = (
                "AWS no longer lists it (not in the models-at-a-glance index, not on the "
                "lifecycle page): it is retired"
            )
        else:
            why = f"it reached its end of life on {life.eol_date or _region_dates(life)}"
        found.error(
            "model-end-of-life",
            f"{c.label}: {why}; AWS no longer serves it, so nothing is granted; choose its "
            "successor ('bedrock-gen models' lists the catalog with each model's lifecycle)",
            c.path,
        )
        return
    gone = life.eol_regions()
    hit = sorted(set(gone) & set(regions or ()))
    if hit:
        found.warn(
            "model-region-end-of-life",
            f"{c.label} reached its end of life ({_region_dates(life, hit)}): it is not "
            "granted there",
            c.path,
        )
    if model.status == "legacy":
        pending = [r for r, v in life.regions.items() if v.status == "legacy"]
        if life.eol_date:
            when = f"AWS ends it on {life.eol_date}"
        elif pending:
            when = f"AWS ends it {_region_dates(life, pending)}"
        else:
            when = "AWS's card lists it as Legacy in certain Regions, with no date for the others"
        found.warn(
            "model-legacy",
            f"{c.label} is Legacy: {when}; new customers cannot use it and AWS may "
            "withdraw access after 15 days of inactivity: plan the move to its successor",
            c.path,
        )
    if model.limited_access:
        found.warn(
            "model-limited-access",
            f"{c.label}: AWS limits access to eligible customers (ask your AWS account team); "
            "the grant is made, calls fail until AWS enables the model for the account",
            c.path,
        )
    for geo in _unpublished_hits(model, geos, regions):
        spec = model.unpublished[geo]
        marked = spec.marked_sources
        where = f" (its card marks {', '.join(marked)})" if marked else ""
        found.error(
            "routes-unpublished",
            f"{c.label}: AWS publishes no per-source routing table for {spec.profile_id}"
            f"{where}, so the bundled catalog does not grant it (a guessed route over-grants "
            "or fails); take the routes from your account: 'bedrock-gen catalog fetch "
            "--regions ...' and 'catalog: OVERLAY', or give them yourself: models.custom: "
            f"[{{id: {model.id}, geographies: [{geo}], routes: {{{geo}: {{SOURCE: "
            "[DESTINATIONS]}}}}]",
            c.path,
        )
    if _mantle_only(model) and model.mantle is not None:
        found.error(
            "model-mantle-only",
            f"{c.label} is served only on the bedrock-mantle endpoint (as "
            f"{model.mantle.model_id}, in {', '.join(model.mantle.in_region) or 'no Region'}), "
            "whose bedrock-mantle:* actions bedrock-gen does not grant; it grants "
            "bedrock-runtime calls only",
            c.path,
        )


def _unpublished_hits(
    model: Model, geos: Sequence[str], regions: tuple[str, ...] | None
) -> list[str]:
    """Chosen geographies where the model has only an unpublished profile that the config's
    Regions could call (as far as AWS's card marks them)."""
    out = []
    for geo in geos:
        spec = model.unpublished.get(geo)
        if geo in model.profiles or spec is None:
            continue
        marked = spec.marked_sources
        if regions is not None and marked and not set(marked) & set(regions):
            continue  # not callable from these Regions anyway
        out.append(geo)
    return out


def _mantle_only(model: Model) -> bool:
    return (
        model.mantle is not None
        and not model.profiles
        and not model.in_region
        and not model.unpublished
    )


def _region_dates(life: Lifecycle, only: Sequence[str] | None = None) -> str:
    """'2026-09-10 in us-east-1, us-west-2; 2026-10-01 in eu-west-1', per date."""
    by_date: dict[str, list[str]] = {}
    for r, v in sorted(life.regions.items()):
        if only is None or r in only:
            by_date.setdefault(v.eol_date or "an unknown date", []).append(r)
    return "; ".join(
        f"{d} in {', '.join(rs) if len(rs) <= 4 else f'{len(rs)} Regions'}"
        for d, rs in sorted(by_date.items())
    ) or ("on a date AWS does not give")


def _marketplace_model(found: Findings, c: Chosen) -> None:
    """marketplace.subscribe: a Subscribe grant always carries the product IDs, so a model sold
    through AWS Marketplace whose ID no AWS page gives is an error, never a wider grant."""
    model = c.model
    if model.marketplace and not model.marketplace_product_id:
        found.error(
            "marketplace-product-id-unknown",
            f"{c.label} is sold through AWS Marketplace, but no AWS page read gives its "
            "product ID, and aws-marketplace:Subscribe is never granted without an "
            "aws-marketplace:ProductId condition: add it with models.custom: "
            f"[{{id: {model.id}, marketplace_product_id: prod-...}}] (or in a catalog overlay), "
            "or set marketplace.subscribe: false and subscribe once by hand",
            c.path,
        )
    elif model.marketplace is None:
        found.warn(
            "marketplace-unknown",
            f"no AWS page says whether {c.label} is sold through AWS Marketplace; no "
            "Subscribe is granted for it; if AWS asks for a subscription, add "
            f"models.custom: [{{id: {model.id}, marketplace_product_id: prod-...}}]",
            c.path,
        )


def _model_ids(
    found: Findings, cat: Catalog, section: dict[str, Any], regions: tuple[str, ...] | None
) -> list[Chosen]:
    chosen: list[Chosen] = []
    by_id: dict[str, PathKey] = {}
    for i, requested in enumerate(section.get("ids", [])):
        path: PathKey = ("models", "ids", i)
        model = cat.lookup(requested)
        if model is None:
            _unknown_model(found, cat, requested, path)
            continue
        if model.id in by_id:
            c = Chosen(model, path, requested)
            found.warn(
                "duplicate-model",
                f"{c.label} is already listed at line {found.doc.locate(by_id[model.id]).line}",
                path,
            )
            continue
        by_id[model.id] = path
        chosen.append(Chosen(model, path, requested))
    for j, custom in enumerate(section.get("custom", [])):
        path = ("models", "custom", j, "id")
        cid = custom["id"]
        bad = lookalike(cid)
        if bad is not None:
            found.error(
                "model-id-lookalike",
                f"custom model ID '{cid}' contains {bad}; Bedrock "
                "model IDs are plain ASCII (a look-alike character would grant a model "
                "that does not exist)",
                path,
            )
            continue
        if not MODEL_ID.match(cid):
            found.error(
                "invalid-model-id",
                f"'{cid}' is not a Bedrock model ID (provider."
                "model-name, lowercase, like anthropic.claude-opus-5-v1:0)",
                path,
            )
            continue
        if _profile_prefix(found, cat, cid, path):
            continue
        base = cat.by_id.get(cid)
        listed = next((c for c in chosen if c.model.id == cid), None)
        if base is not None and listed is None:
            found.warn(
                "custom-overrides-catalog",
                f"'{cid}' is in the catalog; what this custom entry gives (routes, "
                "In-Region, product ID) replaces the catalog's, the rest is kept",
                path,
            )
        if cid in by_id and (base is None or listed is None):
            found.error("duplicate-model", f"'{cid}' is listed under models.custom twice", path)
            continue
        for k, g in enumerate(custom.get("geographies", ())):
            if g not in cat.geographies:
                found.error(
                    "invalid-value",
                    f"'models.custom[{j}].geographies[{k}]' is not an "
                    f"inference-profile geography{did_you_mean(g, cat.geographies)}",
                    ("models", "custom", j, "geographies", k),
                )
        routes = _custom_routes(found, cat, custom, j)
        geos = tuple(dict.fromkeys([*custom.get("geographies", ()), *routes]))
        for g in geos:
            given = g in custom.get("routes", {})  # given but refused: its error says why
            if g in routes or given or g not in cat.geographies or (base and g in base.profiles):
                continue
            if regions is None:
                found.error(
                    "custom-routes-needed",
                    f"models.custom '{cid}': no routes for its {g} profile and no regions in "
                    "the config, so there is nothing exact to grant; add routes: {"
                    f"{g}: {{SOURCE: [DESTINATIONS]}}}} (your account's view: 'bedrock-gen "
                    "catalog fetch'), or list the regions the gateway calls",
                    path,
                )
            else:
                found.warn(
                    "custom-routes-assumed",
                    f"models.custom '{cid}': no routes for its {g} profile, so each Region "
                    "the gateway calls is granted as its only destination; calls AWS routes "
                    f"elsewhere fail: add routes: {{{g}: {{SOURCE: [DESTINATIONS]}}}} "
                    "('bedrock-gen catalog fetch' lists them)",
                    path,
                )
        raw_in_region = custom.get("in_region")
        model = cat.custom_model(
            cid,
            geos,
            tuple(raw_in_region) if isinstance(raw_in_region, list) else raw_in_region,
            custom.get("marketplace_product_id"),
            routes,
            regions,
            base,
        )
        by_id[cid] = path
        chosen = [c for c in chosen if c.model.id != cid]
        # a catalog model also listed under models.ids: its facts, completed by this entry
        chosen.append(Chosen(model, *((listed.path, listed.requested) if listed else (path, cid))))
    return chosen


def _custom_routes(
    found: Findings, cat: Catalog, custom: dict[str, Any], j: int
) -> dict[str, Routes]:
    """A custom entry's ``routes``: geography -> source Region -> destination Regions, each
    a known Region of the geography's partition (a global profile's sources take [])."""
    out: dict[str, Routes] = {}
    for geo, table in custom.get("routes", {}).items():
        where: PathKey = ("models", "custom", j, "routes", geo)
        if geo not in cat.geographies:
            found.error(
                "invalid-value",
                f"'models.custom[{j}].routes.{geo}': not an inference-profile geography"
                f"{did_you_mean(geo, cat.geographies)}",
                where,
                key=True,
            )
            continue
        g = cat.geographies[geo]
        ok = True
        routes: dict[str, tuple[str, ...]] = {}
        for source, dests in table.items():
            for k, region in enumerate([source, *dests]):
                at: PathKey = (*where, source) if k == 0 else (*where, source, k - 1)
                if region not in cat.regions:
                    found.error(
                        "unknown-region",
                        f"unknown AWS Region '{region}'{did_you_mean(region, cat.regions)}",
                        at,
                        key=k == 0,
                    )
                    ok = False
                elif cat.regions[region].partition != g.partition:
                    found.error(
                        "custom-routes-partition",
                        f"'{region}' is in partition {cat.regions[region].partition}, the "
                        f"{geo} profile in {g.partition}: a route cannot cross partitions",
                        at,
                        key=k == 0,
                    )
                    ok = False
            if g.is_global and dests:
                found.error(
                    "custom-routes-global",
                    f"'models.custom[{j}].routes.{geo}.{source}': a global profile is served "
                    "in any commercial Region and authorized Region-less; list its sources "
                    "with [] as destinations",
                    (*where, source),
                )
                ok = False
            routes[source] = tuple(sorted(set(dests)))
        if ok:
            out[geo] = MappingProxyType(dict(sorted(routes.items())))
    return out


def _profile_prefix(found: Findings, cat: Catalog, requested: str, path: PathKey) -> bool:
    prefix, _, rest = requested.partition(".")
    if prefix in cat.geographies and "." in rest:
        base = cat.lookup(rest)
        shown = rest if base is None or not base.aliases else base.aliases[0]
        found.error(
            "profile-id-as-model",
            f"'{requested}' is an inference-profile ID; list the "
            f"model '{shown}' and add '{prefix}' to models.geographies",
            path,
        )
        return True
    return False


def _unknown_model(found: Findings, cat: Catalog, requested: str, path: PathKey) -> None:
    bad = lookalike(requested)
    if bad is not None:
        found.error(
            "model-id-lookalike",
            f"model '{requested}' contains {bad}; model IDs and aliases are plain ASCII",
            path,
        )
        return
    wrong = cat.wrong_ids.get(requested)
    if wrong is not None:
        model, why = wrong
        found.error(
            "wrong-model-id",
            f"'{requested}' is not a Bedrock model ID; did you mean '{model.id}'? ({why})",
            path,
        )
        return
    if _profile_prefix(found, cat, requested, path):
        return
    hint = did_you_mean(requested, cat.names(), 0.75).removeprefix("; ")
    found.error(
        "unknown-model",
        f"unknown model '{requested}'"
        f"{f' ({hint})' if hint else ''}; 'bedrock-gen models' lists the catalog, "
        "'catalog: OVERLAY' adds what your account's API knows, and models.custom takes "
        "models neither knows yet",
        path,
    )


def _coverage(
    found: Findings,
    c: Chosen,
    geos: tuple[str, ...],
    regions: tuple[str, ...] | None,
    in_region: bool,
) -> None:
    """Every chosen model must end up reachable; say what is silently not granted.

    The verdict is decided first, then reported: a warning that the final error explains
    better is never emitted.
    """
    model = c.model
    if model.status == "eol" or _mantle_only(model):
        return  # _caveats said why nothing is granted
    offered = [g for g in geos if g in model.profiles]
    unpublished = _unpublished_hits(model, geos, regions)
    missing = [g for g in geos if g not in model.profiles and g not in model.unpublished]
    unreachable = [
        g
        for g in offered
        if regions is not None and not any(r in model.profiles[g].routes for r in regions)
    ]
    direct = (
        in_region
        and model.on_demand
        and (regions is None or bool(model.on_demand_regions(regions)))
    )
    reachable = len(unreachable) < len(offered) or direct
    all_profiles = ", ".join(model.profiles) or "none"
    needs_profile = not reachable and not geos and not model.on_demand
    for g in unreachable:
        sources = ", ".join(model.profiles[g].sources)
        found.warn(
            "profile-unreachable",
            f"{c.label}: none of the regions can call its {g} "
            f"profile (it is called from {sources}); it gets no {g} grant",
            c.path,
        )
    if in_region and not needs_profile:
        if not model.on_demand:
            found.warn(
                "in-region-unsupported",
                f"{c.label} cannot be called on demand in a "
                "Region, only through an inference profile; models.in_region grants it "
                "nothing",
                c.path,
            )
        elif regions is not None and not direct:
            where = ", ".join(sorted(model.in_region))
            found.warn(
                "in-region-unsupported",
                f"{c.label} is offered in-Region only in "
                f"{where}; models.in_region grants it nothing in these regions",
                c.path,
            )
    if missing and offered:
        found.warn(
            "model-not-in-geography",
            f"{c.label} is not offered in {', '.join(missing)} "
            f"(its profiles: {all_profiles}); it is granted in {', '.join(offered)} only",
            c.path,
        )
    if reachable or unpublished:
        return  # routes-unpublished said what to do
    ended = model.lifecycle.eol_regions()
    gone = sorted(ended if regions is None else set(ended) & set(regions))
    if gone:
        left = ", ".join([*sorted(model.profiles), *(["In-Region"] if model.in_region else [])])
        found.error(
            "model-end-of-life",
            f"{c.label} reached its end of life ({_region_dates(model.lifecycle, gone)}): "
            "nothing callable is left for the chosen "
            f"{'regions and ' if regions is not None else ''}geographies"
            f"{f' (what is left: {left})' if left else ''}; choose its successor",
            c.path,
        )
        return
    if needs_profile:
        found.error(
            "model-needs-profile",
            f"{c.label} can only be called through an inference "
            f"profile; add one of its geographies ({all_profiles}) to "
            "models.geographies",
            c.path,
        )
    elif not offered:
        hint = (
            " or set models.in_region: true to call it directly"
            if model.on_demand and not in_region
            else ""
        )
        found.error(
            "model-not-in-geography",
            f"{c.label} is not offered in "
            f"{', '.join(geos) or 'any geography'} (its profiles: {all_profiles}); "
            f"choose one of those geographies{hint}",
            c.path,
        )
    else:
        assert regions is not None  # without regions every offered profile is reachable
        found.error(
            "model-unreachable",
            f"{c.label} cannot be called from any of the regions "
            f"({', '.join(regions)}), by profile or directly",
            c.path,
        )


def _geography_sources(
    found: Findings,
    cat: Catalog,
    geos: tuple[str, ...],
    models: Sequence[Model],
    regions: tuple[str, ...],
    in_region: bool,
    allow_all: bool,
) -> None:
    """Each chosen geography must be callable from some Region, and each Region must call
    some chosen geography (or be used for direct calls)."""
    sources: dict[str, set[str]] = {}
    for g in geos:
        s = set()
        for m in models:
            if g in m.profiles:
                s |= set(m.profiles[g].routes)
        if allow_all or not s:
            s |= set(cat.geography_sources(g))
        sources[g] = s
    listed = found.doc.data["models"].get("geographies", [])
    for g in geos:
        if not any(r in sources[g] for r in regions):
            found.error(
                "region-cannot-call-geography",
                f"none of the regions ({', '.join(regions)}) can call {g} inference "
                f"profiles; they are called from {', '.join(sorted(sources[g]))}",
                ("models", "geographies", listed.index(g)),
            )
    if in_region or (allow_all and not geos):
        return
    for i, r in enumerate(regions):
        if not any(r in s for s in sources.values()) and all(
            any(x in sources[g] for x in regions) for g in geos
        ):
            found.error(
                "region-cannot-call-geography",
                f"region '{r}' cannot call the profiles of any chosen geography "
                f"({', '.join(geos) or 'none'}); remove it, add a geography it can call,"
                " or set models.in_region: true",
                ("regions", i),
            )


def marketplace(doc: Document, sel: Selection) -> tuple[bool, list[Diagnostic]]:
    found = Findings(doc)
    subscribe = bool(doc.data.get("marketplace", {}).get("subscribe", False))
    if (
        subscribe
        and sel.allow == "selected"
        and sel.models
        and not any(m.marketplace for m in sel.models)
    ):
        found.warn(
            "marketplace-unneeded",
            "marketplace.subscribe is set but no selected model "
            "is sold through AWS Marketplace; nothing is granted for it",
            ("marketplace", "subscribe"),
            key=True,
        )
    if subscribe and sel.allow == "all":
        found.warn(
            "marketplace-subscribe-all",
            "with models.allow: all, aws-marketplace:Subscribe is granted only for the product "
            "IDs the catalog knows (never without a ProductId condition): a Marketplace model "
            "whose ID is unknown is not subscribed to; subscribe to it once by hand, or give its "
            "ID in models.custom",
            ("marketplace", "subscribe"),
            key=True,
        )
    return subscribe, found.items
