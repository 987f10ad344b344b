"""``access_keys``: an IAM user whose access keys the gateway holds (for gateways that cannot
assume a role). Terraform may create the key (``terraform.create_access_key``); its secret then
lands in the Terraform state unless a PGP key encrypts it."""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.gateways.base import ParseContext, StepContext, TrustContext


class AccessKeys(NamedTuple):
    name: str
    mode: str = "access_keys"
    entity: str = "user"


class AccessKeysMode:
    id = "access_keys"
    entity = "user"
    keys = frozenset({"user_name"})
    summary = "an IAM user whose access keys the gateway stores"

    def parse(self, ctx: ParseContext) -> AccessKeys | None:
        return AccessKeys(str(ctx.auth.get("user_name", ctx.name)))

    def trust_policy(self, settings: AccessKeys, ctx: TrustContext) -> dict[str, Any] | None:
        return None

    def trusted(self, settings: AccessKeys) -> list[str]:
        return [f"whoever holds an access key of IAM user '{settings.name}'"]

    def next_steps(self, settings: AccessKeys, ctx: StepContext) -> list[str]:
        return [
            f"aws iam create-access-key --user-name {settings.name}   (or "
            "create_access_key = true in the module), then store the key in the gateway."
        ]


MODE = AccessKeysMode()
