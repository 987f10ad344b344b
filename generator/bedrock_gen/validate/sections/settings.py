"""Pass 2 for the rest: the Terraform module's settings, IAM names and quotas, lint codes to
ignore, the organization's allowed Regions, the catalog overlay and the output folder."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from bedrock_gen.config.guardrail import Guardrail
from bedrock_gen.config.model import INVOKE_POLICY_SUFFIX, Organization, TerraformSettings
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.iam import limits
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.suggest import did_you_mean

TAG_CHARS = frozenset("_.:/=+-@ ")


def _tag_ok(text: str) -> bool:
    # IAM allows Unicode letters and digits in tags, but not invisible or control characters.
    return all(
        (c.isalnum() or c in TAG_CHARS or c.isspace())
        and unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")
        for c in text
    )


def terraform(doc: Document, partition: str) -> tuple[TerraformSettings, list[Diagnostic]]:
    found = Findings(doc)
    tf: dict[str, Any] = doc.data.get("terraform", {})
    tags = dict(tf.get("tags", {}))
    for k, v in tags.items():
        kpath: PathKey = ("terraform", "tags", k)
        if k.lower().startswith("aws:"):
            found.error(
                "invalid-tag", f"tag key '{k}' uses the reserved prefix 'aws:'", kpath, key=True
            )
        for text, what in ((k, "key"), (v, "value")):
            if not _tag_ok(text):
                found.error(
                    "invalid-tag",
                    f"tag {what} {text!r} may contain only letters, "
                    "digits, spaces and _ . : / = + - @",
                    kpath,
                    key=what == "key",
                )
    path = tf.get("path", "/")
    if not (path.startswith("/") and path.endswith("/")) or any(
        not 0x21 <= ord(c) <= 0x7E for c in path
    ):
        found.error(
            "invalid-path",
            "terraform.path must begin and end with '/' and contain only "
            f"printable ASCII without spaces; got {path!r}",
            ("terraform", "path"),
        )
    boundary = tf.get("permissions_boundary")
    if boundary is not None and boundary.split(":")[1] != partition:
        found.error(
            "invalid-value",
            "terraform.permissions_boundary is in another partition",
            ("terraform", "permissions_boundary"),
        )
    return TerraformSettings(
        format=tf.get("format", "hcl"),
        tags=tags,
        permissions_boundary=boundary,
        path=path,
        create_access_key=bool(tf.get("create_access_key", False)),
        create_pod_identity_associations=bool(tf.get("create_pod_identity_associations", True)),
        port_secret=bool(tf.get("port_organization_secret", False)),
    ), found.items


def names(doc: Document, name: str, entity: str, creates: bool) -> list[Diagnostic]:
    """IAM names bedrock-gen derives, counted with the suffixes it adds."""
    found = Findings(doc)
    longest_policy = f"{name}{INVOKE_POLICY_SUFFIX}-{limits.MANAGED_POLICIES_PER_ROLE_MAX}"
    if len(longest_policy) > limits.POLICY_NAME_LENGTH:
        found.error(
            "iam-name-length",
            f"policy names derived from name ('{name}{INVOKE_POLICY_SUFFIX}-N') would be "
            f"{len(longest_policy)} characters; IAM allows {limits.POLICY_NAME_LENGTH}",
            ("name",),
        )
    if creates and len(entity) > limits.ROLE_NAME_LENGTH:
        found.error(
            "iam-name-length",
            f"'{entity}' is {len(entity)} characters; IAM role and "
            f"user names allow {limits.ROLE_NAME_LENGTH}",
            ("name",),
        )
    return found.items


def quotas(doc: Document, is_user: bool) -> tuple[int, int]:
    """(managed policies per role or user, trust policy size) for this account."""
    raw: dict[str, int] = doc.data.get("limits", {})
    default = limits.MANAGED_POLICIES_PER_USER if is_user else limits.MANAGED_POLICIES_PER_ROLE
    return (
        raw.get("managed_policies_per_entity", default),
        raw.get("trust_policy_size", limits.TRUST_POLICY_SIZE),
    )


def lint_ignore(doc: Document, known: Iterable[str]) -> tuple[tuple[str, ...], list[Diagnostic]]:
    found = Findings(doc)
    codes = doc.data.get("lint", {}).get("ignore", [])
    known = set(known)
    for i, code in enumerate(codes):
        if code not in known:
            found.error(
                "unknown-lint-code",
                f"unknown lint code '{code}'"
                f"{did_you_mean(code, known)}; 'bedrock-gen lint --list-rules' lists "
                "them",
                ("lint", "ignore", i),
            )
    return tuple(codes), found.items


def organization(
    doc: Document,
    allowed: tuple[str, ...] | None,
    exempt: bool = False,
    enforced: Guardrail | None = None,
) -> Organization | None:
    if allowed is None and enforced is None:
        return None
    return Organization(tuple(allowed) if allowed is not None else None, exempt, enforced)
