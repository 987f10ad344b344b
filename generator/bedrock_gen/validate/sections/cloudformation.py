"""Pass 2 for ``cloudformation:``: the stack's name, where its template is published, its tags,
and the organization's StackSet.

A StackSet deploys one template to every account of its OUs, so the config must not name what
exists in one account only: an EKS cluster (Pod Identity) or its OIDC provider (IRSA), or a
guardrail (its ID is the account's own). The account ID the config pins is written as
``${AWS::AccountId}`` in the StackSet's template (``emit.cloudformation``), so each account's
policies name that account. IAM names are global to an account: a stack in a second Region of
the same account could not create them, so a StackSet takes exactly one Region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.gateway import AuthSettings
from bedrock_gen.config.model import CloudFormationSettings, StackSetSettings, TerraformSettings
from bedrock_gen.config.surfaces import Surfaces
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.printable import quoted
from bedrock_gen.validate.sections.models import regions as region_list
from bedrock_gen.validate.sections.settings import TAG_CHARS

KEY = "cloudformation"
# Amazon S3 endpoints: virtual-hosted (BUCKET.s3.REGION.amazonaws.com), path-style
# (s3.REGION.amazonaws.com/BUCKET), legacy (s3-REGION), dual-stack, and China's .com.cn.
S3_HOST = re.compile(r"^(?:[a-z0-9.-]+\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$")
# A StackSet's own tags (AWS::CloudFormation::StackSet's Tag): narrower than IAM's.
STACKSET_TAG_KEY = re.compile(r"^(?!aws:)[a-zA-Z0-9\s:_./=+-]+$")
# Modes whose trust names one account's resource: a StackSet cannot repeat them elsewhere.
ONE_ACCOUNT_MODES = {
    "eks_irsa": "the cluster's OIDC provider",
    "eks_pod_identity": "the EKS cluster",
}


def stack_name(name: str) -> str:
    """A CloudFormation stack name from the config's name: letters, digits and '-', starting
    with a letter, at most 128 characters."""
    text = re.sub(r"[^A-Za-z0-9-]", "-", name)
    if not text[:1].isalpha() or not text[:1].isascii():
        text = f"bedrock-gen-{text}"
    return text[:128]


def _tag_ok(text: str) -> bool:
    """IAM's tag characters: letters, digits, spaces and ``_ . : / = + - @`` (the same fixed
    table as ``terraform.tags``)."""
    if all(c in TAG_CHARS for c in text):
        return True
    from bedrock_gen.iam.tag_chars import allowed

    return all(c in TAG_CHARS or (ord(c) > 0x7F and allowed(c)) for c in text)


def _tags(
    found: Findings, tags: Mapping[str, str], where: PathKey, iam: bool, stackset: bool
) -> None:
    """IAM's tag rules (``iam``: not already checked as ``terraform.tags``), and with a
    StackSet its own narrower ones."""
    for k, v in tags.items():
        path: PathKey = (*where, k)
        if iam and k.lower().startswith("aws:"):
            found.error("invalid-tag", f"tag key '{k}' uses the reserved prefix 'aws:'", path, True)
            continue
        for text, what in ((k, "key"), (v, "value")):
            if iam and not _tag_ok(text):
                found.error(
                    "invalid-tag",
                    f"tag {what} {quoted(text)} may contain only letters, digits, spaces and "
                    "_ . : / = + - @",
                    path,
                    key=what == "key",
                )
        if stackset and not STACKSET_TAG_KEY.match(k):
            found.error(
                "invalid-tag",
                f"tag key {quoted(k)}: the StackSet is tagged too, and a StackSet's tag keys "
                "allow only ASCII letters, digits, spaces and _ . : / = + - (no '@')",
                path,
                key=True,
            )
        if stackset and not v:
            found.error(
                "invalid-tag",
                f"tag {quoted(k)}: the StackSet is tagged too, and a StackSet's tag values are "
                "not empty",
                path,
            )


def _template_url(found: Findings, url: str) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not S3_HOST.match(host) or parts.path in ("", "/"):
        found.error(
            "invalid-template-url",
            f"cloudformation.template_url {quoted(url)}: CloudFormation reads a template only "
            "from Amazon S3; give the object's URL, like "
            "https://BUCKET.s3.REGION.amazonaws.com/KEY",
            (KEY, "template_url"),
        )


def _stackset(
    found: Findings,
    doc: Document,
    cat: Catalog,
    raw: Mapping[str, Any],
    default_name: str,
    partition: str,
    regions: Sequence[str] | None,
    auth: AuthSettings | None,
    guardrails: Sequence[object],
) -> StackSetSettings | None:
    where: PathKey = (KEY, "stackset")
    mark = found.mark
    chosen, problems = region_list(doc, cat, (*where, "regions"))
    found.items += problems
    if chosen is None:
        if not regions:
            found.error(
                "stackset-region",
                "cloudformation.stackset needs the Region to create each account's stack in: "
                "set cloudformation.stackset.regions (or regions)",
                where,
                key=True,
            )
            return None
        chosen = (regions[0],)
    elif any(r in cat.regions and cat.regions[r].partition != partition for r in chosen):
        found.error(
            "stackset-region",
            f"cloudformation.stackset.regions: {chosen[0]} is not in partition {partition}, "
            "where the config's ARNs are",
            (*where, "regions"),
        )
    elif len(chosen) > 1:
        found.error(
            "stackset-region",
            f"cloudformation.stackset.regions names {len(chosen)} Regions; IAM names are global "
            "to an account, so the stack of a second Region could not create the same role "
            "and policies: name one",
            (*where, "regions", 1),
        )
    if auth is not None and auth.mode in ONE_ACCOUNT_MODES:
        found.error(
            "stackset-one-account",
            f"cloudformation.stackset: mode {auth.mode} trusts {ONE_ACCOUNT_MODES[auth.mode]}, "
            "which exists in one account; a StackSet deploys the same template to every "
            "account of its OUs: render one config (and stack) per cluster instead",
            where,
            key=True,
        )
    if guardrails:
        found.error(
            "stackset-one-account",
            "cloudformation.stackset: a guardrail exists in one account (its ID is that "
            "account's own), and a StackSet deploys the same policies to every account of its "
            "OUs: render one config per account to use guardrails",
            ("guardrails",),
        )
    if found.errors_since(mark):
        return None
    return StackSetSettings(
        name=raw.get("name", default_name),
        organizational_units=tuple(raw["organizational_units"]),
        regions=tuple(chosen),
        retain_stacks_on_account_removal=bool(raw.get("retain_stacks_on_account_removal", False)),
        failure_tolerance_percentage=int(raw.get("failure_tolerance_percentage", 0)),
        max_concurrent_percentage=int(raw.get("max_concurrent_percentage", 100)),
        call_as=raw.get("call_as", "SELF"),
    )


def settings(
    doc: Document,
    cat: Catalog,
    partition: str,
    regions: Sequence[str] | None,
    auth: AuthSettings | None,
    guardrails: Sequence[object],
    terraform: TerraformSettings,
) -> tuple[CloudFormationSettings | None, list[Diagnostic]]:
    """``cloudformation:``, or None when the config has no such section."""
    raw: Mapping[str, Any] | None = doc.data.get(KEY)
    if raw is None:
        return None, []
    found = Findings(doc)
    name = raw.get("stack_name") or stack_name(doc.data["name"])
    url = raw.get("template_url")
    if url is not None:
        _template_url(found, url)
    stackset_raw = raw.get("stackset")
    own_tags = "tags" in raw
    tags = dict(raw["tags"]) if own_tags else dict(terraform.tags)
    where: PathKey = (KEY, "tags") if own_tags else ("terraform", "tags")
    _tags(found, tags, where, own_tags, stackset_raw is not None)
    stackset = None
    if stackset_raw is not None:
        stackset = _stackset(
            found, doc, cat, stackset_raw, name, partition, regions, auth, guardrails
        )
    if found.failed:
        return None, found.items
    return CloudFormationSettings(
        stack_name=name,
        template_url=url,
        tags=tags,
        create_pod_identity_associations=bool(raw.get("create_pod_identity_associations", True)),
        stackset=stackset,
    ), found.items


def profile_regions(
    doc: Document,
    settings: CloudFormationSettings | None,
    surfaces: Surfaces,
) -> list[Diagnostic]:
    """A stack lives in one Region, and an application inference profile in its source Region:
    a template whose profiles name two source Regions could never deploy (each stack would fail
    the other Region's rule), so it is refused here rather than at CreateStack."""
    if settings is None:
        return []
    regions = surfaces.profile_regions
    if len(regions) < 2:
        return []
    found = Findings(doc)
    found.error(
        "cloudformation-profile-regions",
        f"the application inference profiles live in {len(regions)} source Regions "
        f"({', '.join(regions)}), and a CloudFormation stack creates resources in one Region "
        "only, so no stack could create them all: render one config per source Region for "
        "CloudFormation (the Terraform module takes a provider per Region)",
        ("application_inference_profiles",),
        key=True,
    )
    return found.items
