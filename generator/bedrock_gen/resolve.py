"""Resolution: a validated ``Config`` becomes plain IAM documents (pure functions, no I/O).

These dicts are the single source of truth: ``iam/*.json`` and the Terraform module are both
rendered from them. The rules, in short (sources in the catalog):

- A geographic profile call is authorized on the profile ARN in the *source* Region and on the
  foundation-model ARN in *every destination* Region of that source, or it fails at random.
- A global profile call is authorized on the profile and the foundation model in the source
  Region and on the Region-less foundation-model ARN ``arn:aws:bedrock:::foundation-model/ID``.
- Nothing pinned (no ``account_id``, no ``regions``): Port's form, one statement, ``*`` for
  Region and account, so Port's example config renders Port's policy.
- Pinned: profiles are named in the source Regions, and the foundation models are reachable only
  through the listed profiles (``bedrock:InferenceProfileArn``), as AWS's own example does.
  Direct on-demand calls (``models.in_region``) get their own statement.
- Guardrails and Marketplace get statements of their own: ``bedrock:ApplyGuardrail`` is
  authorized against guardrail resources, not models.

Every list is sorted and every dict built in a fixed key order, so the same config gives the
same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from bedrock_gen.catalog import Catalog, Model, Profile
from bedrock_gen.config import Config
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.exceptions import ResolveError

POLICY_VERSION = "2012-10-17"
INVOKE_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
PROFILE_KEY = "bedrock:InferenceProfileArn"
INVOKE_POLICY_FILE = "bedrock-invoke-policy"
TRUST_POLICY_FILE = "trust-policy.json"

SID_PORT = "AllowBedrockInference"
SID_PROFILES = "AllowInferenceProfiles"
SID_MODELS = "AllowFoundationModelsThroughInferenceProfiles"
SID_GLOBAL = "AllowGlobalFoundationModelsThroughInferenceProfiles"
SID_DIRECT = "AllowDirectFoundationModelCalls"
SID_GUARDRAILS = "AllowApplyGuardrails"
SID_SUBSCRIBE = "AllowMarketplaceSubscription"
SID_VIEW = "AllowMarketplaceViewSubscriptions"
SID_TRUST = "AllowGatewayAssumeRole"

Document = dict[str, Any]


class PolicyDocument(NamedTuple):
    """One IAM document with the name and file it is written as, and its IAM size."""

    name: str
    filename: str
    document: Document
    size: int
    limit: int


class Documents(NamedTuple):
    """Everything a config resolves to."""

    invoke: tuple[PolicyDocument, ...]
    trust: PolicyDocument | None

    def all(self) -> tuple[PolicyDocument, ...]:
        return (*self.invoke, *((self.trust,) if self.trust else ()))


def iam_size(document: Document) -> int:
    """Characters IAM counts against its quotas: the document without white space.

    Compact JSON is exact for our documents (no string holds white space) and an upper bound
    for any other (white space inside strings is counted here, never by IAM less).
    """
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def fm_arn(partition: str, region: str, model: str) -> str:
    return f"arn:{partition}:bedrock:{region}::foundation-model/{model}"


def profile_arn(partition: str, region: str, account: str, geography: str, model: str) -> str:
    return f"arn:{partition}:bedrock:{region}:{account}:inference-profile/{geography}.{model}"


class Grant:
    """What one model (or 'every model') needs, by statement kind. Merged per policy.

    Foundation models reached through profiles are grouped by *destination set*: each group
    becomes its own statement whose condition names only the profiles that route to exactly
    those Regions, so no profile is ever granted a Region it does not route to.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.port: set[str] = set()  # unpinned: Port's single statement
        self.profiles: set[str] = set()
        # destination Regions -> (foundation-model ARNs, profile ARNs of the condition)
        self.routed: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
        self.global_models: set[str] = set()  # Region-less ARNs
        self.global_profiles: set[str] = set()
        self.direct: set[str] = set()

    def route(self, destinations: tuple[str, ...], models: Iterable[str], profile: str) -> None:
        fms, profiles = self.routed.setdefault(destinations, (set(), set()))
        fms.update(models)
        profiles.add(profile)

    def merge(self, other: Grant) -> None:
        for name in ("port", "profiles", "global_models", "global_profiles", "direct"):
            getattr(self, name).update(getattr(other, name))
        for dests, (fms, profiles) in other.routed.items():
            mine = self.routed.setdefault(dests, (set(), set()))
            mine[0].update(fms)
            mine[1].update(profiles)

    def empty(self) -> bool:
        return not (self.port or self.profiles or self.routed or self.direct)


class Extras(NamedTuple):
    """Statements that are not per model: guardrails and Marketplace."""

    guardrails: tuple[str, ...] = ()
    subscribe: bool = False
    product_ids: tuple[str, ...] | None = None  # None: not scoped to products


# --------------------------------------------------------------------------------------------
# grants


def _sources(config: Config, profile: Profile) -> list[str]:
    if config.regions is None:
        return ["*"]
    return [r for r in config.regions if r in profile.sources]


def model_grants(config: Config, model: Model) -> list[Grant]:
    """The resources one selected model needs, as pieces that can go to different policies.

    A role's attached policies are evaluated as one union, so a piece (one profile in one
    source Region with the foundation models it routes to) may sit in any of them; pieces are
    merged back into statements inside each policy.
    """
    p = config.partition
    account = config.account_id or "*"
    pieces: list[Grant] = []
    port = Grant(model.id)
    for geo in config.geographies:
        profile = model.profiles.get(geo)
        if profile is None:
            continue
        for source in _sources(config, profile):
            parn = profile_arn(p, source, account, geo, model.id)
            if not config.pinned:
                port.port.update({parn, fm_arn(p, "*", model.id)})
                if profile.is_global:
                    port.port.add(fm_arn(p, "", model.id))
                continue
            piece = Grant(f"{model.id} {geo} {source}")
            piece.profiles.add(parn)
            regions = profile.destinations_from(source)
            piece.route(regions, (fm_arn(p, r, model.id) for r in regions), parn)
            if profile.is_global:
                piece.global_models.add(fm_arn(p, "", model.id))
                piece.global_profiles.add(parn)
            pieces.append(piece)
    if config.in_region and model.in_region:
        where = list(config.regions) if config.regions is not None else ["*"]
        if model.in_region_regions and config.regions is not None:
            where = [r for r in where if r in model.in_region_regions]
        direct = Grant(f"{model.id} in-region")
        for r in where:
            (direct.direct if config.pinned else port.port).add(fm_arn(p, r, model.id))
        pieces.append(direct)
    if not port.empty():
        pieces.insert(0, port)
    return [g for g in pieces if not g.empty()]


def _all_destinations(catalog: Catalog, geo: str, source: str) -> tuple[str, ...]:
    """Every Region any model's ``geo`` profile may route a call from ``source`` to."""
    geography = catalog.geographies[geo]
    widest = Profile(geo, geography.sources, geography.destinations, geography.is_global)
    regions = set(widest.destinations_from(source))
    for m in catalog.models:
        prof = m.profiles.get(geo)
        if prof is not None and (source == "*" or source in prof.sources):
            regions.update(prof.destinations_from(source))
    return tuple(sorted(regions))


def all_models_grant(config: Config, catalog: Catalog) -> Grant:
    """``models.allow: all``: Port's second example, narrowed to the chosen geographies."""
    p = config.partition
    account = config.account_id or "*"
    grant = Grant("*")
    geos = config.geographies
    if not config.pinned:
        if not geos:
            grant.port.update({f"arn:{p}:bedrock:*:*:inference-profile/*", fm_arn(p, "*", "*")})
        for geo in geos:
            grant.port.add(f"arn:{p}:bedrock:*:*:inference-profile/{geo}.*")
            grant.port.add(fm_arn(p, "*", "*"))
            if catalog.geographies[geo].is_global:
                grant.port.add(fm_arn(p, "", "*"))
        if config.in_region:
            grant.port.add(fm_arn(p, "*", "*"))
        return grant
    regions = list(config.regions) if config.regions is not None else ["*"]
    if not geos:
        for r in regions:
            parn = f"arn:{p}:bedrock:{r}:{account}:inference-profile/*"
            grant.profiles.add(parn)
            grant.route(("*",), [fm_arn(p, "*", "*")], parn)
    for geo in geos:
        geography = catalog.geographies[geo]
        for r in regions:
            if r != "*" and r not in geography.sources:
                continue
            parn = f"arn:{p}:bedrock:{r}:{account}:inference-profile/{geo}.*"
            grant.profiles.add(parn)
            if geography.is_global:
                grant.route((r,), [fm_arn(p, r, "*")], parn)
                grant.global_models.add(fm_arn(p, "", "*"))
                grant.global_profiles.add(parn)
            else:
                dests = _all_destinations(catalog, geo, r)
                grant.route(dests, (fm_arn(p, d, "*") for d in dests), parn)
    if config.in_region:
        grant.direct.update(fm_arn(p, r, "*") for r in regions)
    return grant


def extras(config: Config) -> Extras:
    products: tuple[str, ...] | None = None
    subscribe = False
    if config.marketplace_subscribe:
        if config.allow == "all":
            subscribe = True
        else:
            sold = [m for m in config.models if m.marketplace]
            subscribe = bool(sold)
            if sold and all(m.marketplace_product_id for m in sold):
                products = tuple(sorted({m.marketplace_product_id for m in sold
                                         if m.marketplace_product_id}))
    return Extras(config.guardrails, subscribe, products)


# --------------------------------------------------------------------------------------------
# documents


def _condition_op(values: Iterable[str]) -> str:
    return "ArnLike" if any("*" in v for v in values) else "StringEquals"


def _statement(sid: str, actions: list[str], resources: Iterable[str],
               condition: dict[str, Any] | None = None) -> Document:
    stmt: Document = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": sorted(resources),
    }
    if condition:
        stmt["Condition"] = condition
    return stmt


def assemble(grant: Grant, extra: Extras | None) -> Document:
    """One policy document from a merged grant (and, in the first policy, the extras)."""
    statements: list[Document] = []
    if grant.port:
        statements.append(_statement(SID_PORT, INVOKE_ACTIONS, grant.port))
    if grant.profiles:
        statements.append(_statement(SID_PROFILES, INVOKE_ACTIONS, grant.profiles))
    for n, dests in enumerate(sorted(grant.routed), start=1):
        fms, profiles = grant.routed[dests]
        values = sorted(profiles)
        sid = SID_MODELS if n == 1 else f"{SID_MODELS}{n}"
        statements.append(_statement(sid, INVOKE_ACTIONS, fms,
                                     {_condition_op(values): {PROFILE_KEY: values}}))
    if grant.global_models:
        values = sorted(grant.global_profiles)
        op = _condition_op(values)
        condition: dict[str, Any] = {"StringEquals": {"aws:RequestedRegion": "unspecified"}}
        condition.setdefault(op, {})[PROFILE_KEY] = values
        statements.append(_statement(SID_GLOBAL, INVOKE_ACTIONS, grant.global_models,
                                     dict(sorted(condition.items()))))
    if grant.direct:
        statements.append(_statement(SID_DIRECT, INVOKE_ACTIONS, grant.direct))
    if extra is not None:
        if extra.guardrails:
            resources = {r for arn in extra.guardrails for r in (arn, f"{arn}:*")}
            statements.append(_statement(SID_GUARDRAILS, ["bedrock:ApplyGuardrail"], resources))
        if extra.subscribe:
            if extra.product_ids is None:
                statements.append(_statement(
                    SID_SUBSCRIBE,
                    ["aws-marketplace:Subscribe", "aws-marketplace:ViewSubscriptions"], ["*"]))
            else:
                statements.append(_statement(
                    SID_SUBSCRIBE, ["aws-marketplace:Subscribe"], ["*"],
                    {"ForAnyValue:StringEquals":
                        {"aws-marketplace:ProductId": list(extra.product_ids)}}))
                statements.append(_statement(SID_VIEW, ["aws-marketplace:ViewSubscriptions"],
                                             ["*"]))
    return {"Version": POLICY_VERSION, "Statement": statements}


def _merged(grants: Iterable[Grant]) -> Grant:
    total = Grant("merged")
    for g in grants:
        total.merge(g)
    return total


def split(grants: list[Grant], extra: Extras, limit: int) -> list[Document]:
    """Pack grants into as few policies of at most ``limit`` characters as greedily fit.

    Pieces keep their order (a model's pieces stay next to each other); the extras ride in the
    first policy.
    """
    whole = assemble(_merged(grants), extra)
    if iam_size(whole) <= limit:
        return [whole]
    bins: list[list[Grant]] = []
    current: list[Grant] = []
    for grant in grants:
        trial = assemble(_merged([*current, grant]), extra if not bins else None)
        if iam_size(trial) <= limit:
            current.append(grant)
            continue
        alone = assemble(grant, extra if not bins and not current else None)
        if iam_size(alone) > limit:
            raise _too_big(f"the grants for {grant.key} alone take {iam_size(alone):,} "
                           f"characters; a managed policy holds {limit:,}")
        bins.append(current)
        current = [grant]
    bins.append(current)
    return [assemble(_merged(b), extra if i == 0 else None) for i, b in enumerate(bins)]


def _too_big(message: str) -> ResolveError:
    return ResolveError([Diagnostic("error", "policy-too-large", message)])


def trust_policy(config: Config, external_id: str | None) -> Document:
    statement: Document = {
        "Sid": SID_TRUST,
        "Effect": "Allow",
        "Principal": {"AWS": sorted(config.auth.principals)},
        "Action": "sts:AssumeRole",
    }
    if external_id is not None:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return {"Version": POLICY_VERSION, "Statement": [statement]}


def resolve(config: Config, catalog: Catalog, external_id: str | None = None) -> Documents:
    """All IAM documents of a config. ``external_id`` is the value (already read and checked)."""
    if config.allow == "all":
        grants = [all_models_grant(config, catalog)]
    else:
        grants = [g for m in config.models for g in model_grants(config, m)]
    limit = catalog.limits["managed_policy_size"]
    docs = split(grants, extras(config), limit)
    if len(docs) > config.managed_policy_limit:
        total = sum(iam_size(d) for d in docs)
        raise _too_big(
            f"the invoke policy needs {len(docs)} managed policies ({total:,} characters, "
            f"{limit:,} each) but at most {config.managed_policy_limit} can be attached; select "
            "fewer models or geographies, pin fewer regions, or raise "
            "limits.managed_policies_per_entity after raising the IAM quota")
    invoke = []
    for i, doc in enumerate(docs, start=1):
        suffix = "" if len(docs) == 1 else f"-{i}"
        invoke.append(PolicyDocument(
            name=config.invoke_policy_name + suffix,
            filename=f"{INVOKE_POLICY_FILE}{suffix}.json",
            document=doc, size=iam_size(doc), limit=limit,
        ))
    trust = None
    if config.auth.mode == "assume_role":
        doc = trust_policy(config, external_id)
        size = iam_size(doc)
        if size > config.trust_policy_limit:
            raise ResolveError([Diagnostic(
                "error", "trust-policy-too-large",
                f"the trust policy takes {size:,} characters; the role trust policy quota is "
                f"{config.trust_policy_limit:,} (raise limits.trust_policy_size after raising "
                "the IAM quota, up to 4,096)")])
        trust = PolicyDocument(config.auth.role_name + "-trust", TRUST_POLICY_FILE, doc, size,
                               config.trust_policy_limit)
    return Documents(tuple(invoke), trust)
