"""Reviewer-facing tables: one shape for every report that is read by people, rendered as
aligned text for a terminal or as Markdown for a pull-request comment.

``catalog diff``, ``diff``, ``explain`` and ``models --routes`` build ``Table``s; their JSON
form comes from each result's own ``to_json``. Cells hold what policies and AWS outputs say
(actions, ARNs, model IDs, statuses): each is printed through ``printable.shown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bedrock_gen.printable import shown


class Table(NamedTuple):
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    note: str = ""


def text(tables: Sequence[Table]) -> str:
    out: list[str] = []
    for table in tables:
        if out:
            out.append("")
        out.append(shown(table.title))
        rows = [tuple(shown(c) for c in row) for row in (table.columns, *table.rows)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(table.columns))]
        for n, row in enumerate(rows):
            out.append(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                out.append("  " + "  ".join("-" * w for w in widths))
        if table.note:
            out.append(f"  {shown(table.note)}")
    return "\n".join(out)


def _md(cell: str) -> str:
    return shown(cell).replace("|", "\\|")


def markdown(tables: Sequence[Table], heading: str = "###") -> str:
    out: list[str] = []
    for table in tables:
        if out:
            out.append("")
        out += [f"{heading} {shown(table.title)}", ""]
        out.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
        out.append("|" + "|".join("---" for _ in table.columns) + "|")
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table.rows]
        if table.note:
            out += ["", shown(table.note)]
    return "\n".join(out)
