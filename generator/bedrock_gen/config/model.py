"""The validated config: plain, typed, immutable values that later stages can trust.

Only ``config.validate`` builds these; everything after it (``access``, ``emit``) reads them and
never sees raw YAML. Facts derived from several fields (is it a role, its ARN, the primary
Region) are properties here, so no later stage re-derives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from bedrock_gen.catalog.model import Model
from bedrock_gen.config.gateway import AuthSettings, ExternalId, Needs, Preset, Restrictions
from bedrock_gen.config.guardrail import Guardrail
from bedrock_gen.config.surfaces import Surfaces

TerraformFormat = Literal["hcl", "json"]
INVOKE_POLICY_SUFFIX = "-bedrock-invoke"


class TerraformSettings(NamedTuple):
    format: TerraformFormat = "hcl"
    tags: Mapping[str, str] = MappingProxyType({})
    permissions_boundary: str | None = None
    path: str = "/"
    create_access_key: bool = False
    create_pod_identity_associations: bool = True
    port_secret: bool = False  # manage the external ID as a Port secret (Port's provider)


CLOUDFORMATION_DIR = "cloudformation"
STACK_TEMPLATE = f"{CLOUDFORMATION_DIR}/stack.template.json"
STACKSET_TEMPLATE = f"{CLOUDFORMATION_DIR}/stackset.template.json"


class StackSetSettings(NamedTuple):
    """``cloudformation.stackset``: the stack rolled out to an organization's accounts by a
    service-managed StackSet that deploys automatically to accounts joining the OUs."""

    name: str
    organizational_units: tuple[str, ...]
    regions: tuple[str, ...]
    retain_stacks_on_account_removal: bool = False
    failure_tolerance_percentage: int = 0
    max_concurrent_percentage: int = 100
    call_as: Literal["SELF", "DELEGATED_ADMIN"] = "SELF"


class CloudFormationSettings(NamedTuple):
    """``cloudformation``: a stack template beside the Terraform module (and a StackSet's)."""

    stack_name: str
    template_url: str | None = None  # where the stack template is published (Launch Stack)
    tags: Mapping[str, str] = MappingProxyType({})
    create_pod_identity_associations: bool = True
    stackset: StackSetSettings | None = None


class Organization(NamedTuple):
    """The organization's policies, as far as bedrock-gen must respect them: its Region-deny
    SCP (the allowed Regions, and whether it exempts calls through the chosen inference
    profiles), and the guardrail it enforces on every Bedrock call (Organizations' Bedrock
    policy), on which the role then needs bedrock:ApplyGuardrail."""

    allowed_regions: tuple[str, ...] | None = None
    exempt_profiles: bool = False
    enforced_guardrail: Guardrail | None = None


class Config(NamedTuple):
    """A config that passed both validation passes."""

    file: str
    name: str
    partition: str
    account_id: str | None
    regions: tuple[str, ...] | None  # as listed: the first is the primary Region
    allow: Literal["selected", "all"]
    models: tuple[Model, ...]
    geographies: tuple[str, ...]
    in_region: bool
    guardrails: tuple[Guardrail, ...]
    marketplace_subscribe: bool
    gateway: Preset
    auth: AuthSettings
    needs: Needs
    terraform: TerraformSettings
    managed_policy_limit: int
    trust_policy_limit: int
    output_dir: str
    lint_ignore: tuple[str, ...] = ()
    catalog_path: str | None = None  # an overlay, relative to the config file
    organization: Organization | None = None
    description: str | None = None
    # The preset's own section of the config (``port:``), as written; the preset reads it.
    preset_settings: Mapping[str, Any] = MappingProxyType({})
    restrictions: Restrictions = Restrictions()
    cloudformation: CloudFormationSettings | None = None  # ``cloudformation:`` turns it on
    # Application inference profiles, the OpenAI-compatible APIs, models invoked by ARN, batch.
    surfaces: Surfaces = Surfaces()

    @property
    def pinned(self) -> bool:
        """Account or Regions are named: the policy is scoped, not Port's '*' form."""
        return self.account_id is not None or self.regions is not None

    @property
    def sorted_regions(self) -> tuple[str, ...] | None:
        return tuple(sorted(self.regions)) if self.regions is not None else None

    @property
    def primary_region(self) -> str | None:
        """The first Region the config lists (where the gateway is told to call Bedrock)."""
        return self.regions[0] if self.regions else None

    @property
    def is_role(self) -> bool:
        """A role bedrock-gen creates (with a trust policy)."""
        return self.auth.entity == "role"

    @property
    def creates_entity(self) -> bool:
        """bedrock-gen creates the role or user (not an existing one)."""
        return self.auth.entity in ("role", "user")

    @property
    def role_description(self) -> str:
        """The role's or user's IAM description: the config's, or as bedrock-gen 0.1 wrote it
        (so upgrading changes no description, which would replace nothing but shows in plans)."""
        return (
            self.description
            or f"Assumed by {self.gateway.described} to call Amazon Bedrock. Generated by "
            "bedrock-gen."
        )

    @property
    def is_user(self) -> bool:
        return self.auth.entity in ("user", "existing_user")

    @property
    def entity_name(self) -> str:
        """The IAM role or user name the policies are attached to."""
        return self.auth.name

    @property
    def entity_arn(self) -> str:
        account = self.account_id or "ACCOUNT_ID"
        kind = "user" if self.is_user else "role"
        path = self.terraform.path if self.creates_entity else "/"
        return f"arn:{self.partition}:iam::{account}:{kind}{path}{self.entity_name}"

    @property
    def role_arn(self) -> str | None:
        return None if self.is_user else self.entity_arn

    @property
    def invoke_policy_name(self) -> str:
        return self.name + INVOKE_POLICY_SUFFIX

    @property
    def external_id(self) -> ExternalId | None:
        value = getattr(self.auth, "external_id", None)
        return value if isinstance(value, ExternalId) else None

    @property
    def external_id_opt_out(self) -> str | None:
        """The reviewed reason a SaaS role is trusted without an external ID
        (``auth.external_id: {none: REASON}``), or None. The render manifest records it."""
        value = getattr(self.auth, "external_id_opt_out", None)
        return value if isinstance(value, str) else None

    @property
    def enforced_guardrails(self) -> tuple[Guardrail, ...]:
        return tuple(g for g in self.guardrails if g.enforce)

    @property
    def applied_guardrails(self) -> tuple[Guardrail, ...]:
        """Every guardrail the role applies: the configured ones and the organization's."""
        org = self.organization.enforced_guardrail if self.organization else None
        return tuple(dict.fromkeys((*self.guardrails, *((org,) if org else ()))))

    @property
    def batch_role_arn(self) -> str | None:
        """The batch service role (``batch``), created with the gateway's IAM path."""
        batch = self.surfaces.batch
        if batch is None:
            return None
        account = self.account_id or "ACCOUNT_ID"
        return f"arn:{self.partition}:iam::{account}:role{self.terraform.path}{batch.role_name}"

    def output_path(self, base: Path) -> Path:
        return base / self.output_dir
