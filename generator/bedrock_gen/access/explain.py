"""``bedrock-gen explain``: what a config grants, as a reviewer or data-residency officer reads
it: per model and profile, the source Regions and the Regions each may be served in; direct
calls; guardrails; Marketplace products; other actions; who is trusted. Read from the rendered
documents themselves (through the evaluator), so it shows what IAM grants, not what was meant.
A summary comes first (wildcards named as such: "all models, present and future"); the
tables follow, folded in Markdown.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.access.summary import broken_rows, by_risk, grant_summary, leak_rows, rows
from bedrock_gen.access.tuples import Expansion
from bedrock_gen.tables import DETAILS, SUMMARY, Table


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
            "summary": [{"what": w, "grant": g} for w, g in self.summary()],
            "grants": [r._asdict() for r in rows(self.expansion.access)],
            "trusted": list(self.trusted),
            "restrictions": list(self.expansion.restrictions),
            "under_grants": [b._asdict() for b in self.expansion.under],
            "over_grants": [x._asdict() for x in self.expansion.over],
            "notes": list(self.notes),
        }

    def summary(self) -> list[tuple[str, str]]:
        found = grant_summary(self.expansion.access, self.trusted or ("(no trust policy)",))
        if self.expansion.under:
            found.append(("under-grants", f"{len(self.expansion.under)} (calls fail at random)"))
        if self.expansion.over:
            found.append(
                ("over-grants", f"{len(self.expansion.over)} (allowed where no profile routes)")
            )
        return found

    def tables(self) -> list[Table]:
        all_rows = rows(self.expansion.access)
        invoke = by_risk(r for r in all_rows if r.kind == "invoke")
        other = by_risk(r for r in all_rows if r.kind == "action")
        out = [
            Table(f"Summary: {self.name}", ("what", "grant"), self.summary(), kind=SUMMARY),
            Table(
                f"What {self.name} grants: models",
                ("model", "through", "from (source Regions)", "may be served in", "actions"),
                [r.cells() for r in invoke] or [("(none)", "", "", "", "")],
                kind=DETAILS,
            ),
        ]
        if other:
            out.append(
                Table(
                    "Other actions (guardrails, Marketplace, ...)",
                    ("service", "resource", "actions"),
                    [(r.subject, r.where, r.actions) for r in other],
                    kind=DETAILS,
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
                kind=DETAILS,
            )
        )
        if self.expansion.under:
            out.append(
                Table(
                    "Under-grants (calls fail at random)",
                    ("profile", "source", "model not allowed in"),
                    broken_rows(self.expansion.under),
                    kind=DETAILS,
                )
            )
        if self.expansion.over:
            out.append(
                Table(
                    "Allowed where the profile never routes",
                    ("profile", "from", "also allowed in"),
                    leak_rows(self.expansion.over),
                    kind=DETAILS,
                )
            )
        return out
