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
    """One finding per route and denying statement, naming every Region (or the Region-less
    evaluation) it is denied in: every blocked route of the config, in one run."""
    if routes is None:
        return
    from bedrock_gen.access.scp import blocked_routes
    from bedrock_gen.iam.evaluate import Policy

    found = blocked_routes(
        Policy(ctx.doc.file, ctx.doc.data, "scp"), routes.routes, routes.partition, routes.account
    )
    grouped: dict[tuple[Route, str], list[str]] = {}
    for b in found:
        where = b.evaluation.region
        grouped.setdefault((b.route, b.reason), []).append(
            "unspecified (the Region-less evaluation)" if where == "unspecified" else where
        )
    for (route, reason), regions in grouped.items():
        what = (
            f"{route.profile_id} called from {route.source}"
            if route.geography
            else f"{route.model} called directly in {route.source}"
        )
        path: tuple[str | int, ...] = ()
        marker = " by statement "
        if marker in reason:
            sid_or_index = reason.split(marker, 1)[1].split(" of ", 1)[0]
            path = _statement_path(ctx, sid_or_index)
        shown = ", ".join(dict.fromkeys(regions))
        ctx.add(
            "BEDROCK_SCP_BLOCKS_ROUTE",
            path,
            f"{what}: the SCP denies the evaluation in {shown} ({reason})",
        )


def _statement_path(ctx: Context, label: str) -> tuple[str | int, ...]:
    for st in ctx.statements:
        if st.body.get("Sid") == label or label == f"#{st.index + 1}":
            return st.path
    return ()
