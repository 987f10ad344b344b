"""What a gateway preset and an auth mode are, as the rest of bedrock-gen sees them.

An *auth mode* (``modes/``) is how the gateway gets AWS credentials: it reads its keys of the
config's ``auth`` section, says which IAM identity bedrock-gen creates (or attaches to), writes
that identity's trust policy, and tells the person what to do next. A *preset* (``presets/``)
is a gateway product: which modes it supports, whose SaaS role to trust, whether it sends an
external ID, which permissions beyond invoking models it may use, and anything else only it
needs (Port's registration request, for one). ``registry`` lists them all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from bedrock_gen.load.document import Findings, PathKey

Document = dict[str, Any]
POLICY_VERSION = "2012-10-17"


class ExternalId(NamedTuple):
    """An external ID as written in the config: a literal, or the name of an env variable.

    A value read from the environment is a secret: it never reaches a generated file, where
    ``placeholder`` (``${VAR}``) stands for it.
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


class ParseContext(NamedTuple):
    """What a mode needs to read its part of the ``auth`` section."""

    findings: Findings
    auth: Mapping[str, Any]
    name: str  # the config's name: the default role or user name
    partition: str
    account_id: str | None
    regions: tuple[str, ...] | None
    preset: Preset


class TrustContext(NamedTuple):
    partition: str
    account_id: str | None
    regions: tuple[str, ...] | None
    external_id: str | None  # the text to write: a literal, ``${VAR}``, or the real value


class StepContext(NamedTuple):
    """What next-step instructions need to be commands that work when copied."""

    config_file: str
    module_dir: str  # the generated terraform/ folder, as the user would type it
    entity_name: str
    entity_arn: str
    partition: str
    region: str | None
    policy_files: tuple[str, ...]
    apply: str  # the terraform command line that creates everything


class Mode(Protocol):
    """An auth mode (``modes/*.py``)."""

    id: str
    entity: str
    keys: frozenset[str]  # the auth keys it takes (besides 'mode' and 'gateway')
    summary: str

    def parse(self, ctx: ParseContext) -> AuthSettings | None:
        """Its settings, reporting problems on ``ctx.findings``; None on errors."""
        ...

    def trust_policy(self, settings: Any, ctx: TrustContext) -> Document | None:
        """The role's trust policy (None for users and existing identities)."""
        ...

    def trusted(self, settings: Any) -> list[str]:
        """Who may use the identity, one plain line each (for reviewers)."""
        ...

    def next_steps(self, settings: Any, ctx: StepContext) -> list[str]:
        """What to do after the apply so the gateway uses the identity (commands)."""
        ...


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

    @property
    def is_saas(self) -> bool:
        return bool(self.roles)


def statement(sid: str, principal: Mapping[str, Any], actions: Sequence[str] | str,
              condition: Mapping[str, Any] | None = None) -> Document:
    """One Allow statement of a trust policy, keys in IAM's usual order."""
    stmt: Document = {"Sid": sid, "Effect": "Allow", "Principal": dict(principal),
                      "Action": actions if isinstance(actions, str) else list(actions)}
    if condition:
        stmt["Condition"] = {op: dict(block) for op, block in sorted(condition.items())}
    return stmt


def trust_document(statements: Sequence[Document]) -> Document:
    return {"Version": POLICY_VERSION, "Statement": list(statements)}
