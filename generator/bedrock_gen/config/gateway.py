"""What a config says about its gateway: the preset (the product), the auth settings (how it
gets credentials), its external ID, and the permissions it needs beyond invoking models.

These are the vocabulary the config model is built from; ``gateways/`` holds each preset's and
mode's knowledge, and produces these values while the config is validated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple, Protocol

from bedrock_gen.load.document import PathKey


class ExternalId(NamedTuple):
    """An external ID as written in the config: a literal, or the name of an env variable.

    A value read from the environment is a secret: it never reaches a generated file, where
    ``placeholder`` (``${VAR}``) stands for it. ``{none: REASON}`` is the reviewed opt-out (the
    role is then trusted without ``sts:ExternalId``); the mode keeps the reason apart
    (``external_id_opt_out``), and no ``ExternalId`` is made for it.
    """

    literal: str | None = None
    env: str | None = None
    path: PathKey = ("auth", "external_id")

    def value(self, environ: Mapping[str, str] | None = None) -> str | None:
        if self.literal is not None:
            return self.literal
        assert self.env is not None
        return (os.environ if environ is None else environ).get(self.env)

    @property
    def placeholder(self) -> str:
        """What generated files hold instead of the value: the literal, or ``${VAR}``."""
        return self.literal if self.literal is not None else "${" + str(self.env) + "}"

    @property
    def from_env(self) -> bool:
        return self.env is not None


class Needs(NamedTuple):
    """Permissions beyond invoking models, each opt-in (``permissions`` in the config)."""

    count_tokens: bool = False  # bedrock:CountTokens (LiteLLM counts tokens before a call)
    guardrail_reads: bool = False  # bedrock:GetGuardrail on the configured guardrails
    model_discovery: bool = False  # List* / GetInferenceProfile, for gateways listing models
    secure_transport: bool = False  # every Allow conditioned on aws:SecureTransport

    def chosen(self) -> list[str]:
        return [name for name, on in self._asdict().items() if on]


NEED_NAMES = tuple(Needs._fields)

# Bedrock API keys (bearer tokens): ``deny`` (every generated identity policy denies
# bedrock:CallWithBearerToken and bedrock-mantle:CallWithBearerToken), or ``short_term`` (only
# keys minted from the role's own session: bedrock:BearerTokenType = SHORT_TERM).
BEARER_TOKEN_CHOICES = ("deny", "short_term")
# Bedrock's service tiers (API reference, ServiceTier.type: priority | default | flex | reserved).
SERVICE_TIERS = ("default", "flex", "priority", "reserved")


class Restrictions(NamedTuple):
    """What every generated identity policy denies besides granting (``permissions``)."""

    bearer_tokens: str = "deny"  # one of BEARER_TOKEN_CHOICES
    service_tiers: tuple[str, ...] | None = None  # the allowed tiers; None: every tier

    @property
    def denied_tiers(self) -> tuple[str, ...]:
        if self.service_tiers is None:
            return ()
        return tuple(t for t in SERVICE_TIERS if t not in self.service_tiers)


class AuthSettings(Protocol):
    """What every mode's settings tell the rest of bedrock-gen."""

    @property
    def mode(self) -> str: ...

    @property
    def entity(self) -> str:
        """``role`` or ``user`` (created by bedrock-gen), ``existing_role``/``existing_user``."""
        ...

    @property
    def name(self) -> str: ...


class Preset(NamedTuple):
    """A gateway product (``presets/*.py``)."""

    id: str
    title: str
    docs: str  # where its AWS setup is documented
    modes: tuple[str, ...]  # auth modes it supports, the usual one first
    roles: Mapping[str, str] = MappingProxyType({})  # SaaS roles it assumes from, by label
    default_roles: tuple[str, ...] = ()
    external_id: str = "none"  # "recommended", "required", "optional" or "none"
    needs: tuple[str, ...] = ()  # permissions beyond invoke it may use (Needs fields)
    service_accounts: tuple[str, ...] = ()  # documented Kubernetes service accounts
    secret_name: str | None = None  # where the gateway keeps the external ID
    note: str = ""
    # A SaaS gateway shared by many customers (one vendor role assumes every customer's role):
    # without an external ID any of its tenants could point it at this role (the confused
    # deputy), so a missing external ID is an error unless opted out ({none: REASON}).
    multi_tenant: bool = False
    # How IAM descriptions name it ("Assumed by ... to call Amazon Bedrock"); default: title.
    described_as: str = ""

    @property
    def described(self) -> str:
        return self.described_as or self.title

    @property
    def is_saas(self) -> bool:
        return bool(self.roles)
