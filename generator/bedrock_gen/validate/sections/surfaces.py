"""Pass 2 for Bedrock's other surfaces: ``application_inference_profiles``, ``models.provisioned``,
``permissions.openai_chat`` / ``openai_responses`` / ``mantle`` and ``batch``.

What each check rests on (AWS's pages, cited where the grants are made, in ``access.surfaces``):

- An application inference profile copies a system-defined profile (called from one source
  Region, routed as that profile routes) or the foundation model of one Region
  (CreateInferenceProfile's ``copyFrom``); its name is 1-64 characters, it takes up to 200
  tags (botocore's CreateInferenceProfile). Copying a foundation model needs one the Region
  serves on demand.
- The Responses API on bedrock-runtime supports neither application inference profiles nor
  guardrails (Bedrock user guide, "Responses API", "Using the Responses API on the
  bedrock-runtime endpoint"): with an enforced guardrail every Responses call is denied.
- bedrock-mantle exists in the Regions of that page's table; Mantle names models by its own IDs.
- Batch inference's service role trusts bedrock.amazonaws.com for the account's
  model-invocation-job ARNs in each Region (batch-iam-sr): it needs the account and Regions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bedrock_gen.catalog.model import Catalog, Model
from bedrock_gen.config.guardrail import Guardrail
from bedrock_gen.config.surfaces import (
    BATCH_ROLE_SUFFIX,
    BY_ARN_TYPES,
    MANTLE_REGIONS,
    PROFILE_TAG,
    PROFILE_TAGS_MAX,
    ApplicationProfile,
    Batch,
    Surfaces,
)
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.iam import actions as known
from bedrock_gen.iam import limits
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.printable import quoted
from bedrock_gen.suggest import did_you_mean
from bedrock_gen.validate.sections.settings import tag_problems, tag_text_ok

MANTLE_ID = re.compile(r"[a-z0-9-]{1,63}\.[a-z0-9][a-z0-9.:-]*\Z")
RESPONSES_DOC = "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-responses-api.html"


def surfaces(
    doc: Document,
    cat: Catalog,
    name: str,
    partition: str,
    account: str | None,
    regions: tuple[str, ...] | None,
    chosen: Sequence[Model],
    guardrails: Sequence[Guardrail],
    terraform_tags: Mapping[str, str],
    allowed: tuple[str, ...] | None = None,
    exempt: bool = False,
) -> tuple[Surfaces, list[Diagnostic]]:
    """Every surface section, each read and checked; the value is only used without errors."""
    found = Findings(doc)
    d: dict[str, Any] = doc.data
    profiles = _application_profiles(
        found, cat, name, partition, regions, chosen, dict(terraform_tags)
    )
    provisioned = _provisioned(found, cat, partition, account, regions)
    perms: dict[str, Any] = d.get("permissions", {})
    openai_chat = bool(perms.get("openai_chat", False))
    openai_responses = bool(perms.get("openai_responses", False))
    if openai_responses:
        _responses(found, guardrails, d)
    mantle = _mantle(found, perms.get("mantle"), regions)
    batch = _batch(found, d.get("batch"), name, account, regions, chosen, doc)
    if allowed is not None:
        _organization(found, profiles, allowed, exempt)
    return (
        Surfaces(profiles, provisioned, openai_chat, openai_responses, mantle, batch),
        found.items,
    )


# --------------------------------------------------------------------------------------------
# application inference profiles


def _application_profiles(
    found: Findings,
    cat: Catalog,
    name: str,
    partition: str,
    regions: tuple[str, ...] | None,
    chosen: Sequence[Model],
    terraform_tags: dict[str, str],
) -> tuple[ApplicationProfile, ...]:
    raw: list[dict[str, Any]] = found.doc.data.get("application_inference_profiles", [])
    if not raw:
        return ()
    out: list[ApplicationProfile] = []
    seen: dict[str, int] = {}
    custom = {m.id: m for m in chosen if m.custom}
    if not tag_text_ok(f"{name}/x"):
        found.error(
            "invalid-tag",
            f"name {quoted(name)} is the value of the tag {PROFILE_TAG} the application "
            "inference profiles carry (NAME/PROFILE), and tag values may contain only letters, "
            "digits, spaces and _ . : / = + - @; choose a name without other characters",
            ("name",),
        )
    for i, entry in enumerate(raw):
        path: PathKey = ("application_inference_profiles", i)
        pname = str(entry["name"])
        if pname in seen:
            line = found.doc.locate(("application_inference_profiles", seen[pname])).line
            found.error(
                "duplicate-profile-name",
                f"application inference profile '{pname}' is already defined at line {line}",
                (*path, "name"),
            )
            continue
        seen[pname] = i
        profile = _application_profile(
            found, cat, path, entry, partition, regions, custom, terraform_tags
        )
        if profile is not None:
            out.append(profile)
    return tuple(out)


def _application_profile(
    found: Findings,
    cat: Catalog,
    path: PathKey,
    entry: dict[str, Any],
    partition: str,
    regions: tuple[str, ...] | None,
    custom: dict[str, Model],
    terraform_tags: dict[str, str],
) -> ApplicationProfile | None:
    mark = found.mark
    requested = str(entry["model"])
    model = custom.get(requested) or cat.lookup(requested)
    if model is None:
        hint = did_you_mean(requested, cat.names(), 0.75)
        found.error(
            "unknown-model",
            f"unknown model '{requested}'{hint}; 'bedrock-gen models' lists the catalog, and "
            "models.custom takes models it does not know yet",
            (*path, "model"),
        )
    source = entry.get("source_region") or (regions[0] if regions else None)
    source_path: PathKey = (*path, "source_region") if "source_region" in entry else path
    if source is None:
        found.error(
            "source-region-missing",
            "an application inference profile lives in one Region: set its source_region, or "
            "regions (the first is used)",
            path,
            key=True,
        )
    elif source not in cat.regions:
        found.error(
            "unknown-region",
            f"unknown AWS Region '{source}'{did_you_mean(source, cat.regions)}",
            source_path,
        )
    elif cat.partition_of(source) != partition:
        found.error(
            "mixed-partitions",
            f"source_region {source} is in partition {cat.partition_of(source)}, the config in "
            f"{partition}",
            source_path,
        )
    elif regions is not None and source not in regions:
        found.error(
            "application-profile-region",
            f"source_region {source} is not one of the regions the gateway calls "
            f"({', '.join(regions)}); an application inference profile is called in its own "
            "Region: add it to regions, or choose one of them",
            source_path,
        )
    geo = entry.get("geography")
    if geo is not None and geo not in cat.geographies:
        found.error(
            "invalid-value",
            f"'{geo}' is not an inference-profile geography{did_you_mean(geo, cat.geographies)}",
            (*path, "geography"),
        )
    tags = {str(k): str(v) for k, v in entry.get("tags", {}).items()}
    _tags(found, tags, terraform_tags, path)
    if found.errors_since(mark) or model is None or source is None:
        return None
    if model.status == "eol":
        found.warn(
            "model-end-of-life",
            f"{model.id} is past its end-of-life date: AWS no longer serves it; choose its "
            "successor",
            (*path, "model"),
        )
    base = ApplicationProfile(
        str(entry["name"]),
        model,
        source,
        tags=tags,
        description=entry.get("description"),
    )
    if geo is None:
        if not model.on_demand_in(source):
            offered = ", ".join(model.profiles) or "none"
            found.error(
                "model-needs-profile",
                f"{model.id} cannot be called on demand in {source}, so an application profile "
                f"copying its foundation model there cannot be called; set geography to copy one "
                f"of its inference profiles ({offered})",
                (*path, "model"),
            )
            return None
        return base._replace(destinations=(source,))
    profile = model.profiles.get(geo)
    if profile is None:
        found.error(
            "model-not-in-geography",
            f"{model.id} has no {geo} inference profile to copy (its profiles: "
            f"{', '.join(model.profiles) or 'none'})",
            (*path, "geography"),
        )
        return None
    if source not in profile.routes:
        found.error(
            "application-profile-unreachable",
            f"{geo}.{model.id} cannot be called from {source} (it is called from "
            f"{', '.join(profile.sources)}); choose one of those as source_region",
            source_path,
        )
        return None
    if not profile.verified:
        found.warn(
            "routes-unverified",
            f"AWS publishes no per-source routing table for {geo}.{model.id}, so bedrock-gen "
            "grants the Regions its model card marks; check your account with 'bedrock-gen "
            "catalog fetch'",
            (*path, "geography"),
        )
    dests = (source, "") if profile.is_global else profile.served_in(source)
    return base._replace(geography=geo, is_global=profile.is_global, destinations=dests)


def _tags(
    found: Findings, tags: dict[str, str], terraform_tags: dict[str, str], path: PathKey
) -> None:
    where: PathKey = (*path, "tags")
    tag_problems(found, tags, where)
    for k in tags:
        if k == PROFILE_TAG:
            found.error(
                "invalid-tag",
                f"tag key {PROFILE_TAG} is bedrock-gen's own: the module sets it to NAME/PROFILE "
                "and the policy allows exactly the profiles that carry it",
                (*where, k),
                key=True,
            )
    merged = {**terraform_tags, **tags, PROFILE_TAG: ""}
    if len(merged) > PROFILE_TAGS_MAX:
        found.error(
            "too-many-tags",
            f"the profile would carry {len(merged)} tags (these, terraform.tags and "
            f"{PROFILE_TAG}); Bedrock allows {PROFILE_TAGS_MAX}",
            where,
            key=True,
        )


def _organization(
    found: Findings,
    profiles: Sequence[ApplicationProfile],
    allowed: tuple[str, ...],
    exempt: bool,
) -> None:
    """An organization's Region-deny SCP and the application profiles' routes, as for system
    profiles (``passes._organization``): the source Region must be allowed (no exemption
    reaches the originating call); a destination outside the allowed Regions works only when
    the SCP exempts calls through application profiles (``organization.exempt_profiles``, or a
    global profile, which the generated SCP always exempts)."""
    allow = set(allowed)
    for i, p in enumerate(found.doc.data.get("application_inference_profiles", [])):
        match = [x for x in profiles if x.name == p["name"]]
        if not match:
            continue
        profile = match[0]
        path: PathKey = ("application_inference_profiles", i)
        if profile.source_region not in allow:
            found.error(
                "scp-blocks-route",
                f"organization.allowed_regions does not allow {profile.source_region}, where "
                f"application inference profile '{profile.name}' is called; allow it, or choose "
                "another source_region",
                path,
            )
            continue
        outside = sorted(r for r in profile.destinations if r and r not in allow)
        if outside and not exempt and not profile.is_global:
            found.error(
                "scp-blocks-route",
                f"organization.allowed_regions does not allow {', '.join(outside)}, where calls "
                f"through application inference profile '{profile.name}' may be served; allow "
                "them, or exempt calls through the chosen profiles (organization.exempt_profiles:"
                " true)",
                path,
            )


# --------------------------------------------------------------------------------------------
# models invoked by ARN


def _provisioned(
    found: Findings,
    cat: Catalog,
    partition: str,
    account: str | None,
    regions: tuple[str, ...] | None,
) -> tuple[str, ...]:
    raw: list[str] = found.doc.data["models"].get("provisioned", [])
    out = []
    for i, text in enumerate(raw):
        path: PathKey = ("models", "provisioned", i)
        kinds = [rt.name for rt in known.resource_types_of(text) if rt.service == "bedrock"]
        kind = next((k for k in kinds if k in BY_ARN_TYPES), None)
        parts = text.split(":", 5)
        ident = text.partition("/")[2]
        if kind is None or len(parts) != 6 or not ident or "/" in ident:
            found.error(
                "invalid-model-arn",
                f"{quoted(text)} is not the ARN of a provisioned model, custom model deployment "
                "or imported model (arn:PARTITION:bedrock:REGION:ACCOUNT:provisioned-model/ID, "
                "custom-model-deployment/ID or imported-model/ID)",
                path,
            )
            continue
        _, arn_partition, _, region, owner, _ = parts
        if any(c in text for c in "*?") or not re.fullmatch(r"[A-Za-z0-9._-]+", ident):
            found.error(
                "invalid-model-arn",
                f"{quoted(text)}: the ID must be exact (letters, digits, . _ -): "
                "models.provisioned grants each ARN exactly, never a pattern",
                path,
            )
            continue
        if arn_partition != partition:
            found.error(
                "mixed-partitions",
                f"{kind} is in partition {arn_partition}, the config in {partition}",
                path,
            )
            continue
        if region not in cat.regions:
            found.error(
                "unknown-region",
                f"the {kind} ARN names an unknown Region '{region}'"
                f"{did_you_mean(region, cat.regions)}",
                path,
            )
            continue
        if cat.partition_of(region) != arn_partition:
            found.error(
                "mixed-partitions",
                f"the {kind} ARN names {region}, a Region of partition "
                f"{cat.partition_of(region)}, in partition {arn_partition}",
                path,
            )
            continue
        if not re.fullmatch(r"[0-9]{12}", owner):
            found.error(
                "invalid-model-arn",
                f"the {kind} ARN's account must be 12 digits, not {owner!s}",
                path,
            )
            continue
        if account is not None and owner != account:
            found.warn(
                "provisioned-other-account",
                f"the {kind} is in account {owner}, the role in {account}: a model is invoked "
                "by ARN in its own account, and Bedrock grants no other account access to it",
                path,
            )
        if regions is not None and region not in regions:
            found.warn(
                "provisioned-region",
                f"the {kind} is in {region}, which is not one of the regions the gateway "
                f"calls: it is invoked only in its own Region",
                path,
            )
        out.append(text)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# the OpenAI-compatible APIs


def _responses(found: Findings, guardrails: Sequence[Guardrail], d: dict[str, Any]) -> None:
    path: PathKey = ("permissions", "openai_responses")
    enforced = [g for g in guardrails if g.enforce]
    if enforced:
        found.error(
            "responses-guardrail-enforced",
            "the Responses API on bedrock-runtime applies no guardrail (AWS: 'Guardrails don't "
            "apply to the Responses API'), and guardrails.enforce denies every invoke call "
            "without one: each Responses call would be denied; drop openai_responses or the "
            f"enforcement ({RESPONSES_DOC})",
            path,
            key=True,
        )
    models = d.get("models", {})
    if not models.get("geographies") and models.get("allow", "selected") == "selected":
        found.warn(
            "responses-needs-profile",
            "the Responses API on bedrock-runtime names a cross-Region inference profile as its "
            "model, and no models.geographies are chosen (application inference profiles are "
            "rejected by it): permissions.openai_responses grants nothing usable "
            f"({RESPONSES_DOC})",
            path,
            key=True,
        )


def _mantle(found: Findings, raw: Any, regions: tuple[str, ...] | None) -> tuple[str, ...]:
    if raw is None or raw is False:
        return ()
    if raw is True:
        found.error(
            "mantle-models",
            "permissions.mantle needs the Mantle model IDs the gateway calls: Mantle names "
            "models by its own IDs (openai.gpt-oss-120b, not bedrock-runtime's "
            "openai.gpt-oss-120b-1:0), so a guess from models.ids would grant nothing or the "
            "wrong model; write mantle: {models: [openai.gpt-oss-120b]}",
            ("permissions", "mantle"),
        )
        return ()
    path: PathKey = ("permissions", "mantle", "models")
    out = []
    for i, mid in enumerate(raw["models"]):
        if not MANTLE_ID.match(mid):
            found.error(
                "invalid-model-id",
                f"{quoted(mid)} is not a model ID (provider.model, lowercase, like "
                "openai.gpt-oss-120b)",
                (*path, i),
            )
            continue
        out.append(str(mid))
    if regions is not None:
        outside = [r for r in regions if r not in MANTLE_REGIONS]
        if outside:
            found.warn(
                "mantle-region",
                f"bedrock-mantle has no endpoint in {', '.join(outside)} (AWS's list: "
                f"{', '.join(sorted(MANTLE_REGIONS))}); CreateInference is granted there but "
                "cannot be called",
                ("permissions", "mantle"),
                key=True,
            )
    return tuple(sorted(out))


# --------------------------------------------------------------------------------------------
# batch inference


def _batch(
    found: Findings,
    raw: dict[str, Any] | None,
    name: str,
    account: str | None,
    regions: tuple[str, ...] | None,
    chosen: Sequence[Model],
    doc: Document,
) -> Batch | None:
    if raw is None:
        return None
    path: PathKey = ("batch",)
    mark = found.mark
    if account is None or regions is None:
        missing = " and ".join(
            k for k, v in (("account_id", account), ("regions", regions)) if v is None
        )
        found.error(
            "batch-unpinned",
            "batch inference needs account_id and regions: the service role's trust names the "
            "account's model-invocation-job ARNs in each Region (aws:SourceAccount, "
            f"aws:SourceArn) and iam:PassRole names the role's ARN; set {missing}",
            path,
            key=True,
        )
    if not chosen:
        found.error(
            "batch-no-models",
            "batch jobs run a foundation model (CreateModelInvocationJob is authorized on it): "
            "choose the models under models.ids",
            path,
            key=True,
        )
    role = str(raw.get("role_name", name + BATCH_ROLE_SUFFIX))
    if len(role) > limits.ROLE_NAME_LENGTH:
        found.error(
            "iam-name-length",
            f"batch service role name '{role}' is {len(role)} characters; IAM allows "
            f"{limits.ROLE_NAME_LENGTH} (set batch.role_name)",
            (*path, "role_name") if "role_name" in raw else path,
            key="role_name" not in raw,
        )
    gateway_role = doc.data.get("auth", {}).get("role_name", name)
    if role == gateway_role:
        found.error(
            "batch-role-name",
            f"the batch service role and the gateway's role are both named '{role}'; they are "
            "two roles (Bedrock assumes one, the gateway the other)",
            (*path, "role_name"),
        )
    for key in ("input_prefix", "output_prefix"):
        value = raw.get(key)
        if value is not None and any(c in value for c in "*?"):
            found.error(
                "invalid-value",
                f"batch.{key} is a key prefix, not a pattern: {quoted(value)} would widen the "
                "grant",
                (*path, key),
            )
    if found.errors_since(mark):
        return None
    return Batch(
        raw["input_bucket"],
        raw["output_bucket"],
        role,
        raw.get("input_prefix"),
        raw.get("output_prefix"),
        raw.get("bucket_owner", account),
    )
