"""The maintainer's path: build ``data/catalog.json`` from ``catalog-src/`` (``make catalog``).

``catalog-src/`` holds the sources, each kept by its own means:

- ``base.json``: Regions, partitions, geographies and the citations (``sources``), by hand;
- ``models.json``: one record per model as ``tools/extract_model_cards.py`` extracts it from
  AWS's model cards (routes per source Region, In-Region Regions, product IDs, with the page
  and date each fact comes from, and every disagreement between AWS pages with the choice);
- ``models-kept.json``: models no card was read for (on-demand only models), kept from
  catalog 0.1 with its sources;
- ``curation.json``: what no AWS table says: aliases, known wrong IDs, Marketplace status,
  notes, and any decision that overrides an extracted fact (each with its reason);
- ``recorded/*.json`` (optional): saved AWS API outputs (``aws bedrock list-inference-profiles``
  and friends); applied on top, as ``bedrock-gen catalog import`` would.

The build is deterministic, and a test checks that the shipped file equals its output.
Destination sets are shared between profiles as named route tables, which keeps the file small.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMAT = 2
NOTE = (
    "Facts about Amazon Bedrock that bedrock-gen relies on, built by `make catalog` from "
    "catalog-src/ (do not edit by hand). Each profile names a route table: for each source "
    "Region, the exact Regions AWS may serve a call from it in, as AWS's per-model tables "
    "list them. Global profiles list only their source Regions. Each model names its sources "
    "(keys of 'sources')."
)


def _groups(routes: Mapping[str, list[str]]) -> list[dict[str, list[str]]]:
    """Sources that route to the same Regions, as one group each (sorted)."""
    by_dests: dict[tuple[str, ...], list[str]] = {}
    for source, dests in routes.items():
        by_dests.setdefault(tuple(sorted(set(dests))), []).append(source)
    groups = [{"from": sorted(sources), "to": list(dests)} for dests, sources in by_dests.items()]
    return sorted(groups, key=lambda g: (g["from"][0], g["to"]))


def _source_key(ref: Any, sources: dict[str, Any]) -> str:
    """A citation: a key of base.json's sources, or a page record added under its own key."""
    if isinstance(ref, str):
        if ref not in sources:
            raise SystemExit(f"catalog build: unknown source key {ref!r}")
        return ref
    path = str(ref.get("path", ref.get("url", "source")))
    name = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".html")
    key = f"{name}@{ref.get('date') or str(ref.get('version', ''))[:10]}"
    entry = {k: str(v) for k, v in sorted(ref.items()) if k != "facts" and v}
    if "url" not in entry and "path" in entry:
        page = name + ".html"
        entry["url"] = f"https://docs.aws.amazon.com/bedrock/latest/userguide/{page}"
    sources.setdefault(key, entry)
    return key


def _apply_recorded(models: dict[str, dict[str, Any]], recorded: list[Path]) -> None:
    """Recorded API outputs win for the (model, geography, source) they cover."""
    if not recorded:
        return
    from bedrock_gen.catalog.importer import import_files

    overlay, _notes = import_files([str(p) for p in recorded])
    for mid, om in overlay.models.items():
        record = models.setdefault(
            mid,
            {
                "id": mid,
                "name": om.name or mid,
                "provider": om.provider or mid.split(".")[0],
                "status": om.status or "active",
                "in_region": [],
                "profiles": {},
                "sources": ["RECORDED"],
                "notes": ["only the recorded API outputs know this model"],
            },
        )
        for geo, routes in om.profiles.items():
            target = record["profiles"].setdefault(geo, {"routes": {}})
            table = target.setdefault("routes", {})
            for source, dests in routes.items():
                table[source] = list(dests)
        regions = set(record.get("in_region", []))
        for region, on in om.in_region.items():
            (regions.add if on else regions.discard)(region)
        record["in_region"] = sorted(regions)


def _inferred(marked: list[str], pattern: list[str]) -> dict[str, list[str]]:
    """Routes for a profile AWS lists without a per-source table: each Region its card marks
    for the geography, to the geography's usual destinations, every marked Region and itself.
    A superset, because an extra destination grants only this model there while a missing one
    makes calls fail; the profile is marked unverified (validate says so)."""
    dests = sorted({*pattern, *marked})
    return {source: dests for source in sorted(marked)}


def _read(src: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """base.json, the models (extracted and kept, with recorded outputs applied) by ID, and the
    curation by ID; refusing overlaps and curation of models nobody extracted."""
    base = json.loads((src / "base.json").read_text(encoding="utf-8"))
    extracted = json.loads((src / "models.json").read_text(encoding="utf-8"))
    kept = json.loads((src / "models-kept.json").read_text(encoding="utf-8"))
    overlap = sorted({m["id"] for m in extracted} & {m["id"] for m in kept})
    if overlap:
        raise SystemExit(f"catalog build: in both models.json and models-kept.json: {overlap}")
    curation = json.loads((src / "curation.json").read_text(encoding="utf-8"))
    models = {m["id"]: m for m in [*extracted, *kept]}
    _apply_recorded(
        models, sorted((src / "recorded").glob("*.json")) if (src / "recorded").is_dir() else []
    )
    curated = {c["id"]: c for c in curation["models"]}
    unknown = sorted(set(curated) - set(models))
    if unknown:
        raise SystemExit(
            f"catalog build: curation.json names models not in models.json: {', '.join(unknown)}"
        )
    return base, models, curated


class _Tables:
    """Route tables shared by every profile with the same routes, named ``GEO-N``."""

    def __init__(self) -> None:
        self.named: dict[str, dict[tuple[tuple[str, tuple[str, ...]], ...], str]] = {}
        self.bodies: dict[str, list[dict[str, list[str]]]] = {}

    def name(self, geo: str, routes: dict[str, list[str]]) -> str:
        key = tuple(sorted((s, tuple(sorted(set(d)))) for s, d in routes.items()))
        named = self.named.setdefault(geo, {})
        if key not in named:
            named[key] = f"{geo}-{len(named) + 1}"
            self.bodies[named[key]] = _groups(routes)
        return named[key]

    def sorted_bodies(self) -> dict[str, list[dict[str, list[str]]]]:
        order = sorted(self.bodies, key=lambda n: (n.rsplit("-", 1)[0], int(n.rsplit("-", 1)[1])))
        return {name: self.bodies[name] for name in order}


def _routes(
    mid: str, geo: str, spec: dict[str, Any], base: dict[str, Any], notes: list[str]
) -> tuple[dict[str, list[str]] | None, bool]:
    """A profile's routes as the sources give them (None: no profile) and whether they were
    inferred from the availability table rather than read from a routing table."""
    if geo not in base["geographies"]:
        raise SystemExit(f"catalog build: {mid}: unknown geography {geo!r}; add it to base.json")
    if spec.get("id_listed") is False:
        notes.append(
            f"{geo}: the card marks Regions but lists no {geo} profile ID: no profile recorded"
        )
        return None, False
    inferred = False
    routes: dict[str, list[str]]
    if base["geographies"][geo].get("global"):
        routes = {s: [] for s in spec.get("sources", spec.get("routes", {}))}
    elif not spec.get("routes") and spec.get("sources_from_availability"):
        routes = _inferred(
            spec["sources_from_availability"], base["geographies"][geo].get("routing_pattern", [])
        )
        inferred = True
    else:
        routes = spec["routes"]
    if not routes:
        notes.append(f"{geo}: no source Region known: no profile recorded")
        return None, False
    return routes, inferred


def _entry(
    mid: str,
    m: dict[str, Any],
    c: dict[str, Any],
    base: dict[str, Any],
    sources: dict[str, Any],
    tables: _Tables,
) -> dict[str, Any]:
    """One model's catalog entry: the extracted facts with the curation applied."""
    facts = {**m, **c.get("override", {})}
    notes = [*m.get("notes", []), *c.get("notes", [])]
    status = facts.get("status")
    if status is None:
        status = "active"
        notes.append("lifecycle status not read from AWS: taken as active")
    entry: dict[str, Any] = {
        "id": mid,
        "name": c.get("name", facts["name"]),
        "provider": facts["provider"],
        "aliases": list(c.get("aliases", [])),
        "status": status,
        "in_region": sorted(set(facts.get("in_region") or [])),
        "marketplace": bool(c.get("marketplace", facts.get("marketplace_product_id"))),
    }
    if facts.get("eol_date"):
        entry["end_of_life"] = facts["eol_date"]
    if facts.get("marketplace_product_id"):
        entry["marketplace_product_id"] = facts["marketplace_product_id"]
    profiles: dict[str, str] = {}
    unverified: list[str] = []
    for geo in sorted(facts.get("profiles", {})):
        routes, inferred = _routes(mid, geo, facts["profiles"][geo], base, notes)
        if routes is None:
            continue
        if inferred:
            unverified.append(geo)
        profiles[geo] = tables.name(geo, routes)
    if profiles:
        entry["profiles"] = profiles
    if unverified:
        entry["unverified"] = unverified
    if c.get("wrong_ids"):
        entry["wrong_ids"] = dict(sorted(c["wrong_ids"].items()))
    entry["source"] = sorted(
        {_source_key(r, sources) for r in [*m.get("sources", []), *c.get("sources", [])]}
    )
    if notes:
        entry["notes"] = notes
    decisions = [*m.get("disagreements", []), *c.get("decisions", [])]
    if decisions:
        entry["decisions"] = decisions
    return entry


def build(src: Path) -> dict[str, Any]:
    base, models, curated = _read(src)
    sources: dict[str, Any] = dict(base["sources"])
    tables = _Tables()
    out_models = [
        _entry(mid, models[mid], curated.get(mid, {}), base, sources, tables)
        for mid in sorted(models)
    ]
    return {
        "catalog_version": base["catalog_version"],
        "format": FORMAT,
        "note": NOTE,
        "sources": dict(sorted(sources.items())),
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
