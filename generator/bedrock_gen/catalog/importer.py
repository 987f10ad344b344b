"""``bedrock-gen catalog import``: saved AWS API outputs become a catalog overlay.

Files may come in any number and order and cover any Regions: the result is the same. Where
two outputs disagree about one (model, geography, source), the destinations are united (an
extra destination Region grants that model only there; a missing one makes calls fail) and the
disagreement is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from bedrock_gen.catalog import aws_outputs
from bedrock_gen.catalog.overlay import Overlay, OverlayModel, sha256


class _Builder:
    def __init__(self) -> None:
        self.routes: dict[str, dict[str, dict[str, set[str]]]] = {}  # model/geo/source
        self.seen: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self.global_geos: dict[str, set[str]] = {}
        self.in_region: dict[str, dict[str, bool]] = {}
        self.meta: dict[str, dict[str, str]] = {}
        self.partitions: dict[str, str] = {}
        self.profile_regions: set[str] = set()
        self.partial_regions: set[str] = set()
        self.model_regions: set[str] = set()
        self.notes: list[str] = []

    def add(self, facts: aws_outputs.Facts) -> None:
        for p in facts.profiles:
            self.partitions[p.source] = p.partition
            key = (p.model_id, p.geography, p.source)
            previous = self.seen.get(key)
            if previous is not None and previous != p.destinations:
                self.notes.append(
                    f"{p.profile_id} from {p.source}: outputs disagree "
                    f"({', '.join(previous) or 'global'} vs {', '.join(p.destinations) or 'global'}"
                    "); both sets are kept")
            self.seen[key] = p.destinations
            dests = self.routes.setdefault(p.model_id, {}).setdefault(p.geography, {})
            dests.setdefault(p.source, set()).update(p.destinations)
            if p.is_global:
                self.global_geos.setdefault(p.model_id, set()).add(p.geography)
        for m in facts.models:
            self.partitions[m.region] = m.partition
            seen = self.in_region.setdefault(m.model_id, {})
            seen[m.region] = seen.get(m.region, False) or m.on_demand
            meta = self.meta.setdefault(m.model_id, {})
            for key, value in (("name", m.name), ("provider", m.provider),
                               ("status", m.status)):
                if value and key not in meta:
                    meta[key] = value if key != "status" else value.lower()
        for listing in facts.listings:
            if listing.kind == "foundation_models":
                self.model_regions.add(listing.region)
            elif listing.complete:
                self.profile_regions.add(listing.region)
            else:
                self.partial_regions.add(listing.region)

    def overlay(self, inputs: tuple[dict[str, str], ...]) -> Overlay:
        models = {}
        for mid in sorted(set(self.routes) | set(self.in_region) | set(self.meta)):
            meta = self.meta.get(mid, {})
            profiles = {
                geo: MappingProxyType({s: tuple(sorted(d)) for s, d in sorted(srcs.items())})
                for geo, srcs in sorted(self.routes.get(mid, {}).items())}
            models[mid] = OverlayModel(
                mid, meta.get("name"), meta.get("provider"), meta.get("status"),
                MappingProxyType(dict(sorted(self.in_region.get(mid, {}).items()))),
                MappingProxyType(profiles), frozenset(self.global_geos.get(mid, ())))
        return Overlay(MappingProxyType(models), frozenset(self.profile_regions),
                       frozenset(self.model_regions),
                       MappingProxyType(dict(sorted(self.partitions.items()))), inputs)


def import_files(paths: Iterable[str]) -> tuple[Overlay, list[str]]:
    """An overlay from saved API outputs, and notes for the person running the import.

    Raises ``ConfigError`` (located) for the first file that is not an API output; nothing is
    returned then, so nothing is written.
    """
    builder = _Builder()
    inputs = []
    skipped: dict[str, int] = {}
    for path, data, doc in aws_outputs.iter_files(list(paths)):
        facts = aws_outputs.read(doc)
        builder.add(facts)
        for what in facts.skipped:
            skipped[what] = skipped.get(what, 0) + 1
        inputs.append({"file": path.replace("\\", "/").rsplit("/", 1)[-1], "sha256": sha256(data),
                       "kind": ",".join(sorted(set(facts.kinds)))})
    notes = list(dict.fromkeys(builder.notes))
    notes += [f"skipped {n} x {what}" for what, n in sorted(skipped.items())]
    inputs.sort(key=lambda i: (i["file"], i["sha256"]))
    return builder.overlay(tuple(inputs)), notes


def from_facts(facts: Iterable[aws_outputs.Facts], inputs: tuple[dict[str, str], ...] = ()
               ) -> Overlay:
    """An overlay from facts already read (``catalog fetch``)."""
    builder = _Builder()
    for f in facts:
        builder.add(f)
    return builder.overlay(inputs)
