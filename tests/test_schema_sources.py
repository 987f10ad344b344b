"""The JSON Schema's IAM numbers and vocabularies have one source each in the code.

``iam/limits.py`` holds IAM's and STS's quotas and name rules, ``config/`` the vocabularies
(bearer-token choices, service tiers), the registry the presets and modes: the schema, which
editors and check-jsonschema read without bedrock-gen, repeats them, and this test keeps the two
equal, so a quota changed in one place cannot be forgotten in the other.
"""

from __future__ import annotations

import json
from typing import Any

from bedrock_gen.config.gateway import BEARER_TOKEN_CHOICES, SERVICE_TIERS
from bedrock_gen.config.model import INVOKE_POLICY_SUFFIX
from bedrock_gen.iam import limits
from conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas/bedrock-gen.schema.json").read_text(encoding="utf-8"))


def at(*path: str) -> Any:
    node: Any = SCHEMA
    for key in path:
        node = (
            node["properties"][key]
            if "properties" in node and key in node["properties"]
            else node[key]
        )
    return node


def test_iam_name_and_path_lengths() -> None:
    assert at("name")["maxLength"] == limits.ROLE_NAME_LENGTH
    assert at("auth", "role_name")["maxLength"] == limits.ROLE_NAME_LENGTH
    assert at("auth", "user_name")["maxLength"] == limits.USER_NAME_LENGTH
    assert at("terraform", "path")["maxLength"] == limits.PATH_LENGTH
    assert at("batch", "role_name")["maxLength"] == limits.ROLE_NAME_LENGTH


def test_the_longest_derived_policy_name_fits_iams_limit() -> None:
    """Validation has no name-length rule of its own because the schema's bound suffices: the
    longest policy name bedrock-gen derives (name, its suffix, a split number) fits IAM's 128."""
    longest = at("name")["maxLength"] + len(f"{INVOKE_POLICY_SUFFIX}-")
    longest += len(str(limits.MANAGED_POLICIES_PER_ROLE_MAX))
    assert longest <= limits.POLICY_NAME_LENGTH


def test_tags_follow_iams_tag_quotas() -> None:
    for section in ("terraform", "cloudformation"):
        tags = at(section, "tags")
        assert tags["maxProperties"] == limits.TAGS_PER_RESOURCE
        assert tags["propertyNames"]["maxLength"] == limits.TAG_KEY_LENGTH
        assert tags["additionalProperties"]["maxLength"] == limits.TAG_VALUE_LENGTH


def test_session_duration_and_quota_bounds() -> None:
    duration = at("auth", "max_session_duration")
    assert (duration["minimum"], duration["maximum"]) == (
        limits.SESSION_DURATION_MIN,
        limits.SESSION_DURATION_MAX,
    )
    parts = at("limits", "managed_policies_per_entity")
    assert parts["maximum"] == limits.MANAGED_POLICIES_PER_ROLE_MAX
    trust = at("limits", "trust_policy_size")
    assert (trust["minimum"], trust["maximum"]) == (
        limits.TRUST_POLICY_SIZE,
        limits.TRUST_POLICY_SIZE_MAX,
    )


def test_vocabularies() -> None:
    assert tuple(at("permissions", "bearer_tokens")["enum"]) == BEARER_TOKEN_CHOICES
    assert set(at("permissions", "service_tiers")["items"]["enum"]) == set(SERVICE_TIERS)
