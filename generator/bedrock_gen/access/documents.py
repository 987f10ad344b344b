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
from bedrock_gen.config.gateway import Needs, Restrictions
from bedrock_gen.config.guardrail import Guardrail
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
GUARDRAIL_KEY = "bedrock:GuardrailIdentifier"
SERVICE_TIER_KEY = "bedrock:ServiceTier"
BEARER_ACTIONS = ("bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken")
BEARER_TYPE_KEY = "bedrock:BearerTokenType"
SHORT_TERM = "SHORT_TERM"


class Common(NamedTuple):
    """What every invoke statement of a policy carries besides its own resources:
    ``aws:SecureTransport``, and the enforced guardrails' ``bedrock:GuardrailIdentifier``
    values (the invoke actions are allowed only with one of them)."""

    secure: bool = False
    guardrails: tuple[str, ...] = ()


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


def _condition(kind: Kind, values: Sequence[str], common: Common) -> dict[str, Any] | None:
    """An invoke statement's condition: the profiles it is reached through (if any), the
    Region-less evaluation of global profiles, the enforced guardrails."""
    cond: dict[str, dict[str, Any]] = {}
    if values:
        cond[arn_operator(any("*" in v for v in values))] = {PROFILE_KEY: list(values)}
        if kind == GLOBAL:
            cond["StringEquals"] = {REQUESTED_REGION: UNSPECIFIED}
    if common.guardrails:
        op = arn_operator(any("*" in g for g in common.guardrails))
        cond.setdefault(op, {})[GUARDRAIL_KEY] = list(common.guardrails)
    if not cond:
        return None
    return {op: dict(sorted(block.items())) for op, block in sorted(cond.items())}


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

    def document(self, sid: str, common: Common) -> Document:
        values = sorted(self.values)
        return statement(
            sid,
            INVOKE_ACTIONS,
            self.resources,
            _condition(self.kind if self.kind == GLOBAL else ("routed",), values, common),
            common.secure,
        )


@functools.cache
def _skeleton(kind: str, sid: str, op: str, conditioned: bool, common: Common) -> int:
    """Size of a statement whose lists of resources and profiles are empty (``[]`` counted,
    items not); the guardrail values are part of the skeleton."""
    marker = "*" if op == "ArnLike" else ""
    values = [marker] if conditioned else []
    condition = _condition((kind,), values, common)
    if condition is not None and conditioned:
        condition[op][PROFILE_KEY] = []
    return iam_size(statement(sid, INVOKE_ACTIONS, [], condition, common.secure))


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


def fixed_size(statements: Sequence[Document]) -> int:
    """IAM size of statements that are written as they are (each followed by a comma)."""
    return sum(iam_size(s) + 1 for s in statements)


def policy(
    statements: dict[Kind, Statement], fixed: Sequence[Document], common: Common
) -> Document:
    names = sids(k for k, s in statements.items() if s.resources)
    body = [statements[k].document(names[k], common) for k in sorted(names, key=_kind_order)]
    return {"Version": POLICY_VERSION, "Statement": [*body, *fixed]}


class Stats(NamedTuple):
    """What a statement's size depends on besides its Sid."""

    resources: int
    resource_chars: int
    values: int
    value_chars: int
    star: bool  # a condition value with a wildcard: ArnLike instead of StringEquals

    def size(self, kind: Kind, sid: str, common: Common) -> int:
        op = arn_operator(self.star)
        commas = max(self.resources - 1, 0) + max(self.values - 1, 0)
        return (
            _skeleton(kind[0], sid, op, self.values > 0, common)
            + self.resource_chars
            + self.value_chars
            + commas
        )


def sized(stats: dict[Kind, Stats], fixed: int, has_fixed: bool, common: Common) -> int:
    """The IAM size of a policy made of statements with these numbers, and fixed statements
    of ``fixed`` characters (``fixed_size``)."""
    names = sids(k for k, st in stats.items() if st.resources)
    total = _DOC_SKELETON + sum(stats[k].size(k, names[k], common) for k in names)
    total += max(len(names) - 1, 0)
    if has_fixed:
        total += fixed - (0 if names else 1)
    return total


def policy_size(
    statements: dict[Kind, Statement], fixed: Sequence[Document], common: Common
) -> int:
    return sized(
        {k: st.stats() for k, st in statements.items()}, fixed_size(fixed), bool(fixed), common
    )


class Group(NamedTuple):
    """One optional group of statements, placed in a policy part like a model's grants: its
    key (stable across renders, recorded in the manifest's placement) and its statements."""

    key: str
    statements: tuple[Document, ...]


def deny(sid: str, actions: Iterable[str], condition: dict[str, Any] | None = None) -> Document:
    stmt: Document = {"Sid": sid, "Effect": "Deny", "Action": sorted(actions), "Resource": "*"}
    if condition:
        stmt["Condition"] = condition
    return stmt


def restriction_statements(
    restrictions: Restrictions, enforced: Sequence[Guardrail]
) -> list[Group]:
    """What every config's policies deny.

    - Bedrock API keys: AWS's example SCP "Deny-Bedrock-api-keys" denies both
      ``bedrock:CallWithBearerToken`` and ``bedrock-mantle:CallWithBearerToken``; its
      "Deny-Bedrock-long-term-api-keys" denies only ``bedrock:BearerTokenType`` LONG_TERM
      (aws-samples/service-control-policy-examples). ``short_term`` allows the role to use
      keys minted from its own session and denies every other kind.
    - Service tiers: AWS's identity-policy example denies the tiers it lists with
      ``StringEquals bedrock:ServiceTier`` (user guide, "Control access to service tiers").
    - An enforced guardrail: AWS's pattern is an Allow with the guardrail identifier and a Deny
      without it (user guide, guardrails-permissions-id); the Allows carry the condition
      (``Common``), this is the Deny, which also overrides any other policy's grant.
    """
    out = []
    if restrictions.bearer_tokens == "short_term":
        out.append(
            Group(
                "~bearer-tokens",
                (
                    statement(
                        "AllowShortTermBedrockApiKeys",
                        ["bedrock:CallWithBearerToken"],
                        ["*"],
                        {"StringEquals": {BEARER_TYPE_KEY: SHORT_TERM}},
                    ),
                    deny(
                        "DenyOtherBedrockApiKeys",
                        ["bedrock:CallWithBearerToken"],
                        {"StringNotEquals": {BEARER_TYPE_KEY: SHORT_TERM}},
                    ),
                    deny("DenyBedrockMantleApiKeys", ["bedrock-mantle:CallWithBearerToken"]),
                ),
            )
        )
    else:
        out.append(Group("~bearer-tokens", (deny("DenyBedrockApiKeys", BEARER_ACTIONS),)))
    if restrictions.denied_tiers:
        out.append(
            Group(
                "~service-tiers",
                (
                    deny(
                        "DenyOtherServiceTiers",
                        INVOKE_ACTIONS,
                        {"StringEquals": {SERVICE_TIER_KEY: list(restrictions.denied_tiers)}},
                    ),
                ),
            )
        )
    if enforced:
        ids = sorted({g.identifier for g in enforced})
        out.append(
            Group(
                "~guardrail-enforcement",
                (
                    deny(
                        "DenyInvokeWithoutGuardrail",
                        INVOKE_ACTIONS,
                        {"ArnNotEquals": {GUARDRAIL_KEY: ids}},
                    ),
                ),
            )
        )
    return out


def extras(
    guardrails: Sequence[Guardrail],
    subscribe: bool,
    product_ids: Sequence[str] | None,
    needs: Needs,
    count_tokens: Sequence[str],
    profile_arns: Sequence[str],
    model_arns: Sequence[str],
) -> list[Group]:
    """Guardrail, Marketplace and optional-need statements, one group each."""
    secure = needs.secure_transport
    out: list[Group] = []
    if guardrails:
        resources = {r for g in guardrails for r in g.resources()}
        group = [
            statement("AllowApplyGuardrails", ["bedrock:ApplyGuardrail"], resources, secure=secure)
        ]
        if needs.guardrail_reads:
            reads = {r for g in guardrails for r in (g.arn, f"{g.arn}:*")}
            group.append(
                statement("AllowReadGuardrails", ["bedrock:GetGuardrail"], reads, secure=secure)
            )
        out.append(Group("~guardrails", tuple(group)))
    # Subscribe only ever with the product IDs (validate refuses a selected Marketplace model
    # whose ID is unknown); with none known, nothing is granted
    if subscribe and product_ids:
        group = [
            statement(
                "AllowMarketplaceSubscription",
                ["aws-marketplace:Subscribe"],
                ["*"],
                {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": list(product_ids)}},
                secure=secure,
            ),
            statement(
                "AllowMarketplaceViewSubscriptions",
                ["aws-marketplace:ViewSubscriptions"],
                ["*"],
                secure=secure,
            ),
        ]
        out.append(Group("~marketplace", tuple(group)))
    if needs.count_tokens and count_tokens:
        out.append(
            Group(
                "~count-tokens",
                (
                    statement(
                        "AllowCountTokens", ["bedrock:CountTokens"], count_tokens, secure=secure
                    ),
                ),
            )
        )
    if needs.model_discovery:
        group = [
            statement(
                "AllowListModels",
                ["bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles"],
                ["*"],
                secure=secure,
            )
        ]
        if profile_arns:
            group.append(
                statement(
                    "AllowGetInferenceProfiles",
                    ["bedrock:GetInferenceProfile"],
                    profile_arns,
                    secure=secure,
                )
            )
        if model_arns:
            group.append(
                statement(
                    "AllowGetFoundationModels",
                    ["bedrock:GetFoundationModel"],
                    model_arns,
                    secure=secure,
                )
            )
        out.append(Group("~model-discovery", tuple(group)))
    return out
