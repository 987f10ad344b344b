"""IAM statements from pieces, and their exact IAM size without serializing whole documents.

A statement's compact JSON is its "skeleton" (the statement with empty Resource and condition
lists) plus, per list, the lengths of its JSON strings and the commas between them. So a
policy's size is a sum over its statements, each kept up to date as pieces are added: packing
costs time linear in the number of resources.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from bedrock_gen.access.grants import DIRECT, GLOBAL, PORT, PROFILES, Item, Kind
from bedrock_gen.config.gateway import Needs
from bedrock_gen.iam.bedrock import INVOKE_ACTIONS, PROFILE_KEY, REQUESTED_REGION, UNSPECIFIED
from bedrock_gen.iam.limits import iam_size

POLICY_VERSION = "2012-10-17"
Document = dict[str, Any]

SID = {
    PORT: "AllowBedrockInference",
    PROFILES: "AllowInferenceProfiles",
    "routed": "AllowFoundationModelsThroughInferenceProfiles",
    GLOBAL: "AllowGlobalFoundationModelsThroughInferenceProfiles",
    DIRECT: "AllowDirectFoundationModelCalls",
}
SECURE = {"Bool": {"aws:SecureTransport": "true"}}


def _json_len(text: str) -> int:
    return len(json.dumps(text, ensure_ascii=False))


def statement(
    sid: str,
    actions: Iterable[str],
    resources: Iterable[str],
    condition: dict[str, Any] | None = None,
    secure: bool = False,
) -> Document:
    stmt: Document = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": sorted(resources),
    }
    merged = dict(condition or {})
    if secure:
        merged.update(SECURE)
    if merged:
        stmt["Condition"] = dict(sorted(merged.items()))
    return stmt


def arn_operator(star: bool) -> str:
    """ARN keys are compared with ARN operators, as Access Analyzer recommends
    (STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS); ArnEquals reads as exact."""
    return "ArnLike" if star else "ArnEquals"


def _condition(kind: Kind, values: Sequence[str]) -> dict[str, Any] | None:
    if not values:
        return None
    cond: dict[str, Any] = {
        arn_operator(any("*" in v for v in values)): {PROFILE_KEY: list(values)}
    }
    if kind == GLOBAL:
        cond["StringEquals"] = {REQUESTED_REGION: UNSPECIFIED}
    return dict(sorted(cond.items()))


class Statement:
    """One statement being filled: its resources and condition values, with running sums."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.resources: dict[str, None] = {}
        self.values: dict[str, None] = {}
        self.resource_chars = 0
        self.value_chars = 0
        self.star = False  # a condition value with a wildcard

    def add(self, item: Item) -> None:
        if item.resource not in self.resources:
            self.resources[item.resource] = None
            self.resource_chars += _json_len(item.resource)
        if item.condition is not None and item.condition not in self.values:
            self.values[item.condition] = None
            self.value_chars += _json_len(item.condition)
            self.star = self.star or "*" in item.condition

    def stats(self) -> Stats:
        return Stats(
            len(self.resources), self.resource_chars, len(self.values), self.value_chars, self.star
        )

    def stats_with(self, items: Iterable[Item]) -> Stats:
        """The statement's numbers after adding ``items`` (of this kind), without adding."""
        n, chars, m, vchars, star = self.stats()
        new_res = {i.resource for i in items if i.resource not in self.resources}
        new_val = {
            i.condition for i in items if i.condition is not None and i.condition not in self.values
        }
        return Stats(
            n + len(new_res),
            chars + sum(_json_len(r) for r in new_res),
            m + len(new_val),
            vchars + sum(_json_len(v) for v in new_val),
            star or any("*" in v for v in new_val),
        )

    def document(self, sid: str, secure: bool) -> Document:
        values = sorted(self.values)
        return statement(
            sid,
            INVOKE_ACTIONS,
            self.resources,
            _condition(self.kind if self.kind == GLOBAL else ("routed",), values)
            if values
            else None,
            secure,
        )


@functools.cache
def _skeleton(kind: str, sid: str, op: str, conditioned: bool, secure: bool) -> int:
    """Size of a statement whose lists are empty (``[]`` counted, items not)."""
    condition: dict[str, dict[str, Any]] | None = None
    if conditioned:
        condition = {op: {PROFILE_KEY: []}}
        if kind == "global":
            condition["StringEquals"] = {REQUESTED_REGION: UNSPECIFIED}
    return iam_size(statement(sid, INVOKE_ACTIONS, [], condition, secure))


_DOC_SKELETON = iam_size({"Version": POLICY_VERSION, "Statement": []})


def sids(kinds: Iterable[Kind]) -> dict[Kind, str]:
    """The Sid of each statement kind, routed statements numbered in sorted order."""
    out: dict[Kind, str] = {}
    n = 0
    for kind in sorted(kinds, key=_kind_order):
        if kind[0] == "routed":
            n += 1
            out[kind] = SID["routed"] + ("" if n == 1 else str(n))
        else:
            out[kind] = SID[kind]
    return out


def _kind_order(kind: Kind) -> tuple[int, Kind]:
    return ({"port": 0, "profiles": 1, "routed": 2, "global": 3, "direct": 4}[kind[0]], kind)


class Extras(NamedTuple):
    """Statements that are not per model: guardrails, Marketplace, the optional needs."""

    statements: tuple[Document, ...] = ()

    @property
    def size(self) -> int:
        return sum(iam_size(s) + 1 for s in self.statements)


def policy(statements: dict[Kind, Statement], extras: Extras, secure: bool) -> Document:
    names = sids(k for k, s in statements.items() if s.resources)
    body = [statements[k].document(names[k], secure) for k in sorted(names, key=_kind_order)]
    return {"Version": POLICY_VERSION, "Statement": [*body, *extras.statements]}


class Stats(NamedTuple):
    """What a statement's size depends on besides its Sid."""

    resources: int
    resource_chars: int
    values: int
    value_chars: int
    star: bool  # a condition value with a wildcard: ArnLike instead of StringEquals

    def size(self, kind: Kind, sid: str, secure: bool) -> int:
        op = arn_operator(self.star)
        commas = max(self.resources - 1, 0) + max(self.values - 1, 0)
        return (
            _skeleton(kind[0], sid, op, self.values > 0, secure)
            + self.resource_chars
            + self.value_chars
            + commas
        )


def sized(stats: dict[Kind, Stats], extras: Extras, secure: bool) -> int:
    """The IAM size of a policy made of statements with these numbers, and the extras."""
    names = sids(k for k, st in stats.items() if st.resources)
    total = _DOC_SKELETON + sum(stats[k].size(k, names[k], secure) for k in names)
    total += max(len(names) - 1, 0)
    if extras.statements:
        total += extras.size - (0 if names else 1)
    return total


def policy_size(statements: dict[Kind, Statement], extras: Extras, secure: bool) -> int:
    return sized({k: st.stats() for k, st in statements.items()}, extras, secure)


def extras(
    guardrails: Sequence[str],
    subscribe: bool,
    product_ids: Sequence[str] | None,
    needs: Needs,
    count_tokens: Sequence[str],
    profile_arns: Sequence[str],
    model_arns: Sequence[str],
) -> Extras:
    """Guardrail, Marketplace and optional-need statements (they ride in the first policy)."""
    secure = needs.secure_transport
    out: list[Document] = []
    if guardrails:
        resources = {r for arn in guardrails for r in (arn, f"{arn}:*")}
        out.append(
            statement("AllowApplyGuardrails", ["bedrock:ApplyGuardrail"], resources, secure=secure)
        )
        if needs.guardrail_reads:
            out.append(
                statement("AllowReadGuardrails", ["bedrock:GetGuardrail"], resources, secure=secure)
            )
    # Subscribe only ever with the product IDs (validate refuses a selected Marketplace model
    # whose ID is unknown); with none known (models.allow: all) nothing is granted
    if subscribe and product_ids:
        out.append(
            statement(
                "AllowMarketplaceSubscription",
                ["aws-marketplace:Subscribe"],
                ["*"],
                {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": list(product_ids)}},
                secure=secure,
            )
        )
        out.append(
            statement(
                "AllowMarketplaceViewSubscriptions",
                ["aws-marketplace:ViewSubscriptions"],
                ["*"],
                secure=secure,
            )
        )
    if needs.count_tokens and count_tokens:
        out.append(
            statement("AllowCountTokens", ["bedrock:CountTokens"], count_tokens, secure=secure)
        )
    if needs.model_discovery:
        out.append(
            statement(
                "AllowListModels",
                ["bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles"],
                ["*"],
                secure=secure,
            )
        )
        if profile_arns:
            out.append(
                statement(
                    "AllowGetInferenceProfiles",
                    ["bedrock:GetInferenceProfile"],
                    profile_arns,
                    secure=secure,
                )
            )
        if model_arns:
            out.append(
                statement(
                    "AllowGetFoundationModels",
                    ["bedrock:GetFoundationModel"],
                    model_arns,
                    secure=secure,
                )
            )
    return Extras(tuple(out))
