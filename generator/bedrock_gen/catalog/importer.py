"""``bedrock-gen catalog import``: saved AWS API outputs become a catalog overlay.

Files may come in any number and order and cover any Regions: the overlay is the same, byte
for byte (every fact is merged with an order-free rule, and the inputs are recorded sorted).
Where two outputs disagree about one (model, geography, source), the destinations are united
(an extra destination Region grants that model only there; a missing one makes calls fail) and
the disagreement is reported. Nothing account-specific is kept: not the account ID in the
ARNs, and not one that a file's name may hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from bedrock_gen.catalog import aws_outputs
from bedrock_gen.catalog.model import Region
from bedrock_gen.catalog.overlay import Overlay, OverlayModel
from bedrock_gen.diagnostics import Diagnostic, Severity
from bedrock_gen.output.manifest import digest
from bedrock_gen.suggest import did_you_mean

# AWS's lifecycle statuses, least to most final: where Regions disagree the most final wins
# (a model LEGACY in one Region is on its way out everywhere).
_STATUS_RANK = {"active": 0, "legacy": 2, "eol": 3}
_ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


class _Builder:
    def __init__(self) -> None:
        self.routes: dict[str, dict[str, dict[str, set[str]]]] = {}  # model/geo/source
        self.seen: dict[tuple[str, str, str], set[tuple[str, ...]]] = {}
        self.global_geos: dict[str, set[str]] = {}
        self.in_region: dict[str, dict[str, bool]] = {}
        self.names: dict[str, set[str]] = {}
        self.providers: dict[str, set[str]] = {}
        self.statuses: dict[str, set[str]] = {}
        self.partitions: dict[str, str] = {}
        self.profile_regions: set[str] = set()
        self.partial_regions: set[str] = set()
        self.model_regions: set[str] = set()

    def add(self, facts: aws_outputs.Facts) -> None:
        for p in facts.profiles:
            for region in (p.source, *p.destinations):
                self.partitions[region] = p.partition
            self.seen.setdefault((p.profile_id, p.source, p.model_id), set()).add(p.destinations)
            dests = self.routes.setdefault(p.model_id, {}).setdefault(p.geography, {})
            dests.setdefault(p.source, set()).update(p.destinations)
            if p.is_global:
                self.global_geos.setdefault(p.model_id, set()).add(p.geography)
        for m in facts.models:
            self.partitions[m.region] = m.partition
            seen = self.in_region.setdefault(m.model_id, {})
            seen[m.region] = seen.get(m.region, False) or m.on_demand
            if m.name:
                self.names.setdefault(m.model_id, set()).add(m.name)
            if m.provider:
                self.providers.setdefault(m.model_id, set()).add(m.provider)
            if m.status:
                self.statuses.setdefault(m.model_id, set()).add(m.status.lower())
        for listing in facts.listings:
            if listing.kind == "foundation_models":
                self.model_regions.add(listing.region)
            elif listing.complete:
                self.profile_regions.add(listing.region)
            else:
                self.partial_regions.add(listing.region)

    def notes(self) -> list[str]:
        out = []
        for (profile_id, source, _model), variants in sorted(self.seen.items()):
            if len(variants) > 1:
                shown = " vs ".join(", ".join(v) or "global" for v in sorted(variants))
                out.append(
                    f"{profile_id} from {source}: outputs disagree ({shown}); all "
                    "destinations are kept"
                )
        partial = sorted(self.partial_regions - self.profile_regions)
        if partial:
            out.append(
                f"list-inference-profiles of {', '.join(partial)} had a nextToken (one "
                "page of several): profiles it lacks are not taken as gone; import every "
                "page, or the output of a call without --max-items"
            )
        return out

    def overlay(self, inputs: tuple[dict[str, str], ...]) -> Overlay:
        models = {}
        ids = set(self.routes) | set(self.in_region)
        for mid in sorted(ids):
            profiles = {
                geo: MappingProxyType({s: tuple(sorted(d)) for s, d in sorted(srcs.items())})
                for geo, srcs in sorted(self.routes.get(mid, {}).items())
            }
            statuses = self.statuses.get(mid, set())
            status = max(sorted(statuses), key=lambda s: _STATUS_RANK.get(s, 1), default=None)
            models[mid] = OverlayModel(
                mid,
                min(self.names.get(mid, ()), default=None),
                min(self.providers.get(mid, ()), default=None),
                status,
                MappingProxyType(dict(sorted(self.in_region.get(mid, {}).items()))),
                MappingProxyType(profiles),
                frozenset(self.global_geos.get(mid, ())),
            )
        return Overlay(
            MappingProxyType(models),
            frozenset(self.profile_regions),
            frozenset(self.model_regions),
            MappingProxyType(dict(sorted(self.partitions.items()))),
            tuple(sorted(inputs, key=lambda i: (i["file"], i["sha256"]))),
        )


def input_record(path: str, data: bytes, kinds: Iterable[str]) -> dict[str, str]:
    """What the overlay says about one input: its name (without folders, and with any 12-digit
    run, an account ID, masked), hash and kinds."""
    name = _ACCOUNT_ID.sub("ACCOUNT", path.replace("\\", "/").rsplit("/", 1)[-1])
    return {"file": name, "sha256": digest(data), "kind": ",".join(sorted(set(kinds)))}


class Imported(NamedTuple):
    overlay: Overlay
    notes: list[str]  # for the person running the import
    warnings: list[Diagnostic]  # located: values no AWS source bedrock-gen knows names


def import_files(
    paths: Iterable[str], known_regions: Mapping[str, Region] | None = None
) -> Imported:
    """An overlay from saved API outputs, notes for the person running the import, and a
    located warning for every Region no AWS source bedrock-gen knows names (``known_regions``:
    the catalog's; a typo such as eu-wst-1 would otherwise become a grant's Region).

    Raises ``ConfigError`` (located) for the first file that is not an API output, has a
    duplicate key or a route that crosses partitions; nothing is returned then, so nothing is
    written.
    """
    builder = _Builder()
    inputs = []
    skipped: dict[str, int] = {}
    warnings: list[Diagnostic] = []
    for path in paths:
        data, facts = aws_outputs.read_file(path)
        builder.add(facts)
        for what in facts.skipped:
            skipped[what] = skipped.get(what, 0) + 1
        inputs.append(input_record(path, data, facts.kinds))
        if known_regions is not None:
            warnings += _unknown_regions(path, data, facts, known_regions)
    notes = builder.notes()
    notes += [f"skipped {n} x {what}" for what, n in sorted(skipped.items())]
    return Imported(builder.overlay(tuple(inputs)), notes, warnings)


def _unknown_regions(
    path: str, data: bytes, facts: aws_outputs.Facts, known: Mapping[str, Region]
) -> list[Diagnostic]:
    out = []
    for region, where in sorted(facts.regions.items()):
        if region in known:
            continue
        out.append(
            Diagnostic(
                Severity.WARNING,
                "catalog-unknown-region",
                f"Region '{region}' is named by no AWS source bedrock-gen knows"
                f"{did_you_mean(region, known)}; it is imported as given: check the file",
                path,
                aws_outputs.locate(data, path, where),
            )
        )
    return out


def from_facts(
    facts: Iterable[aws_outputs.Facts], inputs: tuple[dict[str, str], ...] = ()
) -> tuple[Overlay, list[str]]:
    """An overlay from facts already read (``catalog fetch``), and notes."""
    builder = _Builder()
    for f in facts:
        builder.add(f)
    return builder.overlay(inputs), builder.notes()
