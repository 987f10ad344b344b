"""``bedrock-gen explain``: what a config grants, as a reviewer or data-residency officer reads
it: per model and profile, the source Regions and the Regions each may be served in; direct
calls; guardrails; Marketplace products; other actions; who is trusted. Read from the rendered
documents themselves (through the evaluator), so it shows what IAM grants, not what was meant.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.access.summary import broken_rows, leak_rows, rows
from bedrock_gen.access.tuples import Expansion
from bedrock_gen.tables import Table


class Explanation(NamedTuple):
    name: str
    expansion: Expansion
    trusted: tuple[str, ...]  # the auth mode's own words
    # What the grants cannot show: choices made where AWS's pages are silent, and what the
    # defaults mean for the surfaces in use (``surfaces.notes``).
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "config": self.name,
            "account": self.expansion.account,
            "partition": self.expansion.partition,
            "grants": [r._asdict() for r in rows(self.expansion.access)],
            "trusted": list(self.trusted),
            "restrictions": list(self.expansion.restrictions),
            "under_grants": [b._asdict() for b in self.expansion.under],
            "over_grants": [x._asdict() for x in self.expansion.over],
            "notes": list(self.notes),
        }

    def tables(self) -> list[Table]:
        all_rows = rows(self.expansion.access)
        invoke = [r for r in all_rows if r.kind == "invoke"]
        other = [r for r in all_rows if r.kind == "action"]
        out = [
            Table(
                f"What {self.name} grants: models",
                ("model", "through", "from (source Regions)", "may be served in", "actions"),
                [r.cells() for r in invoke] or [("(none)", "", "", "", "")],
            )
        ]
        if other:
            out.append(
                Table(
                    "Other actions (guardrails, Marketplace, ...)",
                    ("service", "resource", "actions"),
                    [(r.subject, r.where, r.actions) for r in other],
                )
            )
        if self.expansion.restrictions:
            out.append(
                Table(
                    "Denied or required",
                    ("restriction",),
                    [(r,) for r in self.expansion.restrictions],
                )
            )
        if self.notes:
            out.append(Table("Notes", ("note",), [(n,) for n in self.notes]))
        out.append(
            Table(
                "Who may use it",
                ("principal",),
                [(t,) for t in self.trusted] or [("(no trust policy)",)],
            )
        )
        if self.expansion.under:
            out.append(
                Table(
                    "Under-grants (calls fail at random)",
                    ("profile", "source", "model not allowed in"),
                    broken_rows(self.expansion.under),
                )
            )
        if self.expansion.over:
            out.append(
                Table(
                    "Allowed where the profile never routes",
                    ("profile", "from", "also allowed in"),
                    leak_rows(self.expansion.over),
                )
            )
        return out
