"""IAM and STS quotas and name rules, each in one place (IAM user guide, "IAM and AWS STS
quotas"; STS API reference, AssumeRole's ExternalId).

Everything that checks or reports a limit (validation, lint, the Terraform module's variables)
takes it from here; the JSON Schema repeats the bounds an editor checks, and
tests/test_schema_sources.py keeps them equal.
"""

from __future__ import annotations

import json
import re
from typing import Any

QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
EXTERNAL_ID_DOC = (
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
    "#API_AssumeRole_RequestParameters"
)

MANAGED_POLICY_SIZE = 6144  # characters, white space not counted
TRUST_POLICY_SIZE = 2048  # default quota; raisable
TRUST_POLICY_SIZE_MAX = 4096
MANAGED_POLICIES_PER_ROLE = 10  # default quota; raisable
MANAGED_POLICIES_PER_ROLE_MAX = 25
MANAGED_POLICIES_PER_USER = 10
MANAGED_POLICIES_PER_USER_MAX = 20
ROLE_NAME_LENGTH = 64
USER_NAME_LENGTH = 64
POLICY_NAME_LENGTH = 128
PATH_LENGTH = 512
TAGS_PER_RESOURCE = 50
TAG_KEY_LENGTH = 128
TAG_VALUE_LENGTH = 256
SESSION_DURATION_MIN = 3600
SESSION_DURATION_MAX = 43200

EXTERNAL_ID_MIN = 2
EXTERNAL_ID_MAX = 1224
EXTERNAL_ID_CHARS = r"[A-Za-z0-9_+=,.@:/-]"
EXTERNAL_ID_RE = re.compile(f"^{EXTERNAL_ID_CHARS}+\\Z")
NAME_CHARS = r"[A-Za-z0-9_+=,.@-]"
NAME_RE = f"^{NAME_CHARS}+$"


def iam_size(document: Any) -> int:
    """Characters IAM counts against its quotas: the document without white space.

    Compact JSON is exact for our documents (no string holds white space) and an upper bound
    for any other (white space inside strings is counted here, never by IAM less).
    """
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def external_id_problem(value: str) -> str | None:
    """Why STS would reject (or silently mismatch) this external ID, or ``None``."""
    if value != value.rstrip():
        tail = value[len(value.rstrip()) :]
        what = "a newline" if "\n" in tail or "\r" in tail else "white space"
        return (
            f"ends with {what}; STS compares the external ID character for character and "
            "the assume-role then fails silently: remove it"
        )
    if value != value.lstrip():
        return "starts with white space; remove it (STS allows none)"
    if not EXTERNAL_ID_MIN <= len(value) <= EXTERNAL_ID_MAX:
        return f"must be {EXTERNAL_ID_MIN} to {EXTERNAL_ID_MAX} characters long, not {len(value)}"
    if not EXTERNAL_ID_RE.match(value):
        one = re.compile(EXTERNAL_ID_CHARS)
        for i, ch in enumerate(value):
            if not one.fullmatch(ch):
                return (
                    f"contains a character STS does not allow (U+{ord(ch):04X} at position "
                    f"{i + 1}); allowed: letters, digits and + = , . @ : / _ -"
                )
    return None
