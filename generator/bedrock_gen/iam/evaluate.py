"""IAM's evaluation logic for one request against a set of policy documents.

What ``simulate``, ``diff``, ``explain`` and SCP checks rest on, implemented from IAM's policy
evaluation logic and condition operator reference:

- An explicit ``Deny`` that matches wins; otherwise an ``Allow`` that matches allows; otherwise
  the request is implicitly denied. A service control policy that has no ``Allow`` statement is
  read as a deny list beside AWS's ``FullAWSAccess``.
- A statement matches when its Action/NotAction, Resource/NotResource, Principal/NotPrincipal
  (for trust policies) and every condition match. Actions compare case-insensitively, ARNs field
  by field, with ``*`` and ``?`` (``glob``: linear time whatever the pattern).
- Conditions: every operator block and every key in it must hold (AND); the values of one key are
  alternatives (OR), and for the negated operators (``StringNotEquals``, ``ArnNotLike``, ...)
  none may match. A key missing from the request makes a positive operator false and a negated
  one true; ``...IfExists`` makes it true either way; ``Null`` tests presence. ``ForAnyValue:``
  and ``ForAllValues:`` compare multi-valued keys (``ForAllValues`` holds for a missing key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from bedrock_gen.iam.arn import action_match, arn_match, glob_match

Context = Mapping[str, Sequence[str]]


class Policy(NamedTuple):
    """One document and what it is (identity, trust or scp), with the name it is reported by."""

    name: str
    document: Mapping[str, Any]
    kind: str = "identity"


class Request(NamedTuple):
    action: str
    resource: str
    context: Context = MappingProxyType({})
    principal: str | None = None  # for trust policies: the caller (an ARN, service or provider)


class Match(NamedTuple):
    policy: str
    index: int  # type: ignore[assignment]  # a field, shadowing tuple.index
    sid: str | None

    def describe(self) -> str:
        label = f"statement {self.sid}" if self.sid else f"statement #{self.index + 1}"
        return f"{label} of {self.policy}"


class Decision(NamedTuple):
    allowed: bool
    reason: str
    statement: Match | None = None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(policy: Policy) -> list[tuple[int, Mapping[str, Any]]]:
    raw = policy.document.get("Statement", [])
    return [(i, s) for i, s in enumerate(as_list(raw)) if isinstance(s, Mapping)]


# --------------------------------------------------------------------------------------------
# conditions


def _string_match(op: str, pattern: str, value: str) -> bool:
    if op in ("StringEquals", "StringNotEquals"):
        return pattern == value
    if op in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return pattern.lower() == value.lower()
    if op in ("StringLike", "StringNotLike"):
        return glob_match(pattern, value)
    if op in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"):
        return arn_match(pattern, value)
    if op == "Bool":
        return pattern.lower() == value.lower()
    if op in (
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ):
        return _numeric(op, pattern, value)
    raise UnsupportedCondition(op)


def _numeric(op: str, pattern: str, value: str) -> bool:
    try:
        a, b = float(value), float(pattern)
    except ValueError:
        return False
    return {
        "NumericEquals": a == b,
        "NumericNotEquals": a == b,
        "NumericLessThan": a < b,
        "NumericLessThanEquals": a <= b,
        "NumericGreaterThan": a > b,
        "NumericGreaterThanEquals": a >= b,
    }[op]


class UnsupportedCondition(ValueError):
    """An operator this evaluator does not implement (IpAddress, Date*, Binary*)."""


NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericNotEquals",
}


def _lookup(context: Context, key: str) -> list[str] | None:
    lowered = key.lower()
    for k, v in context.items():
        if k.lower() == lowered:
            return list(v)
    return None


def condition_holds(operator: str, key: str, wanted: Any, context: Context) -> bool:
    """One ``operator: {key: wanted}`` entry against the request context."""
    qualifier, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    values = _lookup(context, key)
    patterns = [str(w).lower() if isinstance(w, bool) else str(w) for w in as_list(wanted)]
    if op == "Null":
        absent = values is None or values == []
        return any((p.lower() == "true") == absent for p in patterns)
    if values is None:
        if if_exists or qualifier == "ForAllValues":
            return True
        return op in NEGATED and qualifier != "ForAnyValue"
    negated = op in NEGATED

    def satisfies(value: str) -> bool:
        hit = any(_string_match(op, p, value) for p in patterns)
        return not hit if negated else hit

    if qualifier == "ForAllValues" or (not qualifier and negated):
        return all(satisfies(v) for v in values)
    return any(satisfies(v) for v in values)


def conditions_hold(condition: Any, context: Context) -> tuple[bool, str | None]:
    """Whether every condition holds, and the first that does not (for reasons)."""
    if not condition:
        return True, None
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            return False, f"{operator} is not an object"
        for key, wanted in block.items():
            if not condition_holds(operator, key, wanted, context):
                got = _lookup(context, key)
                shown = "absent" if got is None else ", ".join(got)
                return False, (
                    f"{operator} {key} {as_list(wanted)} does not hold (request: {shown})"
                )
    return True, None


# --------------------------------------------------------------------------------------------
# statements


def _principal_matches(spec: Any, principal: str | None) -> bool:
    if spec == "*":
        return True
    if principal is None or not isinstance(spec, Mapping):
        return False
    for kind, values in spec.items():
        for value in as_list(values):
            if not isinstance(value, str):
                continue
            if value == "*" or value == principal:
                return True
            if kind == "AWS" and _account_matches(value, principal):
                return True
            if glob_match(value, principal):
                return True
    return False


def _account_matches(value: str, principal: str) -> bool:
    """``123456789012`` and ``arn:aws:iam::123456789012:root`` trust the whole account."""
    account = value.split(":")[4] if value.startswith("arn:") and value.endswith(":root") else value
    return account.isdigit() and len(account) == 12 and f"::{account}:" in principal


def _element(stmt: Mapping[str, Any], positive: str, negative: str, test: Any) -> bool:
    if positive in stmt:
        return any(isinstance(x, str) and test(x) for x in as_list(stmt[positive]))
    if negative in stmt:
        return not any(isinstance(x, str) and test(x) for x in as_list(stmt[negative]))
    return True  # absent (a trust policy's Resource): applies to the role itself


def statement_matches(
    stmt: Mapping[str, Any], request: Request, trust: bool = False, resource_known: bool = False
) -> tuple[bool, str | None]:
    """Whether a statement applies to the request, and if not, why (for reasons).
    ``resource_known``: the caller has matched the Resource element already."""
    if not _element(stmt, "Action", "NotAction", lambda a: action_match(a, request.action)):
        return False, "action"
    if not resource_known and not _element(
        stmt, "Resource", "NotResource", lambda r: arn_match(r, request.resource)
    ):
        return False, "resource"
    if trust or "Principal" in stmt or "NotPrincipal" in stmt:
        if "Principal" in stmt and not _principal_matches(stmt["Principal"], request.principal):
            return False, "principal"
        if "NotPrincipal" in stmt and _principal_matches(stmt["NotPrincipal"], request.principal):
            return False, "principal"
    held, why = conditions_hold(stmt.get("Condition"), request.context)
    return (True, None) if held else (False, why)


def evaluate(policies: Iterable[Policy], request: Request) -> Decision:
    """The decision for ``request`` (see the module docstring for the logic)."""
    allow: Match | None = None
    near: list[str] = []
    scp_allows: list[bool] = []
    for policy in policies:
        statements = _statements(policy)
        deny_list_scp = policy.kind == "scp" and not any(
            s.get("Effect") == "Allow" for _, s in statements
        )
        scp_allowed = deny_list_scp
        for index, body in statements:
            matched, why = statement_matches(body, request, policy.kind == "trust")
            match = Match(policy.name, index, body.get("Sid"))
            if matched and body.get("Effect") == "Deny":
                return Decision(False, f"explicitly denied by {match.describe()}", match)
            if matched and body.get("Effect") == "Allow":
                if policy.kind == "scp":
                    scp_allowed = True
                elif allow is None:
                    allow = match
            elif (
                why is not None
                and why not in ("action", "resource", "principal")
                and body.get("Effect") == "Allow"
            ):
                near.append(f"{match.describe()} matches, but its condition {why}")
        if policy.kind == "scp":
            scp_allows.append(scp_allowed)
    if scp_allows and not all(scp_allows):
        return Decision(False, "no statement of the SCP allows it (an allow-list SCP)")
    if allow is not None:
        return Decision(True, f"allowed by {allow.describe()}", allow)
    if near:
        return Decision(False, "implicitly denied: " + "; ".join(near[:3]))
    return Decision(False, "implicitly denied: no statement allows this action on this resource")


def allowed(policies: Sequence[Policy], request: Request) -> bool:
    return evaluate(policies, request).allowed


# --------------------------------------------------------------------------------------------
# many requests against the same documents


class _Compiled(NamedTuple):
    policy: Policy
    index: int  # type: ignore[assignment]  # a field, shadowing tuple.index
    body: Mapping[str, Any]
    deny: bool
    resources: Any  # arn.Patterns of Resource, or None with NotResource / no Resource


class Evaluator:
    """The same decisions as ``evaluate``, for many requests: each statement's resources are
    indexed once (a whole-catalog policy names thousands of ARNs)."""

    def __init__(self, policies: Iterable[Policy]) -> None:
        from bedrock_gen.iam.arn import Patterns

        self.policies = list(policies)
        self.compiled: list[_Compiled] = []
        for policy in self.policies:
            for index, body in _statements(policy):
                patterns = None
                if "Resource" in body:
                    patterns = Patterns(x for x in as_list(body["Resource"]) if isinstance(x, str))
                self.compiled.append(
                    _Compiled(policy, index, body, body.get("Effect") == "Deny", patterns)
                )
        self.has_scp = any(p.kind == "scp" for p in self.policies)

    def allowed(self, request: Request) -> bool:
        if self.has_scp:
            return evaluate(self.policies, request).allowed
        allow = False
        for c in self.compiled:
            if c.resources is not None and not c.resources.match(request.resource):
                continue
            if c.deny or not allow:
                matched, _ = statement_matches(
                    c.body,
                    request,
                    c.policy.kind == "trust",
                    resource_known=c.resources is not None,
                )
                if matched and c.deny:
                    return False
                allow = allow or matched
        return allow
