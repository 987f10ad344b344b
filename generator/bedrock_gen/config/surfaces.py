"""Bedrock's surfaces beyond calling a model through a system-defined profile: application
inference profiles, the OpenAI-compatible APIs (bedrock-runtime's Chat Completions and Responses,
the bedrock-mantle endpoint), models invoked by ARN (provisioned throughput, custom model
deployments, imported models) and batch inference.

The facts each value carries, and where AWS says them, are in ``access.surfaces`` (which turns
them into statements); this module holds only what the config says, validated.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from bedrock_gen.catalog.model import Model

# The tag every application inference profile bedrock-gen's module creates carries, valued
# ``NAME/PROFILE``: the policy's aws:ResourceTag condition names exactly these profiles.
PROFILE_TAG = "bedrock-gen:application-inference-profile"
BATCH_ROLE_SUFFIX = "-bedrock-batch"
# CreateInferenceProfile (botocore bedrock 2023-04-20): tags, 0-200 per profile.
PROFILE_TAGS_MAX = 200
# The Regions with a bedrock-mantle endpoint (Bedrock user guide, "Responses API", table
# "Supported Regions and Endpoints"; stored copy, index id 58517007509).
MANTLE_REGIONS = frozenset(
    {
        "us-east-2",
        "us-east-1",
        "us-west-2",
        "ap-southeast-3",
        "ap-south-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-south-1",
        "eu-north-1",
        "sa-east-1",
        "us-gov-west-1",
    }
)
# Resource types a model is invoked by ARN as (Service Authorization Reference, bedrock).
BY_ARN_TYPES = ("provisioned-model", "custom-model-deployment", "imported-model")


class ApplicationProfile(NamedTuple):
    """One application inference profile the module creates, copying a system-defined profile
    (``geography``) or the foundation model of one Region (no geography)."""

    name: str
    model: Model
    source_region: str
    geography: str | None = None
    is_global: bool = False
    # The Regions whose foundation-model ARN a call through it is authorized on ('' is the
    # Region-less ARN of a global profile); for a copied foundation model, its own Region.
    destinations: tuple[str, ...] = ()
    tags: Mapping[str, str] = MappingProxyType({})
    description: str | None = None

    def tag_value(self, config_name: str) -> str:
        return f"{config_name}/{self.name}"

    def copy_from(self, partition: str, account: str) -> str:
        """The ARN the module copies (CreateInferenceProfile's modelSource.copyFrom): the system
        profile in the source Region, or the foundation model there."""
        if self.geography is None:
            return f"arn:{partition}:bedrock:{self.source_region}::foundation-model/{self.model.id}"
        return (
            f"arn:{partition}:bedrock:{self.source_region}:{account}:inference-profile/"
            f"{self.geography}.{self.model.id}"
        )


class Batch(NamedTuple):
    """Batch inference: the buckets jobs read and write, and the service role Bedrock assumes."""

    input_bucket: str
    output_bucket: str
    role_name: str
    input_prefix: str | None = None
    output_prefix: str | None = None
    bucket_owner: str | None = None


class Surfaces(NamedTuple):
    application_profiles: tuple[ApplicationProfile, ...] = ()
    provisioned: tuple[str, ...] = ()  # provisioned-model, custom-model-deployment, imported-model
    openai_chat: bool = False
    openai_responses: bool = False
    mantle_models: tuple[str, ...] = ()
    batch: Batch | None = None

    @property
    def any(self) -> bool:
        return self != Surfaces()

    @property
    def profile_regions(self) -> tuple[str, ...]:
        """The application profiles' source Regions, sorted: where they live (a Terraform
        provider and a CloudFormation stack create them in one Region each)."""
        return tuple(sorted({p.source_region for p in self.application_profiles}))
