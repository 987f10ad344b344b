"""Resolution: a validated ``Config`` becomes plain IAM documents (pure functions, no I/O).

These documents are the single source of truth: ``iam/*.json`` and the Terraform module are
both rendered from them. ``grants`` says what each model needs, ``packing`` where each piece
goes, ``documents`` how statements look; the trust policy comes from the auth mode.

Every list is sorted and every dict built in a fixed key order, so the same config (and the
same previous placement of pieces) gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from bedrock_gen.access import documents, grants, surfaces
from bedrock_gen.access.packing import check_sizes, pack
from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.model import Config
from bedrock_gen.diagnostics import error
from bedrock_gen.errors import ResolveError
from bedrock_gen.gateways.base import TrustContext
from bedrock_gen.gateways.registry import MODES
from bedrock_gen.iam import limits
from bedrock_gen.iam.bedrock import fm_arn, profile_arn

INVOKE_POLICY_FILE = "bedrock-invoke-policy"
TRUST_POLICY_FILE = "trust-policy.json"
# The batch service role's documents: for the module to create, never attached to the gateway
# (``api.access_policies`` leaves them out of the gateway's access, as it does SCPs).
BATCH_PREFIX = "batch-service-role-"
BATCH_TRUST_FILE = BATCH_PREFIX + "trust.json"
BATCH_POLICY_FILE = BATCH_PREFIX + "policy.json"

Document = dict[str, Any]


class PolicyDocument(NamedTuple):
    """One IAM document with the name and file it is written as, and its IAM size."""

    name: str
    filename: str
    document: Document
    size: int
    limit: int
    part: int = 0  # the invoke policy part (stable key); 0 for the trust policy
    pieces: tuple[str, ...] = ()


class Documents(NamedTuple):
    """Everything a config resolves to."""

    invoke: tuple[PolicyDocument, ...]
    trust: PolicyDocument | None
    moved: tuple[tuple[str, int, int], ...] = ()  # pieces that had to change part
    scp: PolicyDocument | None = None  # for the organization's admin, not attached
    # The batch service role's trust and permissions policy (``batch``): another role's.
    batch: tuple[PolicyDocument, ...] = ()

    def all(self) -> tuple[PolicyDocument, ...]:
        return (*self.invoke, *((self.trust,) if self.trust else ()))

    def placement(self) -> dict[str, int]:
        """Which part each piece sits in (kept in the render manifest)."""
        return {key: doc.part for doc in self.invoke for key in doc.pieces}


def part_filename(part: int) -> str:
    return f"{INVOKE_POLICY_FILE}{'' if part == 1 else f'-{part}'}.json"


def part_name(config: Config, part: int, first_suffixed: bool = False) -> str:
    """The managed policy's name. Part 1 has no suffix, except in a module upgraded from
    bedrock-gen 0.1's split layout, which named it ``-1``: renaming it would replace the policy
    while it is attached."""
    return config.invoke_policy_name + ("" if part == 1 and not first_suffixed else f"-{part}")


def _groups(config: Config, catalog: Catalog) -> list[documents.Group]:
    """The optional groups of statements, in the order a new config places them."""
    out = _extras(config, catalog)
    out += documents.restriction_statements(config.restrictions, config.enforced_guardrails)
    if config.surfaces.any:
        if catalog is None:
            from bedrock_gen.catalog.bundled import load

            catalog = load()
        out += surfaces.groups(config, catalog, common(config))
    return out


def optional_pieces(
    config: Config, catalog: Catalog, budget: int = limits.MANAGED_POLICY_SIZE - 1024
) -> list[grants.Piece]:
    """The optional groups as pieces: packed like a model's grants (``packing``), placed
    before the models in a new config (so they sit where they always did, in part 1). A group
    is one piece per statement, and a statement longer than ``budget`` is cut into several
    (``Sid``, ``Sid2``, ...), so no group is ever too big for a part of its own."""
    out = []
    for i, g in enumerate(_groups(config, catalog)):
        statements = [c for st in g.statements for c in _chunks(st, budget)]
        for j, st in enumerate(statements):
            key = g.key if j == 0 else f"{g.key} {j + 1}"
            out.append(grants.Piece(key, (-2, f"{i:02d}", f"{j:04d}"), (), (st,)))
    return out


def _chunks(statement: Document, budget: int) -> list[Document]:
    resources = statement.get("Resource")
    if limits.iam_size(statement) <= budget or not isinstance(resources, list):
        return [statement]
    out: list[Document] = []
    current: list[str] = []
    for r in resources:
        trial = {**statement, "Sid": statement["Sid"] + "99", "Resource": [*current, r]}
        if current and limits.iam_size(trial) > budget:
            out.append({**statement, "Resource": current})
            current = []
        current.append(r)
    out.append({**statement, "Resource": current})
    return [
        {**c, "Sid": c["Sid"] + ("" if n == 0 else str(n + 1))} if "Sid" in c else c
        for n, c in enumerate(out)
    ]


def common(config: Config) -> documents.Common:
    return documents.Common(
        config.needs.secure_transport,
        tuple(sorted({g.identifier for g in config.enforced_guardrails})),
    )


def _extras(config: Config, catalog: Catalog) -> list[documents.Group]:
    """Guardrails, Marketplace and the opt-in permissions. Subscribe names its products: the
    selected models' (validate refuses one whose ID is unknown), or with ``allow: all`` every
    product ID the catalog knows (a model without a known ID is never subscribed to)."""
    products: list[str] | None = None
    subscribe = False
    if config.marketplace_subscribe:
        app_models = [p.model for p in config.surfaces.application_profiles]
        sold = (
            [m for m in catalog.models if m.marketplace]
            if config.allow == "all"
            else [
                m
                for m in {m.id: m for m in (*config.models, *app_models)}.values()
                if m.marketplace
            ]
        )
        subscribe = bool(sold)
        products = sorted({m.marketplace_product_id for m in sold if m.marketplace_product_id})
    model_arns: list[str] = []
    profile_arns: list[str] = []
    if config.needs.count_tokens or config.needs.model_discovery:
        model_arns, profile_arns = _source_arns(config)
    return documents.extras(
        config.applied_guardrails,
        subscribe,
        products,
        config.needs,
        model_arns,
        profile_arns,
        model_arns,
    )


def count_tokens_arns(config: Config) -> list[str]:
    """The foundation models bedrock:CountTokens is granted on (``permissions.count_tokens``)."""
    return _source_arns(config)[0] if config.needs.count_tokens else []


def _source_arns(config: Config) -> tuple[list[str], list[str]]:
    """Foundation models and profiles in the Regions the gateway calls (for CountTokens and
    model discovery, which are called in the source Region)."""
    p, account = config.partition, config.account_id or "*"
    sources = list(config.sorted_regions or ["*"])
    if config.allow == "all":
        geos = config.geographies
        return (
            [fm_arn(p, r, "*") for r in sources],
            [
                f"arn:{p}:bedrock:{r}:{account}:inference-profile/{g}.*"
                for r in sources
                for g in geos
            ],
        )
    models, profiles = set(), set()
    for m in config.models:
        for r in sources:
            models.add(fm_arn(p, r, m.id))
            for g in config.geographies:
                prof = m.profiles.get(g)
                if prof is not None and (r == "*" or r in prof.routes):
                    profiles.add(profile_arn(p, r, account, g, m.id))
    # CountTokens takes the base model ID only: an application profile's model is counted in
    # the profile's Region (its GetInferenceProfile is granted with the profiles themselves).
    for ap in config.surfaces.application_profiles:
        models.add(fm_arn(p, ap.source_region, ap.model.id))
    return sorted(models), sorted(profiles)


def invoke_policies(
    config: Config,
    catalog: Catalog,
    previous: Mapping[str, int] | None = None,
    first_suffixed: bool = False,
) -> tuple[tuple[PolicyDocument, ...], tuple[tuple[str, int, int], ...]]:
    limit = limits.MANAGED_POLICY_SIZE
    packed = pack(
        [*optional_pieces(config, catalog), *grants.pieces(config, catalog)],
        limit,
        common(config),
        previous,
    )
    check_sizes(packed.parts, limit)
    if len(packed.parts) > config.managed_policy_limit:
        total = sum(p.size() for p in packed.parts)
        raise ResolveError(
            [
                error(
                    "policy-too-large",
                    f"the invoke policy needs {len(packed.parts)} managed policies ({total:,} "
                    f"characters, {limit:,} each) but at most {config.managed_policy_limit} can be "
                    "attached; select fewer models or geographies, pin fewer regions, or raise "
                    "limits.managed_policies_per_entity after raising the IAM quota",
                )
            ]
        )
    docs = tuple(
        PolicyDocument(
            name=part_name(config, part.number, first_suffixed),
            filename=part_filename(part.number),
            document=part.document(),
            size=part.size(),
            limit=limit,
            part=part.number,
            pieces=tuple(pc.key for pc in part.pieces),
        )
        for part in packed.parts
    )
    return docs, tuple(packed.moved)


def trust_policy(config: Config, external_id: str | None = None) -> Document | None:
    """The role's trust policy. ``external_id`` is the text to write; by default the literal
    from the config, or ``${VAR}`` for one read from the environment (never its value)."""
    spec = config.external_id
    text = external_id if external_id is not None else (spec.placeholder if spec else None)
    ctx = TrustContext(config.partition, config.account_id, config.sorted_regions, text)
    return MODES[config.auth.mode].trust_policy(config.auth, ctx)


def _trust(config: Config) -> PolicyDocument | None:
    doc = trust_policy(config)
    if doc is None:
        return None
    spec = config.external_id
    size = limits.iam_size(doc)
    if spec is not None and spec.from_env:
        # The value is not known here: size for the longest external ID STS allows, so that
        # no value the variable may hold makes the role fail to create.
        size += limits.EXTERNAL_ID_MAX - (len(json.dumps(spec.placeholder)) - 2)
    if size > config.trust_policy_limit:
        raise ResolveError(
            [
                error(
                    "trust-policy-too-large",
                    f"the trust policy takes {size:,} characters"
                    + (" with the longest external ID STS allows" if spec and spec.from_env else "")
                    + f"; the role trust policy quota is {config.trust_policy_limit:,} (raise "
                    "limits.trust_policy_size after raising the IAM quota, up to "
                    f"{limits.TRUST_POLICY_SIZE_MAX:,})",
                )
            ]
        )
    return PolicyDocument(
        config.entity_name + "-trust",
        TRUST_POLICY_FILE,
        doc,
        limits.iam_size(doc),
        config.trust_policy_limit,
    )


def chosen_routes(config: Config, catalog: Catalog) -> list[Any]:
    """The routes the config grants (``allow: all``: every catalog model's)."""
    from bedrock_gen.catalog.routes import routes

    models = catalog.models if config.allow == "all" else config.models
    return routes(models, config.geographies, config.sorted_regions, config.in_region)


def _scp(config: Config, catalog: Catalog) -> PolicyDocument | None:
    org = config.organization
    if org is None or org.allowed_regions is None:
        return None
    from bedrock_gen.access.scp import SCP_FILE, document

    doc = document(
        org.allowed_regions,
        chosen_routes(config, catalog),
        config.partition,
        exempt_geographic=org.exempt_profiles,
        bearer_tokens=config.restrictions.bearer_tokens,
        application_profiles=sorted(
            {
                surfaces.app_profile_pattern(config.partition, p.source_region, "*")
                for p in config.surfaces.application_profiles
                if p.is_global or org.exempt_profiles
            }
        ),
    )
    return PolicyDocument(config.name + "-scp", SCP_FILE, doc, limits.iam_size(doc), 5120)


def resolve(
    config: Config,
    catalog: Catalog,
    previous: Mapping[str, int] | None = None,
    legacy: str | None = None,
) -> Documents:
    """All IAM documents of a config; ``previous`` is where each piece was placed before,
    ``legacy`` the layout of a bedrock-gen 0.1 module being upgraded (its manifest says)."""
    first_suffixed = legacy is not None and legacy.startswith("split")
    invoke, moved = invoke_policies(config, catalog, previous, first_suffixed)
    return Documents(invoke, _trust(config), moved, _scp(config, catalog), _batch(config, catalog))


def _batch(config: Config, catalog: Catalog) -> tuple[PolicyDocument, ...]:
    """The batch service role's trust and permissions (``batch``), each within IAM's quota."""
    trust = surfaces.batch_trust(config)
    policy = surfaces.batch_policy(config, catalog)
    batch = config.surfaces.batch
    if trust is None or policy is None or batch is None:
        return ()
    out = []
    for name, filename, doc, limit in (
        (batch.role_name + "-trust", BATCH_TRUST_FILE, trust, config.trust_policy_limit),
        (batch.role_name, BATCH_POLICY_FILE, policy, limits.MANAGED_POLICY_SIZE),
    ):
        size = limits.iam_size(doc)
        if size > limit:
            raise ResolveError(
                [
                    error(
                        "policy-too-large",
                        f"the batch service role's {filename} takes {size:,} characters; IAM "
                        f"allows {limit:,}: select fewer models or regions",
                    )
                ]
            )
        out.append(PolicyDocument(name, filename, doc, size, limit))
    return tuple(out)
