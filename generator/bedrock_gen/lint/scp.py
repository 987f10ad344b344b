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
    # Foundation-model ARNs the config grants bedrock:CountTokens on (permissions.count_tokens):
    # CountTokens takes the base model ID only, so it never carries bedrock:InferenceProfileArn.
    count_tokens: tuple[str, ...] = ()


def check(ctx: Context, routes: Routes | None) -> None:
    """One finding per route and denying statement, naming every Region (or the Region-less
    evaluation) it is denied in: every blocked route of the config, in one run."""
    if routes is None:
        return
    _count_tokens(ctx, routes)
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


def _count_tokens(ctx: Context, routes: Routes) -> None:
    """CountTokens on each granted foundation model, in its own Region, with no profile: an SCP
    that denies foundation models unless called through a profile (for more than the invoke
    actions) denies it."""
    from bedrock_gen.iam.evaluate import Policy, Request, evaluate

    everything = Policy(
        "(the gateway's own policies)",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    )
    policies = [Policy(ctx.doc.file, ctx.doc.data, "scp"), everything]
    for arn in routes.count_tokens:
        region = arn.split(":")[3]
        if "*" in region:
            continue
        context = {"aws:RequestedRegion": [region], "aws:SecureTransport": ["true"]}
        decision = evaluate(policies, Request("bedrock:CountTokens", arn, context))
        if decision.allowed:
            continue
        path: tuple[str | int, ...] = ()
        marker = " by statement "
        if marker in decision.reason:
            path = _statement_path(ctx, decision.reason.split(marker, 1)[1].split(" of ", 1)[0])
        ctx.add(
            "BEDROCK_SCP_BLOCKS_COUNT_TOKENS",
            path,
            f"bedrock:CountTokens on {arn} ({decision.reason}); CountTokens takes only the base "
            "model ID, so no bedrock:InferenceProfileArn exemption can let it through",
        )


def _statement_path(ctx: Context, label: str) -> tuple[str | int, ...]:
    for st in ctx.statements:
        if st.body.get("Sid") == label or label == f"#{st.index + 1}":
            return st.path
    return ()
