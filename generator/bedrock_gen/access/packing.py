"""Packing pieces into managed policies ("parts") so that changes never open an access gap.

Terraform updates the parts of one apply in parallel, in no set order. If a model moved from
part 1 to part 2, part 1 could lose it before part 2 gains it: calls fail until the apply
ends. So a piece stays in the part it was in (the render manifest remembers where each piece
went); only new pieces are placed, first-fit in catalog order, and only up to ``HEADROOM``
characters below the quota, so that a piece growing later (AWS adds a destination Region)
still fits where it is. Part numbers are stable keys: part 1 keeps its name and file whatever
happens to the others. Sizes are summed per piece (``documents.Statement``), not re-serialized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from bedrock_gen.access.documents import (
    Common,
    Statement,
    fixed_size,
    policy,
    policy_size,
    sized,
)
from bedrock_gen.access.grants import Item, Kind, Piece
from bedrock_gen.diagnostics import error
from bedrock_gen.errors import ResolveError
from bedrock_gen.iam.limits import iam_size

HEADROOM = 512  # characters kept free in each part when placing new pieces


class Part:
    def __init__(self, number: int, common: Common) -> None:
        self.number = number
        self.common = common
        self.statements: dict[Kind, Statement] = {}
        self.fixed: list[dict[str, Any]] = []
        self.pieces: list[Piece] = []

    def size(self) -> int:
        return policy_size(self.statements, self.fixed, self.common)

    def size_with(self, piece: Piece) -> int:
        """The size after adding ``piece``, without adding it: only the statements the piece
        touches are recounted, so a check costs the piece's size, not the part's."""
        by_kind: dict[Kind, list[Item]] = {}
        for item in piece.items:
            by_kind.setdefault(item.kind, []).append(item)
        stats = {k: st.stats() for k, st in self.statements.items()}
        for kind, items in by_kind.items():
            stats[kind] = self.statements.get(kind, Statement(kind)).stats_with(items)
        fixed = fixed_size(self.fixed) + fixed_size(piece.statements)
        return sized(stats, fixed, bool(self.fixed or piece.statements), self.common)

    def add(self, piece: Piece) -> None:
        for item in piece.items:
            self.statements.setdefault(item.kind, Statement(item.kind)).add(item)
        self.fixed.extend(piece.statements)
        self.pieces.append(piece)

    def document(self) -> dict[str, object]:
        fixed = [s for pc in sorted(self.pieces, key=_order) for s in pc.statements]
        return policy(self.statements, fixed, self.common)

    @property
    def empty(self) -> bool:
        return not self.pieces


def _order(piece: Piece) -> tuple[tuple[int, str, str], str]:
    return piece.order, piece.key


class Packed(NamedTuple):
    parts: list[Part]
    moved: list[tuple[str, int, int]]  # piece key, from part, to part


def _too_big(message: str) -> ResolveError:
    return ResolveError([error("policy-too-large", message)])


def pack(
    pieces: Sequence[Piece],
    limit: int,
    common: Common,
    previous: Mapping[str, int] | None = None,
) -> Packed:
    """Parts for ``pieces``: previous placements kept, new pieces first-fit with headroom.

    A model's pieces are placed together (they share its foundation-model ARNs, which a split
    would repeat); a model too large for one part is split by piece. Optional groups
    (guardrails, Marketplace, the optional permissions, the denies) are pieces too: a new one
    goes where there is room, so turning one on never moves a model's grant.
    """
    previous = previous or {}
    parts: dict[int, Part] = {1: Part(1, common)}
    fresh: list[Piece] = []
    for piece in pieces:
        number = previous.get(piece.key)
        if number is None:
            fresh.append(piece)
        else:
            parts.setdefault(number, Part(number, common)).add(piece)
    moved_from = _evict_overgrown(parts, limit, fresh)
    groups: dict[str, list[Piece]] = {}
    for piece in sorted(fresh, key=lambda pc: (pc.order, pc.key)):
        groups.setdefault(piece.group, []).append(piece)
    homes: dict[str, Part] = {}
    for part in sorted(parts.values(), key=lambda p: -p.number):
        homes.update((pc.group, part) for pc in part.pieces)
    for group, members in groups.items():
        _place_group(members, homes.get(group), parts, common, limit)
    kept = [p for p in sorted(parts.values(), key=lambda p: p.number) if not p.empty]
    moved = [
        (key, src, next(p.number for p in kept if any(pc.key == key for pc in p.pieces)))
        for key, src in sorted(moved_from.items())
    ]
    return Packed(kept, [m for m in moved if m[1] != m[2]])


def _evict_overgrown(parts: dict[int, Part], limit: int, fresh: list[Piece]) -> dict[str, int]:
    """A kept piece grew past its part's room: move pieces out (onto ``fresh``), optional
    groups before any model's grant, then the latest model's."""
    moved_from: dict[str, int] = {}
    for part in sorted(parts.values(), key=lambda p: p.number):
        while part.pieces and part.size() > limit:
            piece = max(part.pieces, key=lambda pc: (pc.optional, pc.order, pc.key))
            _remove(part, piece)
            moved_from[piece.key] = part.number
            fresh.append(piece)
    return moved_from


def _place_group(
    members: list[Piece],
    home: Part | None,
    parts: dict[int, Part],
    common: Common,
    limit: int,
) -> None:
    """One model's new pieces: in the part that already holds the model if they fit, else the
    first part with room, else a new part; piece by piece only when no part could hold all."""
    candidates = ([home] if home is not None else []) + sorted(
        (p for p in parts.values() if p is not home), key=lambda p: p.number
    )
    target = next((p for p in candidates if _size_with_all(p, members) <= limit - HEADROOM), None)
    if target is None and _size_with_all(Part(0, common), members) <= limit - HEADROOM:
        target = _new_part(parts, common)
    if target is not None:
        for piece in members:
            target.add(piece)
        return
    for piece in members:
        ordered = sorted(parts.values(), key=lambda p: p.number)
        room = next((p for p in ordered if p.size_with(piece) <= limit - HEADROOM), None)
        if room is None:
            room = _new_part(parts, common)
            if room.size_with(piece) > limit:
                raise _too_big(
                    f"the grants for {piece.key} alone take {room.size_with(piece):,} "
                    f"characters; a managed policy holds {limit:,}"
                )
        room.add(piece)


def _new_part(parts: dict[int, Part], common: Common) -> Part:
    number = next(n for n in range(1, len(parts) + 2) if n not in parts)
    parts[number] = Part(number, common)
    return parts[number]


def _size_with_all(part: Part, pieces: Sequence[Piece]) -> int:
    merged = Piece(
        pieces[0].key,
        pieces[0].order,
        tuple(i for pc in pieces for i in pc.items),
        tuple(s for pc in pieces for s in pc.statements),
    )
    return part.size_with(merged)


def _remove(part: Part, piece: Piece) -> None:
    part.pieces.remove(piece)
    remaining = list(part.pieces)
    part.statements = {}
    part.fixed = []
    part.pieces = []
    for pc in remaining:
        part.add(pc)


def check_sizes(parts: Sequence[Part], limit: int) -> None:
    """The running sums must equal IAM's count of the real documents (a bug otherwise)."""
    for part in parts:
        real = iam_size(part.document())
        if real != part.size() or real > limit:
            raise AssertionError(f"part {part.number}: computed {part.size()}, real {real}")
