"""``bedrock-gen diff``: what access a change adds and removes, call by call.

Both sides are expanded into access tuples (``tuples``) over the same catalog, so a wildcard on
one side and exact ARNs on the other compare by what they allow, not by how they are written.
Access added means the change broadens what the gateway can do (exit 1), as CDK's IAM diff
calls a change "broadening"; under- and over-grants of the new side are part of the report.

With ``--base`` (``review``) the new side is what will be applied: the documents committed now
and what the config renders now. A committed file that is not what the config renders is
named (``FileEdit``), and the access it grants beyond the render counts as added: a pull
request that hand-edits ``iam/*.json`` cannot hide access from the review. Reports lead with
a summary (wildcards named as such, trust, new Regions) and list rows riskiest first.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.access.summary import (
    broken_rows,
    by_risk,
    change_summary,
    leak_rows,
    risk,
    rows,
)
from bedrock_gen.access.tuples import Access, Expansion, accounts_of, expand
from bedrock_gen.catalog.model import Catalog
from bedrock_gen.iam.evaluate import Policy
from bedrock_gen.tables import DETAILS, SUMMARY, Table

COLUMNS = (
    "±",
    "who / model",
    "through",
    "from (source Regions) / resource",
    "served in / condition",
    "actions",
)
LEGEND = "Legend: + access the change adds (broadening), - access it removes; riskiest first."
LEGEND_HAND = (
    "Legend: + access the change adds (broadening), + by hand: access committed files grant "
    "that the config does not render (a hand edit), - access it removes; riskiest first."
)


HINTS = {
    "not what the config renders": "stale: run bedrock-gen render; or edited by hand along "
    "with the manifest",
    "missing": "run bedrock-gen render",
    "no longer generated": "run bedrock-gen render to remove them",
}


class FileEdit(NamedTuple):
    """A generated file whose committed bytes are not what its config renders."""

    path: str  # relative to the output folder
    state: str  # "edited by hand", "not written by bedrock-gen", ...
    phrases: tuple[str, ...] = ()  # what it changes, statement by statement (policies)
    opaque: bool = False  # access cannot be read from it (Terraform applies it): fails

    def text(self) -> str:
        from bedrock_gen.access.edits import summary

        return summary(self.path, self.state, self.phrases)


class AccessDiff(NamedTuple):
    added: frozenset[Access]
    removed: frozenset[Access]
    old: Expansion
    new: Expansion
    name: str = ""  # the config's name, when a config was compared
    edits: tuple[FileEdit, ...] = ()  # committed files that are not what the config renders
    beyond: frozenset[Access] = frozenset()  # committed access the config does not render

    @property
    def broadened(self) -> bool:
        """Access added: by the change, by a hand edit, or maybe (a Terraform file edited)."""
        return bool(self.added) or bool(self.beyond) or any(e.opaque for e in self.edits)

    def to_json(self) -> dict[str, Any]:
        def tuples(items: frozenset[Access]) -> list[dict[str, str]]:
            return [a._asdict() for a in sorted(items)]

        return {
            "broadened": self.broadened,
            "summary": [{"what": w, "change": c} for w, c in self.summary()],
            "added": tuples(self.added),
            "removed": tuples(self.removed),
            "edited": [
                {"file": e.path, "state": e.state, "changes": list(e.phrases), "opaque": e.opaque}
                for e in self.edits
            ],
            "beyond_config": tuples(self.beyond),
            "under_grants": [b._asdict() for b in self.new.under],
            "over_grants": [x._asdict() for x in self.new.over],
            "over_grants_added": [x._asdict() for x in self.new.over if x not in self.old.over],
            "under_grants_fixed": [b._asdict() for b in self.old.under if b not in self.new.under],
        }

    def summary(self) -> list[tuple[str, str]]:
        """What a reviewer reads first: hand edits, then the change, riskiest first."""
        named = ("edited by hand", "not written by bedrock-gen")
        out = [(e.state, e.text()) for state in named for e in self.edits if e.state == state]
        others: dict[str, list[str]] = {}
        for e in self.edits:
            if e.state not in named:
                others.setdefault(e.state, []).append(e.path)
        for state, paths in sorted(others.items()):
            shown = ", ".join(paths[:4]) + (f" and {len(paths) - 4} more" if len(paths) > 4 else "")
            out.append((state, f"{shown} ({HINTS.get(state, 'run bedrock-gen render')})"))
        if self.beyond:
            beyond = [
                (w, c)
                for w, c in change_summary(self.beyond, frozenset(), self.old.access)
                if w != "trust"
            ]
            out += [(f"{w} by hand", c) for w, c in beyond if w != "calls added"]
            out += [("granted by hand", c) for w, c in beyond if w == "calls added"]
        # the rest of what was added came with the change itself (the config, or its render)
        return out + change_summary(self.added - self.beyond, self.removed, self.old.access)

    def tables(self) -> list[Table]:
        out = []
        summary = self.summary()
        if summary:
            title = f"Summary: {self.name}" if self.name else "Summary"
            out.append(Table(title, ("what", "change"), summary, kind=SUMMARY))
        plus = [("+", r) for r in rows(self.added - self.beyond)]
        plus += [("+ by hand", r) for r in rows(self.beyond)]
        body = [(sign, *r.cells()) for sign, r in sorted(plus, key=lambda p: risk(p[1]))]
        body += [("-", *r.cells()) for r in by_risk(rows(self.removed))]
        if body:
            legend = LEGEND if not self.beyond else LEGEND_HAND
            out.append(Table("Access changes", COLUMNS, body, legend, kind=DETAILS))
        if self.new.under:
            out.append(
                Table(
                    "Under-grants after the change (calls fail at random)",
                    ("profile", "source", "model not allowed in"),
                    broken_rows(self.new.under),
                    kind=DETAILS,
                )
            )
        new_leaks = [x for x in self.new.over if x not in self.old.over]
        if new_leaks:
            out.append(
                Table(
                    "Over-grants the change adds (allowed where the profile never routes)",
                    ("profile", "from", "also allowed in"),
                    leak_rows(new_leaks),
                    kind=DETAILS,
                )
            )
        return out

    def verdict(self) -> str:
        lines = []
        if self.added:
            lines.append(
                f"access added: {len(self.added):,} grant(s) broadened"
                + (f", {len(self.removed):,} removed" if self.removed else "")
            )
        elif self.beyond:
            lines.append(
                f"access added by hand edits: {len(self.beyond):,} grant(s) the config "
                "does not render"
            )
        elif self.removed:
            lines.append(f"no access added; {len(self.removed):,} grant(s) removed")
        elif any(e.opaque for e in self.edits):
            lines.append(
                "access may be added: Terraform files are not what the config renders, and "
                "bedrock-gen does not read access from them"
            )
        else:
            lines.append("no access changed")
        named = [
            e for e in self.edits if e.state in ("edited by hand", "not written by bedrock-gen")
        ]
        lines += [f"{e.state}: {e.text()}" for e in named[:3]]
        if self.edits:
            lines.append(
                f"{len(self.edits)} generated file(s) are not what the config renders; "
                "render --check fails on them"
            )
        return "\n".join(lines)


def compare(old: Expansion, new: Expansion) -> AccessDiff:
    return AccessDiff(new.access - old.access, old.access - new.access, old, new)


def account_of(*sides: list[Policy]) -> str | None:
    """The account every side is asked about: the one any side pins (a side with '*' for the
    account allows it too), so a change from '*' to an account is not all new access."""
    pinned = sorted(set().union(*(accounts_of(side) for side in sides)))
    return pinned[0] if pinned else None


def diff(old: list[Policy], new: list[Policy], catalog: Catalog) -> AccessDiff:
    account = account_of(old, new)
    return compare(expand(old, catalog, account), expand(new, catalog, account))


def review(
    base: list[Policy],
    committed: list[Policy] | None,
    rendered: list[Policy],
    catalog: Catalog,
    name: str,
    edits: tuple[FileEdit, ...],
) -> AccessDiff:
    """``diff --base``: the documents committed at the base against what will be applied, the
    documents committed now and what the config renders now (a config change not rendered
    yet is access added too). Access the committed files grant beyond the render (a hand
    edit) is added access as well, named with the files that grant it."""
    sides = [base, rendered] + ([committed] if committed is not None else [])
    account = account_of(*sides)
    old = expand(base, catalog, account)
    now = expand(rendered, catalog, account)
    applied = expand(committed, catalog, account) if committed is not None else now
    after = applied.access | now.access
    return AccessDiff(
        after - old.access,
        old.access - after,
        old,
        applied,
        name,
        edits,
        applied.access - now.access,
    )
