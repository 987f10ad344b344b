"""Reviewer-facing tables: one shape for every report that is read by people, rendered as
aligned text for a terminal or as Markdown for a pull-request comment.

``catalog diff``, ``diff``, ``explain`` and ``models --routes`` build ``Table``s; their JSON
form comes from each result's own ``to_json``. Cells hold what policies and AWS outputs say
(actions, ARNs, model IDs, statuses): each is printed through ``printable.shown``, and in
Markdown every character that could start markup (emphasis, a link, HTML such as a stray
``</details>``) is escaped, so a cell reads as the text it holds.

A pull-request comment has a hard size limit (GitHub refuses a comment over 65,536
characters), so Markdown is built as ``Block``s whose rows ``fit`` may cut: rows are kept in the
order they come (producers put the riskiest first), lower-priority blocks are cut before
higher ones, and every cut says how many rows went and where to see them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from bedrock_gen.printable import shown

SUMMARY = "summary"  # read first: never folded, cut last
DETAILS = "details"  # folded in Markdown (<details>), cut first
COMMENT_LIMIT = 65_536  # characters GitHub accepts in an issue or pull-request comment


class Table(NamedTuple):
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    note: str = ""
    kind: str = ""  # SUMMARY, DETAILS, or "" (a plain table)


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


# Markdown's inline markup characters (GFM): escaped with a backslash, which GFM allows before
# any ASCII punctuation. '.', '-' and ':' (every model ID) are left alone: inside a line they
# start nothing, and a line's first character is handled by ``md_line``.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([-+#>=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md(value: object) -> str:
    """Text for a Markdown table cell or an inline span: shown safely, markup escaped."""
    return _INLINE.sub(r"\\\1", shown(value))


def md_line(value: object) -> str:
    """Text for a Markdown line of its own: also never a list item, heading or quote."""
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", md(value)))


class Block(NamedTuple):
    """Part of a Markdown document: ``head`` and ``tail`` stay; ``rows`` (lines, most important
    first) may be cut, and ``cut`` says in one line what was cut."""

    head: str
    rows: Sequence[str] = ()
    tail: str = ""
    priority: int = 1  # 0: cut only when nothing else is left to cut
    cut: Callable[[int], str] | None = None


def _rows_note(n: int) -> str:
    return (
        f"_{n:,} more row{'s' if n != 1 else ''} cut to fit a GitHub comment "
        f"({COMMENT_LIMIT:,} characters); the text or JSON output has every row._"
    )


def markdown_blocks(tables: Sequence[Table], heading: str = "###") -> list[Block]:
    """Each table as a block whose rows may be cut; DETAILS tables folded in <details>."""
    out: list[Block] = []
    for table in tables:
        header = "| " + " | ".join(md(c) for c in table.columns) + " |"
        rule = "|" + "|".join("---" for _ in table.columns) + "|"
        rows = ["| " + " | ".join(md(c) for c in row) + " |" for row in table.rows]
        note = f"\n\n{md_line(table.note)}" if table.note else ""
        if table.kind == DETAILS:
            count = f" ({len(rows):,} rows)" if len(rows) > 1 else ""
            head = (
                f"<details><summary>{md(table.title)}{count}</summary>\n\n{header}\n{rule}"
                if rows
                else f"<details><summary>{md(table.title)}</summary>\n"
            )
            out.append(Block(head, rows, f"{note}\n\n</details>", 1, _rows_note))
        else:
            head = f"{heading} {md(table.title)}\n\n{header}\n{rule}"
            out.append(Block(head, rows, note, 0 if table.kind == SUMMARY else 1, _rows_note))
    return out


def markdown(tables: Sequence[Table], heading: str = "###") -> str:
    return join(markdown_blocks(tables, heading))


def join(blocks: Iterable[Block], kept: Sequence[int] | None = None) -> str:
    """The blocks as Markdown, each separated by a blank line; ``kept``: how many rows of each
    to keep (the rest are cut, with the block's note)."""
    parts = []
    for n, block in enumerate(blocks):
        rows = list(block.rows)
        keep = len(rows) if kept is None else kept[n]
        lines = [block.head, *rows[:keep]]
        if keep < len(rows) and block.cut is not None:
            lines.append("")
            lines.append(block.cut(len(rows) - keep))
        parts.append("\n".join(lines) + block.tail)
    return "\n\n".join(parts)


def size(text: str) -> int:
    """Characters as a browser counts them (UTF-16 code units): never fewer than GitHub."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def fit(
    blocks: Sequence[Block], limit: int = COMMENT_LIMIT, notice: Callable[[int], str] | None = None
) -> str:
    """The blocks as one Markdown document of at most ``limit`` characters (with the final
    newline). Rows are kept in order, priority 1 blocks' rows cut before priority 0's; when
    anything is cut, ``notice(rows cut)`` follows the first block (the heading), so a reader
    knows before reading on."""
    whole = join(blocks)
    if size(whole) + 1 <= limit:
        return whole
    total = sum(len(b.rows) for b in blocks)
    kept = [0] * len(blocks)

    def render() -> str:
        cut = total - sum(kept)
        if notice is None or not cut:
            return join(blocks, kept)
        # the notice goes right after the first block (the report's own heading)
        first = join(blocks[:1], kept[:1])
        return first + "\n\n" + notice(cut) + "\n\n" + join(blocks[1:], kept[1:])

    # Worst-case size of everything but the rows: heads, tails, cut notes and the notice.
    used = size(render())
    for level in (0, 1):
        for n, block in enumerate(blocks):
            if block.priority != level:
                continue
            for row in block.rows:
                cost = size(row) + 1
                if used + cost + 1 > limit:
                    break
                kept[n] += 1
                used += cost
    text = render()
    while size(text) + 1 > limit and any(kept):  # a note's count grew a digit: trim one more
        last = max(i for i, k in enumerate(kept) if k)
        kept[last] -= 1
        text = render()
    if size(text) + 1 > limit:  # even without rows it does not fit: cut the text itself
        text = text[: limit - 200] + "\n\n_… cut to fit a GitHub comment._"
    return text
