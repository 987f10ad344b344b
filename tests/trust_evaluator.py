"""An independent evaluator of role trust policies, for the tests.

It shares no code with ``bedrock_gen``: it reads a trust policy as IAM JSON and decides an STS
request the way the IAM policy evaluation logic and the STS documentation describe it, so the
tests judge the generated trust policies against AWS's rules rather than against the
generator's own reading of them.

- A request is an STS action (``sts:AssumeRole``, ``sts:AssumeRoleWithWebIdentity``,
  ``sts:TagSession``), the caller as a principal (``AWS`` with a role or user ARN, ``Service``
  with a service principal, ``Federated`` with an OIDC provider ARN) and the request context
  (``sts:ExternalId``, ``aws:SourceAccount``, ``aws:RequestTag/...``, ``ISSUER:sub``, ...).
- A statement matches when its Principal names the caller (``AWS`` by exact ARN, by account
  ID or by ``arn:PARTITION:iam::ACCOUNT:root``, which stands for every principal of that
  account; ``*`` for anyone), its Action covers the action (``*`` and ``?`` wildcards, any
  case), and every condition holds. An explicit Deny wins; without a matching Allow the request
  is denied.
- Conditions: every operator block and every key in it must hold; a key's values are
  alternatives. Keys compare case-insensitively, values case-sensitively; ArnEquals and ArnLike
  compare each of the six ARN components separately, both with ``*`` and ``?``. A key missing
  from the request makes a positive operator false and a negated one true; ``...IfExists``
  makes it true either way; ``Null`` tests presence. ``ForAnyValue:`` and ``ForAllValues:``
  compare multi-valued keys.
- EKS Pod Identity's credential exchange is two authorizations, both needed: ``sts:AssumeRole``
  and ``sts:TagSession``, each with the session tags as ``aws:RequestTag/...``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Context = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Caller:
    """Who calls STS: ``kind`` is AWS, Service or Federated; ``name`` its ARN or principal."""

    kind: str
    name: str


@dataclass(frozen=True)
class Request:
    action: str
    caller: Caller
    context: Mapping[str, Any] = field(default_factory=dict)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _glob(pattern: str, value: str, case: bool = True) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, 0 if case else re.IGNORECASE | re.DOTALL) is not None


def _arn_like(pattern: str, arn: str) -> bool:
    p, a = pattern.split(":", 5), arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return False
    return all(_glob(x, y) for x, y in zip(p, a, strict=True))


ACCOUNT_ROOT = re.compile(r"^arn:[a-z-]+:iam::(?P<account>[0-9]{12}):root$")
PRINCIPAL_ACCOUNT = re.compile(r"^arn:[a-z-]+:(iam|sts)::(?P<account>[0-9]{12}):")


def principal_matches(principal: Any, caller: Caller) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    for kind, values in principal.items():
        if kind != caller.kind:
            continue
        for value in _as_list(values):
            if value == "*" or value == caller.name:
                return True
            if kind != "AWS":
                continue
            caller_account = PRINCIPAL_ACCOUNT.match(caller.name)
            root = ACCOUNT_ROOT.match(value)
            account = (
                value if re.fullmatch(r"[0-9]{12}", value) else (root["account"] if root else None)
            )
            if (
                account is not None
                and caller_account is not None
                and (caller_account["account"] == account)
            ):
                return True
    return False


def _compare(base: str, wanted: str, got: str) -> bool:
    if base == "StringEquals":
        return wanted == got
    if base == "StringEqualsIgnoreCase":
        return wanted.lower() == got.lower()
    if base == "StringLike":
        return _glob(wanted, got)
    if base in ("ArnLike", "ArnEquals"):  # the same in IAM: per component, with wildcards
        return _arn_like(wanted, got)
    if base == "Bool":
        return wanted.lower() == got.lower()
    raise AssertionError(f"the trust evaluator does not know the operator {base}")


NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
}


def conditions_hold(condition: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    lowered = {k.lower(): v for k, v in context.items()}
    for op, block in condition.items():
        qualifier, _, name = op.rpartition(":")
        if_exists = name.endswith("IfExists")
        base = name.removesuffix("IfExists")
        for key, wanted in block.items():
            present = key.lower() in lowered
            if base == "Null":
                if (str(wanted).lower() == "true") == present:
                    return False
                continue
            if not present:
                if if_exists or base in NEGATED or qualifier == "ForAllValues":
                    continue
                return False
            got = [str(v) for v in _as_list(lowered[key.lower()])]
            wanted_values = [str(w) for w in _as_list(wanted)]
            positive = NEGATED.get(base, base)

            def one(
                value: str, positive: str = positive, wanted_values: list[str] = wanted_values
            ) -> bool:
                return any(_compare(positive, w, value) for w in wanted_values)

            if qualifier == "ForAllValues":
                ok = all(one(v) for v in got)
            elif qualifier == "ForAnyValue" or len(got) == 1:
                ok = any(one(v) for v in got)
            else:
                return False  # a multi-valued key without a set qualifier never matches
            if base in NEGATED:
                ok = not ok
            if not ok:
                return False
    return True


def _action_matches(patterns: Any, action: str) -> bool:
    return any(_glob(p, action, case=False) for p in _as_list(patterns))


def statement_matches(st: Mapping[str, Any], request: Request) -> bool:
    assert "NotPrincipal" not in st and "NotAction" not in st, "not used by bedrock-gen"
    if not principal_matches(st.get("Principal"), request.caller):
        return False
    if not _action_matches(st.get("Action", []), request.action):
        return False
    return conditions_hold(st.get("Condition", {}), request.context)


def allowed(policy: Mapping[str, Any], request: Request) -> bool:
    statements = _as_list(policy["Statement"])
    if any(st["Effect"] == "Deny" and statement_matches(st, request) for st in statements):
        return False
    return any(st["Effect"] == "Allow" and statement_matches(st, request) for st in statements)


# -- the requests each kind of workload makes -------------------------------------------------


def saas(policy: Mapping[str, Any], caller_arn: str, external_id: str | None = None) -> bool:
    """A role or user of another account calls AssumeRole (with an external ID or none)."""
    context = {"aws:PrincipalArn": caller_arn}
    if external_id is not None:
        context["sts:ExternalId"] = external_id
    return allowed(policy, Request("sts:AssumeRole", Caller("AWS", caller_arn), context))


def irsa(
    policy: Mapping[str, Any],
    provider_arn: str,
    namespace: str,
    name: str,
    audience: str = "sts.amazonaws.com",
    action: str = "sts:AssumeRoleWithWebIdentity",
) -> bool:
    """A pod's projected service-account token exchanged with AssumeRoleWithWebIdentity: the
    token's claims are context keys prefixed with the issuer (the provider ARN's resource)."""
    issuer = provider_arn.split(":oidc-provider/", 1)[1]
    context = {
        f"{issuer}:sub": f"system:serviceaccount:{namespace}:{name}",
        f"{issuer}:aud": audience,
    }
    return allowed(policy, Request(action, Caller("Federated", provider_arn), context))


def pod_identity(
    policy: Mapping[str, Any], cluster_arn: str, namespace: str, name: str, tags: bool = True
) -> bool:
    """The EKS Auth service assumes the role for a pod: sts:AssumeRole and sts:TagSession, with
    the six session tags (none when the association disables session tags)."""
    account = cluster_arn.split(":")[4]
    context: dict[str, Any] = {"aws:SourceAccount": account}
    if tags:
        for key, value in {
            "eks-cluster-arn": cluster_arn,
            "eks-cluster-name": cluster_arn.rsplit("/", 1)[1],
            "kubernetes-namespace": namespace,
            "kubernetes-service-account": name,
            "kubernetes-pod-name": f"{name}-7d4b9c",
            "kubernetes-pod-uid": "0a1b2c3d-0000-4000-8000-000000000000",
        }.items():
            context[f"aws:RequestTag/{key}"] = value
        context["aws:TagKeys"] = [
            k.split("/", 1)[1] for k in context if k.startswith("aws:RequestTag/")
        ]
    caller = Caller("Service", "pods.eks.amazonaws.com")
    return all(
        allowed(policy, Request(a, caller, context)) for a in ("sts:AssumeRole", "sts:TagSession")
    )


def service(
    policy: Mapping[str, Any], principal: str, account: str | None, source_arn: str | None = None
) -> bool:
    """An AWS service assumes the role for a resource of ``account`` (None: it sends no source
    keys, as EC2 does)."""
    context = {}
    if account is not None:
        context["aws:SourceAccount"] = account
    if source_arn is not None:
        context["aws:SourceArn"] = source_arn
    return allowed(policy, Request("sts:AssumeRole", Caller("Service", principal), context))
