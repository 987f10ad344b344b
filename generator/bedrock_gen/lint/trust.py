"""Trust-policy rules: who may assume the role, and under which conditions.

Shapes known: AWS principals of another account (external ID), OIDC providers (EKS IRSA:
``:sub`` and ``:aud``), EKS Pod Identity (the session-tag conditions and ``sts:TagSession``),
and service principals (``aws:SourceAccount``/``aws:SourceArn`` where AWS recommends them).
"""

from __future__ import annotations

import re
from typing import Any

from bedrock_gen.iam import arn as arns
from bedrock_gen.iam.limits import external_id_problem
from bedrock_gen.lint.context import Context, Stmt, as_list
from bedrock_gen.load.document import PathKey

POD_IDENTITY = "pods.eks.amazonaws.com"
POD_TAGS = ("aws:requesttag/kubernetes-namespace", "aws:requesttag/kubernetes-service-account")
POD_CLUSTER_TAGS = ("aws:requesttag/eks-cluster-arn", "aws:requesttag/eks-cluster-name")
# Services whose docs recommend aws:SourceAccount / aws:SourceArn in the role trust policy
# (ECS: "it is recommended"); for Lambda the keys are only "can include": a suggestion.
SOURCE_KEYS = {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"}
RECOMMEND_SOURCE = {"ecs-tasks.amazonaws.com"}
ENV_PLACEHOLDER = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}\Z")  # bedrock-gen's ${VAR}
PLACEHOLDER = re.compile(
    r"^(<[^<>]*>|\{\{.*\}\}|x{3,}|changeme|your[-_ ]?external[-_ ]?id|"
    r"external[-_ ]?id|example|placeholder)$",
    re.IGNORECASE,
)


def check(ctx: Context) -> None:
    for st in ctx.statements:
        if not st.allow:
            continue
        principal = st.body.get("Principal")
        path = (*st.path, "Principal")
        if principal == "*":
            ctx.add(
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                path,
                "Principal '*' lets any principal assume the role",
            )
            continue
        if isinstance(principal, dict) and "*" in as_list(principal.get("AWS", [])):
            ctx.add(
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                (*path, "AWS"),
                "Principal AWS '*' lets any AWS principal assume the role",
            )
            continue
        if not isinstance(principal, dict):
            continue
        for key in ("AWS", "Federated", "Service"):
            if key in principal and as_list(principal[key]) == []:
                ctx.add("EMPTY_ARRAY_PRINCIPAL", (*path, key), f"Principal.{key} is an empty list")
        aws = [p for p in as_list(principal.get("AWS", [])) if isinstance(p, str)]
        if aws:
            _external_id(ctx, st, path)
        for fed in as_list(principal.get("Federated", [])):
            if isinstance(fed, str) and ":oidc-provider/" in fed:
                _oidc(ctx, st, fed, (*path, "Federated"))
        for svc in as_list(principal.get("Service", [])):
            if isinstance(svc, str):
                _service(ctx, st, svc, (*path, "Service"))


def _external_id(ctx: Context, st: Stmt, path: PathKey) -> None:
    ids = [(op, k, v, p) for op, k, v, p in st.conditions() if k.lower() == "sts:externalid"]
    if not ids:
        ctx.add(
            "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID",
            path,
            "AWS principals may assume the role without an sts:ExternalId",
        )
        return
    for _op, _key, value, vpath in ids:
        for i, v in enumerate(as_list(value)):
            full = (*vpath, i) if isinstance(value, list) else vpath
            if not isinstance(v, str) or ENV_PLACEHOLDER.match(v):
                continue  # ${VAR}: bedrock-gen fills it in when it is applied
            if v != v.strip():
                ctx.add(
                    "TRUST_EXTERNAL_ID_WHITESPACE",
                    full,
                    "the external ID has white space at one end",
                )
            elif PLACEHOLDER.match(v):
                ctx.add(
                    "TRUST_EXTERNAL_ID_PLACEHOLDER",
                    full,
                    f"{v} is a placeholder, not an external ID",
                )
            elif external_id_problem(v) is not None:
                ctx.add("TRUST_EXTERNAL_ID_INVALID", full, "the external ID breaks STS's rules")


def _oidc(ctx: Context, st: Stmt, provider: str, path: PathKey) -> None:
    issuer = provider.split(":oidc-provider/", 1)[1].lower()
    if not any(arns.action_match(a, "sts:AssumeRoleWithWebIdentity") for a in st.actions()):
        ctx.add(
            "MISMATCHED_ACTION_FOR_PRINCIPAL",
            (*st.path, "Action"),
            "an OIDC provider is trusted, but sts:AssumeRoleWithWebIdentity is not allowed",
        )
    claims: dict[str, list[tuple[str, Any, PathKey]]] = {}
    for op, key, value, vpath in st.conditions():
        lower = key.lower()
        if lower.startswith(issuer + ":"):
            claims.setdefault(lower.rsplit(":", 1)[1], []).append((op, value, vpath))
    if not claims:
        ctx.add(
            "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
            path,
            f"{provider} is trusted without any condition on its claims",
        )
        return
    if "sub" not in claims:
        ctx.add("TRUST_OIDC_WITHOUT_SUB", path, f"{provider} is trusted without a ':sub' condition")
    if "aud" not in claims:
        ctx.add(
            "TRUST_OIDC_WITHOUT_AUD", path, f"{provider} is trusted without an ':aud' condition"
        )
    for op, value, vpath in claims.get("sub", []):
        if "like" in op.lower() and any(
            isinstance(v, str) and arns.has_wildcard(v) for v in as_list(value)
        ):
            ctx.add(
                "TRUST_OIDC_WILDCARD_SUBJECT",
                vpath,
                "the ':sub' condition matches service accounts by wildcard",
            )


def _binding(st: Stmt) -> dict[str, list[tuple[str, Any, PathKey]]]:
    """Condition entries that hold only when the key is sent with a matching value: positive
    operators without ``IfExists`` (a key that is not sent makes ``...IfExists`` true, and EKS
    sends no session tags for an association with ``disableSessionTags``)."""
    out: dict[str, list[tuple[str, Any, PathKey]]] = {}
    for op, key, value, vpath in st.conditions():
        base = op.split(":")[-1].lower()
        if "not" in base or base.endswith("ifexists") or base == "null":
            continue
        out.setdefault(key.lower(), []).append((op, value, vpath))
    return out


def _service(ctx: Context, st: Stmt, service: str, path: PathKey) -> None:
    if service == POD_IDENTITY:
        _pod_identity(ctx, st, path)
        return
    if service in RECOMMEND_SOURCE and not set(_binding(st)) & SOURCE_KEYS:
        ctx.add(
            "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
            path,
            f"{service} is trusted without aws:SourceAccount or aws:SourceArn",
        )


def _pod_identity(ctx: Context, st: Stmt, path: PathKey) -> None:
    """EKS Pod Identity: sts:TagSession, and the session tags that name the workload."""
    if not any(arns.action_match(a, "sts:TagSession") for a in st.actions()):
        ctx.add(
            "TRUST_POD_IDENTITY_WITHOUT_TAG_SESSION",
            (*st.path, "Action"),
            "EKS Pod Identity tags the session, so it needs sts:TagSession",
        )
    bound = _binding(st)
    missing = [k.split("/", 1)[1] for k in POD_TAGS if k not in bound]
    if missing:
        ctx.add(
            "TRUST_POD_IDENTITY_UNSCOPED",
            path,
            f"{POD_IDENTITY} is trusted without a "
            f"condition that requires the {' and '.join(missing)} session tag"
            + ("s" if len(missing) > 1 else ""),
        )
        return
    for key in POD_TAGS:
        for op, value, vpath in bound[key]:
            if "like" in op.lower() and any(
                isinstance(v, str) and arns.has_wildcard(v) for v in as_list(value)
            ):
                ctx.add(
                    "TRUST_POD_IDENTITY_UNSCOPED",
                    vpath,
                    f"the {key.split('/', 1)[1]} session tag is matched by wildcard",
                )
    if not any(k in bound for k in POD_CLUSTER_TAGS):
        ctx.add(
            "TRUST_POD_IDENTITY_ANY_CLUSTER",
            path,
            f"{POD_IDENTITY} is trusted for the "
            "namespace and service account in every cluster of the account",
        )
