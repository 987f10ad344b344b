"""A guardrail as the config names it, and the guardrail profiles AWS routes guardrail calls
through.

Facts (each from the AWS Bedrock user guide):

- ``bedrock:ApplyGuardrail`` is authorized on the guardrail (``guardrails-permissions``); with
  cross-Region inference also on the *guardrail profile* its cross-Region configuration names,
  in the source Region and in every destination Region of that profile
  (``guardrail-profiles-permissions``), in the guardrail owner's account
  (``guardrails-resource-based-policies``: "ApplyGuardrail on all destination-Region
  guardrail-owner-account profile objects").
- ``bedrock:GuardrailIdentifier`` (on InvokeModel and InvokeModelWithResponseStream) is the
  guardrail ARN with ``:N`` for numeric version N; the bare ARN means the DRAFT version
  (``guardrails-permissions-id``).
- A guardrail in another account is usable when its resource-based policy allows the caller
  (``guardrails-resource-based-policies``, which supersedes the older "same account" note).

``PROFILES`` is the table of ``guardrails-cross-region-support`` ("Supported Regions for
cross-Region guardrail inference"; stored copy, index id 56978108315): per guardrail profile,
per source Region, the destination Regions.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

PROFILE_DOC = (
    "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-cross-region-support.html"
)

_EU = (
    "eu-central-1",
    "eu-west-1",
    "eu-west-3",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
)
_APAC = (
    "ap-south-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
)
_APAC_WIDE = (
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
)
_US = ("us-east-1", "us-east-2", "us-west-2")

# guardrail profile ID -> source Region -> destination Regions
PROFILES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "us.guardrail.v1:0": MappingProxyType(
            {
                "us-east-1": _US,
                "us-east-2": _US,
                "us-west-1": (*_US, "us-west-1"),
                "us-west-2": _US,
            }
        ),
        "us-gov.guardrail.v1:0": MappingProxyType(
            {
                "us-gov-east-1": ("us-gov-east-1", "us-gov-west-1"),
                "us-gov-west-1": ("us-gov-east-1", "us-gov-west-1"),
            }
        ),
        "eu.guardrail.v1:0": MappingProxyType(
            {**{r: _EU for r in _EU}, "il-central-1": (*_EU, "il-central-1")}
        ),
        "uk.guardrail.v1:0": MappingProxyType({"eu-west-2": ("eu-west-2",)}),
        "au.guardrail.v1:0": MappingProxyType({"ap-southeast-2": ("ap-southeast-2",)}),
        "ca.guardrail.v1:0": MappingProxyType({"ca-central-1": ("ca-central-1", "ca-west-1")}),
        "apac.guardrail.v1:0": MappingProxyType(
            {
                **{r: _APAC for r in _APAC},
                "ap-southeast-3": _APAC_WIDE,
                "ap-southeast-4": tuple(r for r in _APAC_WIDE if r != "ap-southeast-3"),
                "ap-east-2": ("ap-east-2", *_APAC_WIDE),
                "ap-southeast-5": (*_APAC_WIDE, "ap-southeast-5"),
                "ap-southeast-7": (*_APAC_WIDE, "ap-southeast-7"),
                "me-central-1": (*_APAC_WIDE, "me-central-1"),
            }
        ),
    }
)

DRAFT = "DRAFT"


class Guardrail(NamedTuple):
    """One guardrail: its ARN, the version a gateway applies, whether the policy enforces it
    (InvokeModel* only with this ``bedrock:GuardrailIdentifier``), and the guardrail profile
    of its cross-Region configuration, if any."""

    arn: str
    version: str | None = None  # "1", "2", ... or DRAFT; None: not said
    enforce: bool = False
    profile: str | None = None  # a guardrail profile ID (PROFILES)

    @property
    def partition(self) -> str:
        return self.arn.split(":")[1]

    @property
    def region(self) -> str:
        return self.arn.split(":")[3]

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]

    @property
    def identifier(self) -> str:
        """The ``bedrock:GuardrailIdentifier`` value a call with this guardrail carries: the ARN
        with ``:N`` for a numeric version, the bare ARN for DRAFT (AWS's forms)."""
        if self.version is None or self.version == DRAFT:
            return self.arn
        return f"{self.arn}:{self.version}"

    def profile_arns(self) -> list[str]:
        """The guardrail profile in the guardrail's Region and every destination Region it
        routes to from there, in the guardrail owner's account."""
        if self.profile is None:
            return []
        routes = PROFILES.get(self.profile, {})
        regions = sorted({self.region, *routes.get(self.region, ())})
        return [
            f"arn:{self.partition}:bedrock:{r}:{self.account}:guardrail-profile/{self.profile}"
            for r in regions
        ]

    def resources(self) -> list[str]:
        """What ``bedrock:ApplyGuardrail`` must be allowed on for this guardrail."""
        return [self.arn, f"{self.arn}:*", *self.profile_arns()]
