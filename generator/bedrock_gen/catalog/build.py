"""The maintainer's path: build ``data/catalog.json`` from ``catalog-src/`` (``make catalog``).

``catalog-src/`` holds the sources, each kept by its own means:

- ``snapshots.json``: the snapshots of AWS's user guide the facts come from, in order (with why
  each goes where), and the day they were read (lifecycle dates are judged as of that day);
- ``models.json``: every model as ``tools/extract_model_cards.py`` extracts it from those pages
  (``make catalog-extract``): per-source routes, In-Region Regions per endpoint, lifecycle
  dates, product IDs, each citing its page (repository, path, commit), and every disagreement
  between AWS pages with the choice;
- ``curation.json``: what no AWS table says: aliases, known wrong IDs, which providers sell
  through AWS Marketplace when a card gives no product ID, retired models (kept so that a
  config naming one gets a clear error), notes and decisions (each with its reason);
- ``base.json``: Regions, partitions and geographies, by hand;
- ``recorded/*.json`` (optional): saved AWS API outputs, applied on top as
  ``bedrock-gen catalog import`` would.

Nothing is inferred here: a profile AWS publishes no per-source table for is kept as
*unpublished* (named, with the Regions the card marks) and never granted; Regions past their
end-of-life date are taken out of the routes and In-Region lists. The build is deterministic,
and a test checks that the shipped file equals its output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMAT = 3
NOTE = (
    "Facts about Amazon Bedrock that bedrock-gen relies on, built by `make catalog` from "
    "catalog-src/ (do not edit by hand). Each profile names a route table: for each source "
    "Region, the exact Regions AWS may serve a call from it in, as AWS's per-model tables "
    "list them. Global profiles list only their source Regions. 'unpublished' profiles are "
    "ones AWS names without a per-source table: they are not granted. Each model names its "
    "sources (keys of 'sources': repository, path and commit of the page read)."
)
GUIDE_URL = "https://docs.aws.amazon.com/bedrock/latest/userguide/"


class BuildError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"catalog build: {message}")


def _groups(routes: Mapping[str, list[str]]) -> list[dict[str, list[str]]]:
    """Sources that route to the same Regions, as one group each (sorted)."""
    by_dests: dict[tuple[str, ...], list[str]] = {}
    for source, dests in routes.items():
        by_dests.setdefault(tuple(sorted(set(dests))), []).append(source)
    groups = [{"from": sorted(sources), "to": list(dests)} for dests, sources in by_dests.items()]
    return sorted(groups, key=lambda g: (g["from"][0], g["to"]))


class _Tables:
    """Route tables shared by every profile with the same routes, named ``GEO-N``."""

    def __init__(self) -> None:
        self.named: dict[str, dict[tuple[tuple[str, tuple[str, ...]], ...], str]] = {}
        self.bodies: dict[str, list[dict[str, list[str]]]] = {}

    def name(self, geo: str, routes: Mapping[str, list[str]]) -> str:
        key = tuple(sorted((s, tuple(sorted(set(d)))) for s, d in routes.items()))
        named = self.named.setdefault(geo, {})
        if key not in named:
            named[key] = f"{geo}-{len(named) + 1}"
            self.bodies[named[key]] = _groups(routes)
        return named[key]

    def sorted_bodies(self) -> dict[str, list[dict[str, list[str]]]]:
        order = sorted(self.bodies, key=lambda n: (n.rsplit("-", 1)[0], int(n.rsplit("-", 1)[1])))
        return {name: self.bodies[name] for name in order}


class _Sources:
    """Citations: one key per page copy (``model-card-x@cd716007``)."""

    def __init__(self, base: Mapping[str, Any]) -> None:
        self.base = base
        self.used: dict[str, dict[str, str]] = {}

    def page(self, cite: Mapping[str, str]) -> str:
        stem = cite["path"].rsplit("/", 1)[-1].removesuffix(".md")
        key = f"{stem}@{cite['commit'][:8]}"
        self.used[key] = {
            "url": GUIDE_URL + stem + ".html",
            "repo": cite["repo"],
            "path": cite["path"],
            "commit": cite["commit"],
        }
        return key

    def named(self, key: str) -> str:
        if key not in self.base:
            raise BuildError(f"unknown source key {key!r}; add it to base.json's sources")
        self.used[key] = dict(self.base[key])
        return key


def _read(src: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    def load(name: str) -> Any:
        return json.loads((src / name).read_text(encoding="utf-8"))

    base, snapshots, extracted, curation = (
        load(n) for n in ("base.json", "snapshots.json", "models.json", "curation.json")
    )
    if extracted.get("read_on") != snapshots.get("read_on"):
        raise BuildError(
            "models.json was extracted from other snapshots than snapshots.json lists "
            "(read_on differs): run make catalog-extract"
        )
    return base, snapshots, extracted, curation


# ---------------------------------------------------------------------------------------------
# Lifecycle


def _passed(date: str | None, as_of: str) -> bool:
    return date is not None and len(date) == 10 and date <= as_of


def _lifecycle(
    rec: Mapping[str, Any], as_of: str, offered: set[str], decisions: list[dict[str, Any]]
) -> tuple[str, dict[str, Any], dict[str, str]]:
    """The model's status as of ``as_of``, its lifecycle record, and the Regions where it has
    reached its end of life (Region -> date), which are not granted.

    The card's EOL date applies everywhere, unless the card says the lifecycle holds in
    "certain regions": then the lifecycle page's Regions carry it, each with its own dates.
    """
    card = rec.get("lifecycle", {})
    groups = rec.get("lifecycle_page", [])
    out: dict[str, Any] = {
        k: card[k] for k in ("launch_date", "eol_no_sooner_than", "eol_date") if k in card
    }
    regions: dict[str, dict[str, str]] = {}
    for g in groups:
        for r in g["regions"]:
            regions[r] = {
                "status": "eol" if _passed(g["eol_date"], as_of) else "legacy",
                "eol_date": g["eol_date"] or "",
                **({"legacy_date": g["legacy_date"]} if g.get("legacy_date") else {}),
            }
    if regions:
        out["regions"] = dict(sorted(regions.items()))
    if rec.get("in_index") is False:
        out["listed"] = False
    page_eol = {r: v["eol_date"] for r, v in regions.items() if v["status"] == "eol"}
    card_status = card.get("status")
    model_wide = bool(card) and "scope" not in card
    if not model_wide:
        out.pop("eol_date", None)  # "certain regions": the dates are per Region
        out["scope"] = "regions"
    if model_wide and _passed(card.get("eol_date"), as_of):
        if card_status != "eol":
            decisions.append(
                {
                    "fact": "status",
                    "says": {"card": f"{card_status}, EOL date {card['eol_date']}"},
                    "choice": "eol",
                    "why": f"the EOL date has passed as of {as_of}, the day the pages were read",
                }
            )
        return "eol", out, dict.fromkeys(sorted(offered | set(regions)), card["eol_date"])
    if model_wide or not regions:
        status = card_status or "active"
        if card_status is None:
            decisions.append(
                {"fact": "status", "choice": "active", "why": "no AWS page read gives one"}
            )
        if status not in {"active", "legacy", "eol"}:
            raise BuildError(f"{rec['id']}: unknown lifecycle status {status!r}")
        return status, out, page_eol
    # per Region: the lifecycle page's Regions, each with its dates
    if (offered and offered <= set(page_eol)) or (not offered and len(page_eol) == len(regions)):
        return "eol", out, dict(sorted({**dict.fromkeys(offered, ""), **page_eol}.items()))
    return "legacy", out, page_eol


def _lifecycle_disagreements(
    rec: Mapping[str, Any], as_of: str, decisions: list[dict[str, Any]]
) -> None:
    """A card saying Legacy with a date the lifecycle page does not list (the card is newer)."""
    card = rec.get("lifecycle", {})
    if card.get("status") == "legacy" and not rec.get("lifecycle_page") and card.get("eol_date"):
        decisions.append(
            {
                "fact": "lifecycle",
                "says": {
                    "card": f"Legacy, EOL {card['eol_date']}",
                    "model-lifecycle-legacy.md": "not listed",
                },
                "choice": f"legacy until {card['eol_date']}",
                "why": "the card copy is newer than the lifecycle page copy read (snapshots.json)",
            }
        )


# ---------------------------------------------------------------------------------------------
# One model


def _strip(routes: Mapping[str, list[str]], gone: set[str]) -> dict[str, list[str]]:
    """Routes without the Regions where the model has reached its end of life."""
    out = {}
    for source, dests in routes.items():
        if source in gone:
            continue
        kept = [d for d in dests if d not in gone]
        if kept:
            out[source] = kept
    return out


def _marketplace(
    rec: Mapping[str, Any], curation: Mapping[str, Any], not_sold: list[str]
) -> tuple[bool | None, list[dict[str, Any]]]:
    provider = rec["id"].split(".", 1)[0]
    policy = curation.get("marketplace", {})
    if rec.get("marketplace_product_id"):
        return True, []
    if rec.get("provider") in not_sold:
        return False, []
    for choice, entry in (("sold", True), ("unknown", None), ("not_sold", False)):
        if provider in policy.get(choice, {}).get("providers", []):
            return entry, [
                {
                    "fact": "marketplace",
                    "choice": {True: "sold, product ID unknown", None: "unknown", False: "no"}[
                        entry
                    ],
                    "why": policy[choice]["why"],
                }
            ]
    raise BuildError(
        f"{rec['id']}: no product ID and provider {provider!r} is in no list of "
        "curation.json's marketplace: say whether it sells through AWS Marketplace"
    )


def _entry(
    rec: Mapping[str, Any],
    cur: Mapping[str, Any],
    curation: Mapping[str, Any],
    extracted: Mapping[str, Any],
    base: Mapping[str, Any],
    sources: _Sources,
    tables: _Tables,
    as_of: str,
) -> dict[str, Any]:
    mid = rec["id"]
    notes = [*rec.get("notes", []), *cur.get("notes", [])]
    decisions = [*rec.get("disagreements", []), *cur.get("decisions", [])]
    runtime = rec.get("endpoints", {}).get("bedrock-runtime", {})
    mantle = rec.get("endpoints", {}).get("bedrock-mantle")
    profiles_src = rec.get("profiles", {})
    offered: set[str] = set(runtime.get("in_region", []))
    for p in profiles_src.values():
        if p.get("routes"):
            offered |= set(p["routes"]) | {d for ds in p["routes"].values() for d in ds}
        offered |= set(p.get("sources", []))
    if mantle:
        offered |= set(mantle["in_region"])
    status, lifecycle, eol = _lifecycle(rec, as_of, offered, decisions)
    _lifecycle_disagreements(rec, as_of, decisions)
    gone = set(eol)
    entry: dict[str, Any] = {
        "id": mid,
        "name": cur.get("name", rec["name"]),
        "provider": mid.split(".", 1)[0],
        "aliases": list(cur.get("aliases", [])),
        "status": status,
        "lifecycle": lifecycle,
        "in_region": sorted(set(runtime.get("in_region", [])) - gone),
    }
    if mantle:
        entry["mantle"] = {
            "model_id": mantle["model_id"],
            "in_region": sorted(set(mantle["in_region"]) - gone),
        }
    not_sold = extracted.get("product_ids_page", {}).get("not_marketplace_providers", [])
    market, why = _marketplace(rec, curation, not_sold)
    entry["marketplace"] = market
    decisions += why
    if rec.get("marketplace_product_id"):
        entry["marketplace_product_id"] = rec["marketplace_product_id"]
    profiles: dict[str, str] = {}
    unpublished: dict[str, Any] = {}
    for geo, spec in sorted(profiles_src.items()):
        if geo not in base["geographies"]:
            raise BuildError(f"{mid}: unknown geography {geo!r}; add it to base.json")
        is_global = bool(base["geographies"][geo].get("global"))
        if spec.get("routes"):
            routes = _strip(spec["routes"], gone)
        elif is_global and spec.get("sources"):
            routes = {s: [] for s in spec["sources"] if s not in gone}
        else:
            unpublished[geo] = {
                "profile_id": spec["profile_id"],
                "marked_sources": sorted(set(spec.get("marked_sources", [])) - gone),
            }
            continue
        if routes:
            profiles[geo] = tables.name(geo, routes)
    if profiles:
        entry["profiles"] = profiles
    if unpublished:
        entry["unpublished"] = unpublished
    if rec.get("limited_access"):
        entry["limited_access"] = rec["limited_access"]
    if cur.get("wrong_ids"):
        entry["wrong_ids"] = dict(sorted(cur["wrong_ids"].items()))
    keys = {sources.page(c) for c in rec.get("pages", {}).values()}
    if "product_ids_page" in extracted and entry["marketplace"] is False:
        keys.add(sources.page(extracted["product_ids_page"]))
    keys |= {sources.named(k) for k in cur.get("sources", [])}
    entry["source"] = sorted(keys)
    if rec.get("unread"):
        notes += [f"not read on the card copy: {u}" for u in rec["unread"]]
    if notes:
        entry["notes"] = notes
    if decisions:
        entry["decisions"] = decisions
    return entry


def _retired(
    r: Mapping[str, Any], extracted: Mapping[str, Any], sources: _Sources
) -> dict[str, Any]:
    """A model AWS no longer lists anywhere: kept so that naming it is a clear error."""
    keys = {sources.page(extracted["index"])}
    if "lifecycle_page" in extracted:
        keys.add(sources.page(extracted["lifecycle_page"]))
    return {
        "id": r["id"],
        "name": r["name"],
        "provider": r["id"].split(".", 1)[0],
        "aliases": list(r.get("aliases", [])),
        "status": "eol",
        "lifecycle": {"listed": False},
        "in_region": [],
        "marketplace": None,
        "source": sorted(keys),
        "notes": [r["why"]],
    }


def _apply_recorded(models: dict[str, dict[str, Any]], recorded: list[Path]) -> None:
    """Recorded API outputs win for the (model, geography, source) they cover."""
    if not recorded:
        return
    from bedrock_gen.catalog.importer import import_files

    overlay = import_files([str(p) for p in recorded]).overlay
    for mid, om in overlay.models.items():
        record = models.setdefault(
            mid,
            {
                "id": mid,
                "name": om.name or mid,
                "pages": {},
                "profiles": {},
                "endpoints": {"bedrock-runtime": {"in_region": []}},
                "notes": ["only the recorded API outputs know this model"],
            },
        )
        for geo, routes in om.profiles.items():
            target = record["profiles"].setdefault(geo, {"profile_id": f"{geo}.{mid}"})
            target["routes"] = {
                **(target.get("routes") or {}),
                **{s: list(d) for s, d in routes.items()},
            }
        runtime = record["endpoints"].setdefault("bedrock-runtime", {"in_region": []})
        regions = set(runtime["in_region"])
        for region, on in om.in_region.items():
            (regions.add if on else regions.discard)(region)
        runtime["in_region"] = sorted(regions)
        record.setdefault("recorded", True)


def build(src: Path) -> dict[str, Any]:
    base, snapshots, extracted, curation = _read(src)
    as_of = snapshots["read_on"]
    sources = _Sources(base.get("sources", {}))
    tables = _Tables()
    models = {m["id"]: m for m in extracted["models"]}
    recorded_dir = src / "recorded"
    _apply_recorded(models, sorted(recorded_dir.glob("*.json")) if recorded_dir.is_dir() else [])
    curated = {c["id"]: c for c in curation["models"]}
    unknown = sorted(set(curated) - set(models))
    if unknown:
        raise BuildError(f"curation.json names models not in models.json: {', '.join(unknown)}")
    retired = {r["id"]: r for r in curation.get("retired", [])}
    both = sorted(set(retired) & set(models))
    if both:
        raise BuildError(f"curation.json retires models AWS still lists: {', '.join(both)}")
    out_models = [
        _entry(models[mid], curated.get(mid, {}), curation, extracted, base, sources, tables, as_of)
        for mid in sorted(models)
    ]
    out_models += [_retired(retired[mid], extracted, sources) for mid in sorted(retired)]
    out_models.sort(key=lambda m: m["id"])
    return {
        "catalog_version": as_of,
        "format": FORMAT,
        "note": NOTE,
        "facts": {
            "read_on": as_of,
            "newest_source_date": extracted["newest_page_date"],
            "index": sources.page(extracted["index"]),
            "snapshots": [
                {"repo": s["repo"], "commit": s["commit"]}
                for s in [*snapshots["order"], *snapshots.get("unplaced", [])]
            ],
        },
        "sources": dict(sorted(sources.used.items())),
        "partitions": base["partitions"],
        "regions": dict(sorted(base["regions"].items())),
        "geographies": base["geographies"],
        "route_tables": tables.sorted_bodies(),
        "models": out_models,
    }


def dumps(catalog: Mapping[str, Any]) -> str:
    """Two-space JSON, but each route group and short list on one line: a reviewable diff."""
    text = json.dumps(catalog, indent=2, ensure_ascii=False)
    return _compact_short_lists(text) + "\n"


def _compact_short_lists(text: str) -> str:
    """Fold lists of plain strings onto one line (``"to": ["a", "b"]``)."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.endswith("[") and i + 1 < len(lines):
            j = i + 1
            items = []
            while (
                j < len(lines)
                and lines[j].strip().startswith('"')
                and not lines[j].rstrip(",").endswith(("{", "["))
                and '": ' not in lines[j]
            ):
                items.append(lines[j].strip().rstrip(","))
                j += 1
            if items and j < len(lines) and lines[j].strip().startswith("]"):
                closing = lines[j].strip()
                out.append(line + ", ".join(items) + closing)
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bedrock_gen.catalog.build", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("src", type=Path, help="the catalog-src/ folder")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the output file differs from what the build makes",
    )
    args = parser.parse_args(argv)
    text = dumps(build(args.src))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(
                f"{args.output} is not what `make catalog` builds; run make catalog",
                file=sys.stderr,
            )
            return 1
        return 0
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
