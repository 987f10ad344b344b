"""An independent IAM policy evaluator for Bedrock invocations, for the tests.

It shares no code with ``bedrock_gen``: it reads IAM JSON and the catalog *data*
(``catalog.json``) and implements, from the IAM documentation, what the generator must get
right:

- Resource matching: an ARN is six colon-separated components, each matched separately with
  ``*`` (any run, possibly empty) and ``?`` (one character); the last component may contain
  colons itself.
- Conditions: StringEquals, StringLike, ArnEquals, ArnLike and their ForAnyValue form; a missing
  context key fails the condition.
- A Bedrock call through a profile is allowed iff the profile ARN (in the source Region) *and*
  every foundation-model ARN it is evaluated on are allowed. Geographic profiles evaluate the
  foundation model in each destination Region; global profiles evaluate it in the source Region
  and Region-less (``aws:RequestedRegion`` = ``unspecified``).
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CATALOG = Path(__file__).resolve().parents[1] / "generator/bedrock_gen/data/catalog.json"
INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.DOTALL)


def _glob(pattern: str, value: str) -> bool:
    return _compiled(pattern).fullmatch(value) is not None


def arn_match(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    p = pattern.split(":", 5)
    a = arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return False
    return all(_glob(x, y) for x, y in zip(p, a, strict=True))


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _condition_ok(condition: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    for op, block in condition.items():
        base = op.split(":", 1)[1] if ":" in op else op
        for key, wanted in block.items():
            negated = base in ("StringNotEquals", "ArnNotEquals")
            if key not in context:
                if negated:
                    continue  # a missing key makes a negated operator true
                return False
            value = context[key]
            wanted = _as_list(wanted)
            if negated:
                ok = value not in wanted
            elif base == "StringEquals" or base == "ArnEquals":
                ok = value in wanted
            elif base in ("StringLike",):
                ok = any(fnmatch.fnmatchcase(value, w) for w in wanted)
            elif base == "ArnLike":
                ok = any(arn_match(w, value) for w in wanted)
            else:
                raise AssertionError(f"evaluator does not know operator {op}")
            if not ok:  # one context value: ForAnyValue behaves like the plain operator
                return False
    return True


def _action_match(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def allowed(
    policies: Iterable[Mapping[str, Any]],
    action: str,
    resource: str,
    context: Mapping[str, str] | None = None,
) -> bool:
    """True when no Deny statement matches and some Allow statement does."""
    ctx = context or {}
    found = False
    for policy in policies:
        for st in _as_list(policy["Statement"]):
            assert st["Effect"] in ("Allow", "Deny")
            if not any(_action_match(a, action) for a in _as_list(st["Action"])):
                continue
            if not any(arn_match(r, resource) for r in _as_list(st["Resource"])):
                continue
            if "Condition" in st and not _condition_ok(st["Condition"], ctx):
                continue
            if st["Effect"] == "Deny":
                return False
            found = True
    return found


@dataclass(frozen=True)
class Route:
    model: str
    geography: str
    source: str
    destinations: tuple[str, ...]
    is_global: bool


def load_catalog() -> dict[str, Any]:
    with open(CATALOG, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def routes(catalog: Mapping[str, Any]) -> list[Route]:
    """Every (model, geography, source Region) call the catalog says can be made: each
    profile names a route table of {"from": sources, "to": destinations} groups; a global
    profile (empty "to") is authorized in its source Region and Region-less."""
    out = []
    for m in catalog["models"]:
        for geo, table in m.get("profiles", {}).items():
            is_global = bool(catalog["geographies"][geo].get("global"))
            for group in catalog["route_tables"][table]:
                for s in group["from"]:
                    d = (s,) if is_global else tuple(group["to"])
                    out.append(Route(m["id"], geo, s, d, is_global))
    return out


def call_allowed(
    policies: list[Mapping[str, Any]],
    route: Route,
    account: str,
    partition: str = "aws",
    action: str = INVOKE,
    destinations: Iterable[str] | None = None,
) -> bool:
    """Would this profile call succeed, wherever Bedrock routes it?"""
    profile = (
        f"arn:{partition}:bedrock:{route.source}:{account}:inference-profile/"
        f"{route.geography}.{route.model}"
    )
    if not allowed(policies, action, profile, {"aws:RequestedRegion": route.source}):
        return False
    ctx = {"bedrock:InferenceProfileArn": profile}
    for d in destinations if destinations is not None else route.destinations:
        fm = f"arn:{partition}:bedrock:{d}::foundation-model/{route.model}"
        if not allowed(policies, action, fm, {**ctx, "aws:RequestedRegion": d}):
            return False
    if route.is_global:
        fm = f"arn:{partition}:bedrock:::foundation-model/{route.model}"
        if not allowed(policies, action, fm, {**ctx, "aws:RequestedRegion": "unspecified"}):
            return False
    return True


def direct_allowed(
    policies: list[Mapping[str, Any]],
    model: str,
    region: str,
    partition: str = "aws",
    action: str = INVOKE,
) -> bool:
    """An on-demand call of the base model ID in a Region (no profile)."""
    fm = f"arn:{partition}:bedrock:{region}::foundation-model/{model}"
    return allowed(policies, action, fm, {"aws:RequestedRegion": region})


def leaked_destinations(
    policies: list[Mapping[str, Any]],
    route: Route,
    account: str,
    universe: Iterable[str],
    partition: str = "aws",
) -> list[str]:
    """Regions outside the route's destinations whose model ARN the profile would reach."""
    profile = (
        f"arn:{partition}:bedrock:{route.source}:{account}:inference-profile/"
        f"{route.geography}.{route.model}"
    )
    out = []
    for r in universe:
        if r in route.destinations:
            continue
        fm = f"arn:{partition}:bedrock:{r}::foundation-model/{route.model}"
        if allowed(
            policies, INVOKE, fm, {"bedrock:InferenceProfileArn": profile, "aws:RequestedRegion": r}
        ):
            out.append(r)
    return out
