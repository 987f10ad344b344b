"""A second, independent implementation of IAM's decision for one request, for the tests.

Written from the IAM documentation (policy evaluation logic; condition operators; "condition
keys that are not present"), sharing no code with bedrock_gen, and deliberately simple: it
expands every statement into plain predicates and decides with explicit deny > allow >
implicit deny.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any


def _regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("^" + "".join(out) + "$", flags | re.DOTALL)


def _listify(x: Any) -> list[Any]:
    return list(x) if isinstance(x, list) else [x]


def _arn_like(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    pp = pattern.split(":", 5)
    aa = arn.split(":", 5)
    if len(pp) < 6 or len(aa) < 6:
        return _regex(pattern).match(arn) is not None
    return all(_regex(x).match(y) is not None for x, y in zip(pp, aa, strict=True))


def _compare(base: str, pattern: str, value: str) -> bool:
    if base in ("StringEquals", "StringNotEquals"):
        return value == pattern
    if base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return value.casefold() == pattern.casefold()
    if base in ("StringLike", "StringNotLike"):
        return _regex(pattern).match(value) is not None
    if base in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"):
        return _arn_like(pattern, value)
    if base == "Bool":
        return value.lower() == str(pattern).lower()
    raise NotImplementedError(base)


def _one_condition(op: str, key: str, wanted: Any, ctx: Mapping[str, Sequence[str]]) -> bool:
    set_op = None
    if ":" in op:
        set_op, op = op.split(":", 1)
    if_exists = op.endswith("IfExists")
    base = op[: -len("IfExists")] if if_exists else op
    present = {k.lower(): list(v) for k, v in ctx.items()}
    values = present.get(key.lower())
    patterns = [str(w).lower() if isinstance(w, bool) else str(w) for w in _listify(wanted)]
    if base == "Null":
        want_absent = any(p.lower() == "true" for p in patterns)
        return (values is None) == want_absent
    negative = "Not" in base
    if values is None:
        if if_exists:
            return True
        if set_op == "ForAllValues":
            return True
        if set_op == "ForAnyValue":
            return False
        return negative
    matches = [any(_compare(base, p, v) for p in patterns) for v in values]
    if negative:
        matches = [not m for m in matches]
    if set_op == "ForAllValues":
        return all(matches)
    if set_op == "ForAnyValue":
        return any(matches)
    return all(matches) if negative else any(matches)


def _conditions(cond: Any, ctx: Mapping[str, Sequence[str]]) -> bool:
    if not cond:
        return True
    return all(
        _one_condition(op, key, wanted, ctx)
        for op, block in cond.items()
        for key, wanted in block.items()
    )


def _applies(
    st: Mapping[str, Any], action: str, resource: str, ctx: Mapping[str, Sequence[str]]
) -> bool:
    if "Action" in st:
        ok = any(_regex(a, re.IGNORECASE).match(action) for a in _listify(st["Action"]))
    else:
        ok = not any(_regex(a, re.IGNORECASE).match(action) for a in _listify(st["NotAction"]))
    if not ok:
        return False
    if "Resource" in st:
        ok = any(_arn_like(r, resource) for r in _listify(st["Resource"]))
    elif "NotResource" in st:
        ok = not any(_arn_like(r, resource) for r in _listify(st["NotResource"]))
    return ok and _conditions(st.get("Condition"), ctx)


def decide(
    policies: Sequence[Mapping[str, Any]],
    action: str,
    resource: str,
    ctx: Mapping[str, Sequence[str]],
) -> bool:
    """True when allowed: no matching Deny and some matching Allow."""
    statements = [st for p in policies for st in _listify(p["Statement"])]
    if any(st["Effect"] == "Deny" and _applies(st, action, resource, ctx) for st in statements):
        return False
    return any(st["Effect"] == "Allow" and _applies(st, action, resource, ctx) for st in statements)
