"""What a gateway preset and an auth mode are, as the rest of bedrock-gen sees them.

An *auth mode* (``modes/``) is how the gateway gets AWS credentials: it reads its keys of the
config's ``auth`` section, says which IAM identity bedrock-gen creates (or attaches to), writes
that identity's trust policy, and tells the person what to do next. A *preset* (``presets/``)
is a gateway product: which modes it supports, whose SaaS role to trust, whether it sends an
external ID, which permissions beyond invoking models it may use, and anything else only it
needs (Port's registration request, for one). ``registry`` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from bedrock_gen.config.gateway import AuthSettings, Preset
from bedrock_gen.load.document import Findings

Document = dict[str, Any]
POLICY_VERSION = "2012-10-17"


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


def statement(
    sid: str,
    principal: Mapping[str, Any],
    actions: Sequence[str] | str,
    condition: Mapping[str, Any] | None = None,
) -> Document:
    """One Allow statement of a trust policy, keys in IAM's usual order."""
    stmt: Document = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": dict(principal),
        "Action": actions if isinstance(actions, str) else list(actions),
    }
    if condition:
        stmt["Condition"] = {op: dict(block) for op, block in sorted(condition.items())}
    return stmt


def trust_document(statements: Sequence[Document]) -> Document:
    return {"Version": POLICY_VERSION, "Statement": list(statements)}
