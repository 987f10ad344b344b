"""The validated config: plain, typed, immutable values that later stages can trust.

Only ``validation`` builds these; everything after it (``resolve``, the renderers) reads them
and never sees raw YAML.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple

from bedrock_gen.catalog import Model
from bedrock_gen.loader import PathKey

AuthMode = Literal["assume_role", "access_keys"]
TerraformFormat = Literal["hcl", "json"]

DEFAULT_EXTERNAL_ID_SECRET = "BEDROCK_ROLE_EXTERNAL_ID"
INVOKE_POLICY_SUFFIX = "-bedrock-invoke"


class ExternalIdSpec(NamedTuple):
    """An external ID as written in the config: a literal, or the name of an env variable."""

    literal: str | None = None
    env: str | None = None
    path: PathKey = ("auth", "external_id")

    def value(self, environ: Mapping[str, str] | None = None) -> str | None:
        if self.literal is not None:
            return self.literal
        assert self.env is not None
        return (os.environ if environ is None else environ).get(self.env)


class Auth(NamedTuple):
    mode: AuthMode
    role_name: str
    user_name: str
    gateway: str | None
    principals: tuple[str, ...]
    external_id: ExternalIdSpec | None
    external_id_secret_name: str
    max_session_duration: int | None = None


class TerraformSettings(NamedTuple):
    format: TerraformFormat = "hcl"
    tags: Mapping[str, str] = MappingProxyType({})
    permissions_boundary: str | None = None
    path: str = "/"
    create_access_key: bool = False


class Config(NamedTuple):
    """A config that passed both validation passes."""

    file: str
    name: str
    partition: str
    account_id: str | None
    regions: tuple[str, ...] | None
    allow: Literal["selected", "all"]
    models: tuple[Model, ...]
    geographies: tuple[str, ...]
    in_region: bool
    guardrails: tuple[str, ...]
    marketplace_subscribe: bool
    auth: Auth
    terraform: TerraformSettings
    managed_policy_limit: int
    trust_policy_limit: int
    output_dir: str
    lint_ignore: tuple[str, ...] = ()

    @property
    def pinned(self) -> bool:
        """Account or Regions are named: the policy is scoped, not Port's '*' form."""
        return self.account_id is not None or self.regions is not None

    @property
    def invoke_policy_name(self) -> str:
        return self.name + INVOKE_POLICY_SUFFIX

    def output_path(self, base: Path) -> Path:
        return base / self.output_dir
