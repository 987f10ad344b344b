"""Markdown for a pull-request comment: cut to GitHub's limit with a note of what was cut,
rows kept in order (riskiest first), summaries cut last, and every piece of untrusted text
escaped so it cannot become markup (a list item, a heading, or HTML that closes a fold)."""

from __future__ import annotations

from bedrock_gen.tables import (
    COMMENT_LIMIT,
    DETAILS,
    SUMMARY,
    Block,
    Table,
    fit,
    markdown,
    markdown_blocks,
    md,
    md_line,
    size,
)


def test_markup_in_cells_and_lines_is_escaped() -> None:
    assert md("</details><img src=x>") == "\\</details\\>\\<img src=x\\>"
    assert md("bedrock:*") == "bedrock:\\*" and md("a|b") == "a\\|b"
    assert md("anthropic.claude-sonnet-4-5-20250929-v1:0") == (
        "anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    assert md_line("+ access the change adds") == "\\+ access the change adds"
    assert md_line("- gone") == "\\- gone" and md_line("# title") == "\\# title"
    assert md_line("1. first") == "1\\. first"


def test_a_note_after_a_table_is_a_paragraph_not_a_list_item() -> None:
    text = markdown([Table("T", ("a",), [("x",)], "+ added; - removed")])
    assert text.endswith("\n\n\\+ added; - removed")


def test_details_tables_fold_and_count_their_rows() -> None:
    text = markdown([Table("Changes", ("a",), [("x",), ("y",)], kind=DETAILS)])
    assert text.startswith("<details><summary>Changes (2 rows)</summary>\n\n| a |\n|---|")
    assert text.endswith("| y |\n\n</details>")


def test_what_fits_is_left_alone() -> None:
    blocks = markdown_blocks([Table("T", ("a",), [("x",)])])
    assert fit(blocks) == "### T\n\n| a |\n|---|\n| x |"


def test_a_report_too_large_is_cut_to_the_limit_keeping_order_and_summaries() -> None:
    summary = Table("Summary", ("what", "change"), [("wildcard", "bedrock:* on *")], kind=SUMMARY)
    rows = [(f"row {n:05d}", "x" * 200) for n in range(2_000)]
    changes = Table("Changes", ("a", "b"), rows, "Legend: riskiest first.", kind=DETAILS)
    blocks = [Block("### bedrock-gen diff", priority=0), *markdown_blocks([summary, changes])]
    text = fit(blocks, notice=lambda n: f"> cut {n} rows")
    assert size(text) + 1 <= COMMENT_LIMIT  # with the newline the reporter prints
    lines = text.splitlines()
    assert lines[0] == "### bedrock-gen diff"
    assert lines[2].startswith("> cut ") and lines[2].endswith(" rows")
    assert "| wildcard | bedrock:\\* on \\* |" in text
    kept = [x for x in lines if x.startswith("| row ")]
    assert kept == [f"| row {n:05d} | {'x' * 200} |" for n in range(len(kept))]  # first rows
    cut = 2_000 - len(kept)
    assert lines[2] == f"> cut {cut} rows"
    assert f"_{cut:,} more rows cut to fit a GitHub comment" in text
    assert text.endswith("Legend: riskiest first.\n\n</details>")


def test_characters_beyond_the_basic_plane_count_twice() -> None:
    assert size("a\U0001f600") == 3
    rows = [("\U0001f600" * 100,)] * 1_000
    text = fit(markdown_blocks([Table("T", ("a",), rows, kind=DETAILS)]), limit=10_000)
    assert size(text) + 1 <= 10_000
