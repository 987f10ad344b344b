"""``migrations.tf``: ``moved`` blocks from the addresses of an earlier module layout."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Attr, Expr, Item, block, comment
from bedrock_gen.emit.terraform.module import HEADER, Facts


def build(f: Facts) -> list[Item]:
    out: list[Item] = [
        comment(
            HEADER,
            "",
            "Resource addresses of earlier bedrock-gen modules, moved to today's, so that "
            "upgrading plans",
            "no destroy of a role, user, policy or attachment.",
        )
    ]
    for old, new in f.moved:
        out += [BLANK, block("moved", [Attr("from", Expr(old)), Attr("to", Expr(new))])]
    return out
