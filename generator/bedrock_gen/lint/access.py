"""Access rules for identity policies: grants broader than they look.

IAM Access Analyzer has no general check for these (only its iam:PassRole variants), yet they
are what a least-privilege review must catch first: every action (``*``), every action of a
service (``bedrock:*``), everything *not* listed (``NotAction``, ``NotResource``), and
``Resource: "*"`` for actions that can be scoped to resources.
"""

from __future__ import annotations

from bedrock_gen.iam import actions as known
from bedrock_gen.iam import arn as arns
from bedrock_gen.lint.context import Context, Stmt, as_list


def check(ctx: Context) -> None:
    for st in ctx.statements:
        if not st.allow:
            continue
        _actions(ctx, st)
        if "NotAction" in st.body:
            ctx.add(
                "ACCESS_ALLOW_WITH_NOT_ACTION",
                (*st.path, "NotAction"),
                "Allow with NotAction grants every action it does not list",
                key=True,
            )
        if "NotResource" in st.body:
            ctx.add(
                "ACCESS_ALLOW_WITH_NOT_RESOURCE",
                (*st.path, "NotResource"),
                "Allow with NotResource grants every resource it does not list",
                key=True,
            )
        _resource_star(ctx, st)


def _actions(ctx: Context, st: Stmt) -> None:
    raw = st.body.get("Action")
    for i, action in enumerate(as_list(raw) if raw is not None else []):
        if not isinstance(action, str):
            continue
        path = (*st.path, "Action", i) if isinstance(raw, list) else (*st.path, "Action")
        if action == "*":
            ctx.add("ACCESS_ALL_ACTIONS", path, "Action '*' allows every action of every service")
        elif action.endswith(":*") and action.count(":") == 1:
            ctx.add(
                "ACCESS_SERVICE_WILDCARD_ACTION",
                path,
                f"'{action}' allows every {action[:-2]} action, including writes and deletes",
            )


RISKY_LEVELS = {"Write", "Permissions management", "Tagging"}


def _risky(name: str, level: str) -> bool:
    """Writes, and invocations (which AWS files under Read): reading metadata or listing on
    '*' is the convention and not flagged."""
    return level in RISKY_LEVELS or name.startswith(("Invoke", "Converse"))


def scopable(patterns: list[str]) -> list[str]:
    """Known writes and invocations matched by ``patterns`` that support resource-level
    permissions."""
    out = []
    for pattern in patterns:
        if pattern == "*":
            services = sorted(known.services())
        else:
            services = [pattern.partition(":")[0].lower()]
        for service in services:
            for name, action in (known.actions(service) or {}).items():
                full = f"{service}:{name}"
                if (
                    action.resource_types
                    and _risky(name, action.access_level)
                    and arns.action_match(pattern, full)
                ):
                    out.append(full)
    return sorted(set(out))


def _resource_star(ctx: Context, st: Stmt) -> None:
    stars = [i for i, r in st.resources() if r == "*"]
    if not stars or "Action" not in st.body:
        return
    matched = scopable(st.actions())
    if not matched:
        return
    shown = ", ".join(matched[:3]) + (f" and {len(matched) - 3} more" if len(matched) > 3 else "")
    ctx.add(
        "ACCESS_RESOURCE_STAR",
        st.rpath(stars[0]),
        f"Resource '*' with {shown}, which can be scoped to resources",
    )
