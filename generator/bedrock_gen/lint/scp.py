"""SCP rules: the SCP grammar (in ``grammar``) and, given a config's chosen routes, every route
the SCP would deny (``lint --kind scp --config CONFIG``), located at the denying statement."""

from __future__ import annotations

from typing import NamedTuple

from bedrock_gen.catalog.routes import Route
from bedrock_gen.lint.context import Context


class Routes(NamedTuple):
    """What an SCP is checked against: a config's routes, in its partition and account."""

    routes: tuple[Route, ...]
    partition: str
    account: str


def check(ctx: Context, routes: Routes | None) -> None:
    if routes is None:
        return
    from bedrock_gen.access.scp import blocked_routes
    from bedrock_gen.iam.evaluate import Policy

    found = blocked_routes(
        Policy(ctx.doc.file, ctx.doc.data, "scp"), routes.routes, routes.partition, routes.account
    )
    for b in found:
        route = b.route
        what = (
            f"{route.profile_id} called from {route.source}"
            if route.geography
            else f"{route.model} called directly in {route.source}"
        )
        where = b.evaluation.region
        path: tuple[str | int, ...] = ()
        marker = " by statement "
        if marker in b.reason:
            sid_or_index = b.reason.split(marker, 1)[1].split(" of ", 1)[0]
            path = _statement_path(ctx, sid_or_index)
        ctx.add(
            "BEDROCK_SCP_BLOCKS_ROUTE",
            path,
            f"{what}: the SCP denies the evaluation in {where} ({b.reason})",
        )


def _statement_path(ctx: Context, label: str) -> tuple[str | int, ...]:
    for st in ctx.statements:
        if st.body.get("Sid") == label or label == f"#{st.index + 1}":
            return st.path
    return ()
