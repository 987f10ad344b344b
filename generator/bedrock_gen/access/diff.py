"""``bedrock-gen diff``: what access a change adds and removes, call by call.

Both sides are expanded into access tuples (``tuples``) over the same catalog, so a wildcard on
one side and exact ARNs on the other compare by what they allow, not by how they are written.
Access added means the change broadens what the gateway can do (exit 1), as CDK's IAM diff
calls a change "broadening"; under- and over-grants of the new side are part of the report.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.access.summary import broken_rows, leak_rows, rows
from bedrock_gen.access.tuples import Access, Expansion, accounts_of, expand
from bedrock_gen.catalog.model import Catalog
from bedrock_gen.iam.evaluate import Policy
from bedrock_gen.tables import Table

COLUMNS = (
    "±",
    "who / model",
    "through",
    "from (source Regions) / resource",
    "served in / condition",
    "actions",
)


class AccessDiff(NamedTuple):
    added: frozenset[Access]
    removed: frozenset[Access]
    old: Expansion
    new: Expansion

    @property
    def broadened(self) -> bool:
        return bool(self.added)

    def to_json(self) -> dict[str, Any]:
        def tuples(items: frozenset[Access]) -> list[dict[str, str]]:
            return [a._asdict() for a in sorted(items)]

        return {
            "broadened": self.broadened,
            "added": tuples(self.added),
            "removed": tuples(self.removed),
            "under_grants": [b._asdict() for b in self.new.under],
            "over_grants": [x._asdict() for x in self.new.over],
            "over_grants_added": [x._asdict() for x in self.new.over if x not in self.old.over],
            "under_grants_fixed": [b._asdict() for b in self.old.under if b not in self.new.under],
        }

    def tables(self) -> list[Table]:
        body = [("+", *r.cells()) for r in rows(self.added)]
        body += [("-", *r.cells()) for r in rows(self.removed)]
        out = []
        if body:
            out.append(
                Table(
                    "Access changes",
                    COLUMNS,
                    body,
                    "+ access the change adds (broadening); - access it removes.",
                )
            )
        if self.new.under:
            out.append(
                Table(
                    "Under-grants after the change (calls fail at random)",
                    ("profile", "source", "model not allowed in"),
                    broken_rows(self.new.under),
                )
            )
        new_leaks = [x for x in self.new.over if x not in self.old.over]
        if new_leaks:
            out.append(
                Table(
                    "Over-grants the change adds (allowed where the profile never routes)",
                    ("profile", "from", "also allowed in"),
                    leak_rows(new_leaks),
                )
            )
        return out

    def verdict(self) -> str:
        if self.added:
            return f"access added: {len(self.added)} grant(s) broadened" + (
                f", {len(self.removed)} removed" if self.removed else ""
            )
        if self.removed:
            return f"no access added; {len(self.removed)} grant(s) removed"
        return "no access changed"


def compare(old: Expansion, new: Expansion) -> AccessDiff:
    return AccessDiff(new.access - old.access, old.access - new.access, old, new)


def diff(old: list[Policy], new: list[Policy], catalog: Catalog) -> AccessDiff:
    """Both sides asked about the same account: the one either pins (a side with '*' for the
    account allows it too), so a change from '*' to an account is not all new access."""
    pinned = sorted(accounts_of(new) | accounts_of(old))
    account = pinned[0] if pinned else None
    return compare(expand(old, catalog, account), expand(new, catalog, account))
