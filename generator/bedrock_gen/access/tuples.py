"""Policies expanded into access tuples: what they let the gateway do, call by call.

``diff`` compares two expansions and ``explain`` prints one. The expansion asks the evaluator
(``iam.evaluate``) about every call the catalog says can be made, as Bedrock authorizes it:

- through a profile from a source Region: the profile in the source Region, then the model in
  each Region the call may be served in (``bedrock:InferenceProfileArn`` set; global profiles
  also Region-less, ``aws:RequestedRegion`` = ``unspecified``);
- directly (no profile) in a Region where the model is on demand;
- every other action of the services a gateway touches (all of AWS's Service Authorization
  Reference for them, ``iam.actions``), on each resource the documents name and on a probe of
  every resource type in AWS's ARN format (so ``bedrock:*`` or ``NotAction`` show up), Marketplace
  subscriptions per product, and a few actions of other services;
- for trust policies: who may assume the role, with what action, under which conditions.

Wildcards are expanded over the catalog plus a stand-in for models, guardrails and products
nobody names (``OTHER_MODEL``...), so "any model" is a tuple too. Each call through a profile
whose model is missing in some destination Region is reported as an under-grant; a model allowed
through a geographic profile in a Region that profile never routes to from that source, as an
over-grant. (A global profile's call is authorized only on the source Region's model ARN and the
Region-less one, which every global route may use; no other pairing is ever requested, so a
global grant cannot leak a route.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from bedrock_gen.catalog.model import Catalog, Profile
from bedrock_gen.iam import actions as known
from bedrock_gen.iam import arn as arns
from bedrock_gen.iam.bedrock import (
    INVOKE_ACTIONS,
    PROFILE_KEY,
    REQUESTED_REGION,
    UNSPECIFIED,
    fm_arn,
    profile_arn,
)
from bedrock_gen.iam.evaluate import Evaluator, Policy, Request, as_list

OTHER_MODEL = "bedrock-gen.any-other-model"
OTHER_GUARDRAIL = "bedrockgenprobe"
OTHER_PRODUCT = "prod-bedrockgenprobe"
PROBE_ACCOUNT = "111122223333"
PROBE_ID = "bedrock-gen-probe"
SERVICES = ("bedrock", "bedrock-mantle", "aws-marketplace", "sts")
# Actions of other services, asked so that '*' and NotAction grants show up.
SENTINELS = (
    "iam:PassRole",
    "iam:CreateUser",
    "s3:GetObject",
    "ec2:RunInstances",
    "kms:Decrypt",
    "lambda:InvokeFunction",
    "secretsmanager:GetSecretValue",
)
REGIONLESS = ""


class Access(NamedTuple):
    kind: str  # invoke | direct | action | guardrail | marketplace | trust
    action: str
    model: str = ""
    geography: str = ""
    source: str = ""
    destination: str = ""  # "" is the Region-less evaluation of a global profile
    target: str = ""  # a resource, guardrail, product or trusted principal
    condition: str = ""  # trust: what the caller must also present
    account: str = ""


class Broken(NamedTuple):
    """An under-grant: calls through a profile from a source fail when served in ``missing``."""

    model: str
    geography: str
    source: str
    missing: tuple[str, ...]


class Leak(NamedTuple):
    """An over-grant: the model is allowed through a profile in Regions it never routes to."""

    model: str
    geography: str
    source: str
    regions: tuple[str, ...]


class Expansion(NamedTuple):
    access: frozenset[Access]
    under: tuple[Broken, ...]
    over: tuple[Leak, ...]
    account: str
    partition: str
    # What the documents deny or require besides their grants, one plain line each (explicit
    # denies, the guardrail every invoke call must carry).
    restrictions: tuple[str, ...] = ()


def _resources(policies: Sequence[Policy]) -> list[str]:
    out = []
    for p in policies:
        for st in as_list(p.document.get("Statement", [])):
            if isinstance(st, dict):
                out += [r for r in as_list(st.get("Resource", [])) if isinstance(r, str)]
    return out


GUARDRAIL_KEY = "bedrock:GuardrailIdentifier"


def _context(
    region: str, profile: str | None = None, guardrail: str | None = None
) -> dict[str, list[str]]:
    ctx = {REQUESTED_REGION: [region or UNSPECIFIED], "aws:SecureTransport": ["true"]}
    if profile is not None:
        ctx[PROFILE_KEY] = [profile]
    if guardrail is not None:
        ctx[GUARDRAIL_KEY] = [guardrail]
    return ctx


def guardrail_identifiers(policies: Iterable[Policy]) -> list[str]:
    """The concrete ``bedrock:GuardrailIdentifier`` values the documents name: a call that
    carries one of them is what an enforcing policy allows."""
    out: set[str] = set()
    for p in policies:
        for st in as_list(p.document.get("Statement", [])):
            cond = st.get("Condition") if isinstance(st, dict) else None
            if not isinstance(cond, dict):
                continue
            for block in cond.values():
                if not isinstance(block, dict):
                    continue
                for key, value in block.items():
                    if key.lower() == GUARDRAIL_KEY.lower():
                        out.update(v for v in as_list(value) if isinstance(v, str) and "*" not in v)
    return sorted(out)


class _Invoke:
    """Invoke requests, asked without a guardrail and then with each guardrail the documents
    name: access a call has when it carries the enforced guardrail is access."""

    def __init__(self, ev: Evaluator, guardrails: Sequence[str]) -> None:
        self.ev = ev
        self.guardrails: list[str | None] = [None, *guardrails]

    def allowed(self, action: str, resource: str, region: str, profile: str | None = None) -> bool:
        return any(
            self.ev.allowed(Request(action, resource, _context(region, profile, g)))
            for g in self.guardrails
        )


class _Universe:
    """What to ask about: the models, account and partition the documents concern."""

    def __init__(
        self, policies: Sequence[Policy], catalog: Catalog, account: str | None = None
    ) -> None:
        self.catalog = catalog
        resources = _resources(policies)
        accounts = accounts_of(policies)
        partitions: set[str] = set()
        named: set[str] = set()
        wild = any(r == "*" for r in resources) or any(
            "NotResource" in st
            for p in policies
            for st in as_list(p.document.get("Statement", []))
            if isinstance(st, dict)
        )
        for text in resources:
            parsed = arns.parse(text)
            if parsed is None or not arns.glob_match(parsed.service, "bedrock"):
                continue
            partitions.add(parsed.partition)
            ident = parsed.ident
            if parsed.kind in ("inference-profile", "foundation-model") or arns.has_wildcard(
                parsed.kind
            ):
                if arns.has_wildcard(ident) or arns.has_wildcard(parsed.kind):
                    wild = True
                elif parsed.kind == "inference-profile":
                    named.add(ident.partition(".")[2] or ident)
                else:
                    named.add(ident)
        self.account = account or (sorted(accounts)[0] if accounts else PROBE_ACCOUNT)
        self.accounts = accounts
        concrete = sorted(p for p in partitions if not arns.has_wildcard(p))
        self.partition = concrete[0] if concrete else "aws"
        models = set(named)
        if wild:
            models |= {m.id for m in catalog.models} | {OTHER_MODEL}
        self.models = sorted(models)
        self.regions = sorted(
            r for r, v in catalog.regions.items() if v.partition == self.partition
        )

    def profiles(self, model_id: str) -> dict[str, Profile]:
        model = self.catalog.by_id.get(model_id)
        if model is not None:  # a profile of another partition has no ARN in this one
            return {
                g: p
                for g, p in model.profiles.items()
                if g not in self.catalog.geographies
                or self.catalog.geographies[g].partition == self.partition
            }
        return {
            g: Profile(g, self.catalog.geography_routes(g), geo.is_global)
            for g, geo in self.catalog.geographies.items()
            if geo.partition == self.partition
        }

    def on_demand(self, model_id: str, region: str) -> bool:
        model = self.catalog.by_id.get(model_id)
        return model is None or model.on_demand_in(region)


def _invoke(
    ev: _Invoke, u: _Universe, out: set[Access], under: list[Broken], over: list[Leak]
) -> None:
    for model in u.models:
        for geo, profile in sorted(u.profiles(model).items()):
            for source in profile.sources:
                parn = profile_arn(u.partition, source, u.account, geo, model)
                dests = (
                    [source, REGIONLESS] if profile.is_global else list(profile.served_in(source))
                )
                for action in INVOKE_ACTIONS:
                    if not ev.allowed(action, parn, source):
                        continue
                    missing = []
                    for dest in dests:
                        if ev.allowed(action, fm_arn(u.partition, dest, model), dest, parn):
                            out.add(
                                Access(
                                    "invoke", action, model, geo, source, dest, account=u.account
                                )
                            )
                        else:
                            missing.append(dest or "(Region-less)")
                    if action != INVOKE_ACTIONS[0]:
                        continue
                    if missing:
                        under.append(Broken(model, geo, source, tuple(missing)))
                    leaked = (
                        []
                        if profile.is_global
                        else [
                            r
                            for r in u.regions
                            if r not in dests
                            and ev.allowed(action, fm_arn(u.partition, r, model), r, parn)
                        ]
                    )
                    if leaked:
                        over.append(Leak(model, geo, source, tuple(leaked)))


def _direct(ev: _Invoke, u: _Universe, out: set[Access]) -> None:
    for model in u.models:
        for region in u.regions:
            if not u.on_demand(model, region):
                continue
            for action in INVOKE_ACTIONS:
                if ev.allowed(action, fm_arn(u.partition, region, model), region):
                    out.add(Access("direct", action, model, "", region, region, account=u.account))


def _probe_region(u: _Universe) -> str:
    return "us-east-1" if u.partition == "aws" else u.regions[0] if u.regions else "*"


def _probe_arn(u: _Universe, service: str, kind: str, region: str | None = None) -> str:
    """An ARN of resource type ``kind`` nobody names, in AWS's ARN format for the type."""
    region = region or _probe_region(u)
    if service == "bedrock" and kind == "foundation-model":
        return fm_arn(u.partition, region, OTHER_MODEL)
    if service == "bedrock" and kind == "guardrail":
        return f"arn:{u.partition}:bedrock:{region}:{u.account}:guardrail/{OTHER_GUARDRAIL}"
    rt = known.resource_types(service).get(kind)
    if rt is None or not rt.arn_formats:
        return f"arn:{u.partition}:{service}:{region}:{u.account}:{kind}/{PROBE_ID}"
    return known.example_arn(rt.arn_formats[0], u.partition, region, u.account, PROBE_ID)


# Resource types whose invoke calls ``_invoke`` and ``_direct`` expand route by route.
ROUTED_TYPES = frozenset({"foundation-model", "inference-profile"})
# Condition keys whose values in the documents are asked about: a grant conditioned on one of
# them (a tag, a Mantle model, a model a project call names, the service a role is passed to)
# is access only for requests that carry that value.
PROBED_KEYS = (
    "aws:resourcetag/",
    "bedrock-mantle:model",
    "bedrock:modelarn",
    "iam:passedtoservice",
)
POSITIVE_OPERATORS = ("stringequals", "stringlike", "arnequals", "arnlike")


class Probes:
    """The values of ``PROBED_KEYS`` the documents' Allow statements name, with the action
    patterns of their statements."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        self.items: list[tuple[str, str, tuple[str, ...]]] = []
        seen: set[tuple[str, str, tuple[str, ...]]] = set()
        for p in policies:
            for st in as_list(p.document.get("Statement", [])):
                if not isinstance(st, dict) or st.get("Effect") != "Allow":
                    continue
                cond = st.get("Condition")
                if not isinstance(cond, dict):
                    continue
                patterns = tuple(a for a in as_list(st.get("Action", [])) if isinstance(a, str))
                for op, block in cond.items():
                    base = str(op).rpartition(":")[2].lower().removesuffix("ifexists")
                    if base not in POSITIVE_OPERATORS or not isinstance(block, dict):
                        continue
                    for key, values in block.items():
                        if not str(key).lower().startswith(PROBED_KEYS):
                            continue
                        for v in as_list(values):
                            item = (str(key), str(v), patterns)
                            if isinstance(v, str) and "*" not in v and item not in seen:
                                seen.add(item)
                                self.items.append(item)

    def for_action(self, action: str) -> list[tuple[str, str]]:
        return sorted(
            {
                (key, value)
                for key, value, patterns in self.items
                if any(arns.action_match(p, action) for p in patterns)
            }
        )


def _regions_named(resources: Iterable[str]) -> list[str]:
    out = set()
    for text in resources:
        parsed = arns.parse(text)
        if parsed is not None and parsed.region and not arns.has_wildcard(parsed.region):
            out.add(parsed.region)
    return sorted(out)


def _targets(
    u: _Universe,
    service: str,
    kinds: Sequence[str],
    by_kind: dict[tuple[str, str], list[str]],
    regions: Sequence[str],
) -> list[tuple[str, str]]:
    """The named resources of these types, and a probe of each type in the default Region
    ("any TYPE") and in every other Region the documents name ("any TYPE in REGION")."""
    targets = [(r, r) for kind in kinds for r in by_kind.get((service, kind), [])]
    home = _probe_region(u)
    for kind in kinds:
        targets.append((_probe_arn(u, service, kind), f"any {kind}"))
        targets += [
            (_probe_arn(u, service, kind, r), f"any {kind} in {r}") for r in regions if r != home
        ]
    return targets


def _actions(
    ev: Evaluator, u: _Universe, named: list[str], out: set[Access], probes: Probes
) -> None:
    concrete = [r for r in named if r != "*" and not arns.has_wildcard(r)]
    regions = _regions_named(named)
    by_kind: dict[tuple[str, str], list[str]] = {}
    for r in concrete:
        for rt in known.resource_types_of(r):  # by AWS's ARN formats
            by_kind.setdefault((rt.service, rt.name), []).append(r)
    for service in SERVICES:
        for name, action in sorted((known.actions(service) or {}).items()):
            full = f"{service}:{name}"
            kinds = list(action.resource_types)
            if full in INVOKE_ACTIONS:
                # Calls of models and system profiles are expanded route by route
                # (``_invoke``, ``_direct``); provisioned models, projects, application
                # profiles... are resources like any other.
                kinds = [k for k in kinds if k not in ROUTED_TYPES]
                if not kinds:
                    continue
            if service == "aws-marketplace" and name == "Subscribe":
                _subscribe(ev, u, out)
                continue
            targets = _targets(u, service, kinds, by_kind, regions)
            if not action.resource_types:
                targets = [("*", "*")]
            extra = probes.for_action(full)
            for resource, label in targets:
                parsed = arns.parse(resource)
                region = parsed.region if parsed is not None else "us-east-1"
                kind = (
                    "guardrail" if "guardrail" in label or ":guardrail/" in resource else "action"
                )
                if ev.allowed(Request(full, resource, _context(region))):
                    out.add(Access(kind, full, target=label, account=u.account))
                    continue
                for key, value in extra:
                    ctx = {**_context(region), key: [value]}
                    if ev.allowed(Request(full, resource, ctx)):
                        out.add(
                            Access(
                                kind,
                                full,
                                target=f"{label} with {key} = {value}",
                                account=u.account,
                            )
                        )
    for full in SENTINELS:
        if ev.allowed(Request(full, "*", _context("us-east-1"))):
            out.add(Access("action", full, target="*", account=u.account))
    _pass_role(ev, u, named, out, probes)


def _pass_role(
    ev: Evaluator, u: _Universe, named: list[str], out: set[Access], probes: Probes
) -> None:
    """iam:PassRole of each role the documents name: to which services it may be passed."""
    roles = sorted({r for r in named if ":iam::" in r and ":role/" in r and "*" not in r})
    extra = probes.for_action("iam:PassRole")
    for role in roles:
        if ev.allowed(Request("iam:PassRole", role, _context(""))):
            out.add(Access("action", "iam:PassRole", target=role, account=u.account))
            continue
        for key, value in extra:
            ctx = {**_context(""), key: [value]}
            if ev.allowed(Request("iam:PassRole", role, ctx)):
                out.add(
                    Access(
                        "action",
                        "iam:PassRole",
                        target=f"{role} with {key} = {value}",
                        account=u.account,
                    )
                )


APPLICATION = "application"


def _application(
    ev: _Invoke, u: _Universe, named: list[str], out: set[Access], probes: Probes
) -> None:
    """Calls through application inference profiles, per Region the documents allow them in:
    which foundation models they reach, and where (the policy cannot say which model a profile
    copies, so every model is asked in every Region, and the Region-less ARN)."""
    regions: dict[str, str] = {}
    for text in named:
        parsed = arns.parse(text)
        if (
            parsed is None
            or parsed.kind != "application-inference-profile"
            or not parsed.region
            or arns.has_wildcard(parsed.region)
        ):
            continue
        account = (
            u.account if arns.has_wildcard(parsed.account) or not parsed.account else parsed.account
        )
        regions[parsed.region] = account
    for region, account in sorted(regions.items()):
        arn = (
            f"arn:{u.partition}:bedrock:{region}:{account}:application-inference-profile/{PROBE_ID}"
        )
        for action in INVOKE_ACTIONS:
            contexts = [_context(region)] + [
                {**_context(region), key: [value]} for key, value in probes.for_action(action)
            ]
            if not any(ev.ev.allowed(Request(action, arn, c)) for c in contexts):
                continue
            for model in u.models:
                for dest in [*u.regions, REGIONLESS]:
                    if ev.allowed(action, fm_arn(u.partition, dest, model), dest, arn):
                        out.add(
                            Access(
                                "invoke",
                                action,
                                model,
                                APPLICATION,
                                region,
                                dest,
                                account=u.account,
                            )
                        )


def _subscribe(ev: Evaluator, u: _Universe, out: set[Access]) -> None:
    products = {m.marketplace_product_id for m in u.catalog.models if m.marketplace_product_id}
    products.add(OTHER_PRODUCT)
    for product in sorted(products):
        ctx = {**_context("us-east-1"), "aws-marketplace:ProductId": [product]}
        if ev.allowed(Request("aws-marketplace:Subscribe", "*", ctx)):
            label = "any other product" if product == OTHER_PRODUCT else product
            out.add(
                Access("marketplace", "aws-marketplace:Subscribe", target=label, account=u.account)
            )


def _trust(policies: Sequence[Policy], out: set[Access]) -> None:
    for policy in policies:
        for st in as_list(policy.document.get("Statement", [])):
            if not isinstance(st, dict) or st.get("Effect") != "Allow":
                continue
            principal = st.get("Principal")
            who = (
                ["*"]
                if principal == "*"
                else [
                    f"{kind}:{value}"
                    for kind, values in sorted((principal or {}).items())
                    for value in as_list(values)
                    if isinstance(value, str)
                ]
            )
            condition = _condition_text(st.get("Condition"))
            for action in as_list(st.get("Action", [])):
                for w in who:
                    out.add(Access("trust", str(action), target=w, condition=condition))


def _condition_text(condition: Any) -> str:
    """The trust conditions a caller must meet; an external ID's value is never shown."""
    if not isinstance(condition, dict):
        return ""
    parts = []
    for op, block in sorted(condition.items()):
        if not isinstance(block, dict):
            continue
        for key, value in sorted(block.items()):
            shown = (
                "(the external ID)"
                if key.lower() == "sts:externalid"
                else json.dumps(value, sort_keys=True)
            )
            parts.append(f"{op} {key} {shown}")
    return "; ".join(parts)


def accounts_of(policies: Iterable[Policy]) -> set[str]:
    """The accounts the documents pin their inference profiles to; without any, the accounts
    of the other Bedrock resources they name (application profiles, projects, jobs...), but
    never a guardrail's, which may be another account's."""
    profiles, others = set(), set()
    for text in _resources([p for p in policies if p.kind == "identity"]):
        parsed = arns.parse(text)
        if parsed is None or not parsed.account.isdigit():
            continue
        if parsed.kind == "inference-profile":
            profiles.add(parsed.account)
        elif parsed.service in ("bedrock", "bedrock-mantle") and "guardrail" not in parsed.kind:
            others.add(parsed.account)
    return profiles or others


def expand(policies: Iterable[Policy], catalog: Catalog, account: str | None = None) -> Expansion:
    """Every access the documents grant, the calls they break and the grants no call uses.
    ``account``: the gateway's account to ask about (default: the one the documents pin)."""
    docs = list(policies)
    identity = [p for p in docs if p.kind == "identity"]
    trust = [p for p in docs if p.kind == "trust"]
    u = _Universe(identity, catalog, account)
    ev = Evaluator(identity)
    out: set[Access] = set()
    under: list[Broken] = []
    over: list[Leak] = []
    if identity:
        invoke = _Invoke(ev, guardrail_identifiers(identity))
        probes = Probes(identity)
        _invoke(invoke, u, out, under, over)
        _direct(invoke, u, out)
        _actions(ev, u, _resources(identity), out, probes)
        _application(invoke, u, _resources(identity), out, probes)
    _trust(trust, out)
    return Expansion(
        frozenset(out),
        tuple(sorted(under)),
        tuple(sorted(over)),
        u.account,
        u.partition,
        restrictions(identity),
    )


def restrictions(policies: Iterable[Policy]) -> tuple[str, ...]:
    """The documents' explicit denies and required guardrails, one line each."""
    out: list[str] = []
    docs = list(policies)
    ids = guardrail_identifiers(docs)
    if ids:
        out.append(
            "bedrock:InvokeModel and InvokeModelWithResponseStream only with the guardrail "
            + " or ".join(ids)
            + " (bedrock:GuardrailIdentifier)"
        )
    for p in docs:
        for st in as_list(p.document.get("Statement", [])):
            if not isinstance(st, dict) or st.get("Effect") != "Deny":
                continue
            actions = ", ".join(str(a) for a in as_list(st.get("Action", [])))
            cond = _condition_text(st.get("Condition"))
            line = f"denied: {actions}" + (f" when {cond}" if cond else "")
            if line not in out:
                out.append(line)
    return tuple(out)
