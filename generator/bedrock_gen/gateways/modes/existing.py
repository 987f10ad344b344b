"""``existing_role`` / ``existing_user``: only the policies, attached to an IAM role or user
that already exists (by name). No trust policy is written and no identity is created; the
identity's own trust is its owner's business."""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.gateways.base import ParseContext, StepContext, TrustContext


class Existing(NamedTuple):
    name: str
    entity: str  # existing_role | existing_user
    mode: str


class ExistingMode:
    keys: frozenset[str]

    def __init__(self, kind: str) -> None:
        self.kind = kind  # role | user
        self.id = f"existing_{kind}"
        self.entity = f"existing_{kind}"
        self.keys = frozenset({f"{kind}_name"})
        self.summary = f"policies only, attached to an existing IAM {kind}"

    def parse(self, ctx: ParseContext) -> Existing | None:
        key = f"{self.kind}_name"
        if key not in ctx.auth:
            ctx.findings.error(
                f"{self.kind}-name-missing",
                f"mode: {self.id} needs auth.{key}: the {self.kind} the policies are attached to",
                ("auth",),
            )
            return None
        return Existing(str(ctx.auth[key]), self.entity, self.id)

    def trust_policy(self, settings: Existing, ctx: TrustContext) -> dict[str, Any] | None:
        return None

    def trusted(self, settings: Existing) -> list[str]:
        return [
            f"whoever the existing IAM {self.kind} '{settings.name}' trusts "
            "(bedrock-gen does not manage it)"
        ]

    def next_steps(self, settings: Existing, ctx: StepContext) -> list[str]:
        return [f"Nothing else: the gateway already runs as {self.kind} {settings.name}."]


ROLE = ExistingMode("role")
USER = ExistingMode("user")
