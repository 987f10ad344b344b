"""The facts the module templates need, computed from the config and its documents.

The templates (``templates/terraform/``) hold the module's structure; this module only
prepares values: the policy documents (with ``var.external_id`` in the trust policy's place of
the secret), names, defaults, the addresses earlier releases used (``moved``), and the stand-ins
the shipped ``terraform test`` runs with.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config
from bedrock_gen.emit.terraform.hcl import Expr
from bedrock_gen.gateways.registry import MODES
from bedrock_gen.iam.limits import EXTERNAL_ID_CHARS, MANAGED_POLICIES_PER_ROLE_MAX, NAME_RE

AWS_VERSION = ">= 5.0"
# aws_eks_pod_identity_association is new in hashicorp/aws 5.29.0 (its CHANGELOG, "5.29.0
# (November 30, 2023)": "New Resource: aws_eks_pod_identity_association").
AWS_VERSION_POD_IDENTITY = ">= 5.29.0"


def aws_version(config: Config) -> str:
    """The provider constraint the module's resources need."""
    if config.auth.mode == "eks_pod_identity" and config.terraform.create_pod_identity_associations:
        return AWS_VERSION_POD_IDENTITY
    return AWS_VERSION


PORT_VERSION = ">= 2.14.0"  # port_organization_secret
MOCK_ACCOUNT = "123456789012"
TEST_EXTERNAL_ID = "bedrock-gen-test-external-id"


def _trust_local(docs: Documents) -> dict[str, Any] | None:
    """The trust policy with ``var.external_id`` where the external ID goes."""
    if docs.trust is None:
        return None
    document = copy.deepcopy(docs.trust.document)
    for statement in document["Statement"]:
        block = statement.get("Condition", {}).get("StringEquals", {})
        if "sts:ExternalId" in block:
            block["sts:ExternalId"] = Expr("var.external_id")
    return document


def _port_output(config: Config) -> str:
    """The ``port_provider_config`` output: Port's Bedrock config with the ARN from the apply."""
    from bedrock_gen.emit.terraform.hcl import string
    from bedrock_gen.gateways.presets.port_api import provider_config, settings

    cfg = provider_config(config, settings(config)) or {}
    parts = []
    if config.is_role:
        parts.append("roleArn = try(aws_iam_role.this[0].arn, null)")
    parts += [f"{key} = {string(value)}" for key, value in cfg.items() if key != "roleArn"]
    if "region" not in cfg:
        parts.append("region = null")
    return "{ " + ", ".join(parts) + " }"


def _moved(config: Config, legacy: str | None, parts: int) -> list[tuple[str, str]]:
    """Addresses of bedrock-gen 0.1 modules, moved to today's (a no-op where absent)."""
    out: list[tuple[str, str]] = []
    if config.is_role and config.creates_entity:
        out.append(("aws_iam_role.this", "aws_iam_role.this[0]"))
        attachment = "aws_iam_role_policy_attachment"
    elif config.creates_entity:
        out.append(("aws_iam_user.this", "aws_iam_user.this[0]"))
        attachment = "aws_iam_user_policy_attachment"
    else:
        return out
    # 0.1 named one policy `invoke`, or split ones `invoke_1`, `invoke_2`, ...; two moves to
    # one address are "ambiguous" to Terraform, so `invoke_1` goes through `invoke` (a chain).
    count = 1
    if legacy is not None and legacy.startswith("split"):
        count = int(legacy.partition(":")[2] or MANAGED_POLICIES_PER_ROLE_MAX)
    for resource in ("aws_iam_policy", attachment):
        out.append((f"{resource}.invoke_1", f"{resource}.invoke"))
        out.append((f"{resource}.invoke", f'{resource}.invoke["1"]'))
        out += [
            (f"{resource}.invoke_{n}", f'{resource}.invoke["{n}"]') for n in range(2, count + 1)
        ]
    return out


def context(config: Config, docs: Documents, legacy: str | None) -> dict[str, Any]:
    kind = "user" if config.is_user else "role"
    creates = config.creates_entity
    spec = config.external_id
    partition = config.partition
    account = config.account_id or MOCK_ACCOUNT
    path = config.terraform.path if creates else "/"
    trust = _trust_local(docs)
    mode = MODES[config.auth.mode]
    trust_file = 'file("../iam/trust-policy.json")'
    if spec is not None and spec.from_env:
        trust_file = f'replace({trust_file}, "$${{{spec.env}}}", "{TEST_EXTERNAL_ID}")'
    entity_ref = f"aws_iam_{kind}.this[0].name" if creates else "var.name"
    port_output = _port_output(config) if config.gateway.id == "port" else None
    settings = config.auth
    gateway_title = "Port's LLM gateway" if config.gateway.id == "port" else config.gateway.title
    return {
        "config": config,
        "config_name": Path(config.file).name,
        "kind": kind,
        "mode": config.auth.mode,
        "mode_summary": mode.summary,
        "creates": creates,
        "is_user": config.is_user,
        "is_port": config.gateway.id == "port",
        "gateway_title": gateway_title,
        "name": config.entity_name,
        # as bedrock-gen 0.1 wrote it, so upgrading changes no description
        "description": config.description
        or (f"Assumed by {gateway_title} to call Amazon Bedrock. Generated by bedrock-gen."),
        "path": config.terraform.path,
        "policy_name": config.invoke_policy_name,
        "permissions_boundary": config.terraform.permissions_boundary,
        "max_session_duration": getattr(settings, "max_session_duration", None) or 3600,
        "name_re": NAME_RE,
        "external_id_re": f"^{EXTERNAL_ID_CHARS}+$",
        "external_id": ({"env": spec.env, "literal": spec.literal} if spec is not None else None),
        "needs_external_id": spec is not None and spec.from_env,
        "secret_name": getattr(settings, "secret_name", None) or config.gateway.secret_name,
        "create_access_key": config.terraform.create_access_key,
        "create_associations": config.terraform.create_pod_identity_associations,
        "instance_profile": getattr(settings, "instance_profile", False),
        "cluster_name": getattr(settings, "cluster_name", None),
        "service_accounts": {
            f"{ns}/{sa}": {"namespace": ns, "service_account": sa}
            for ns, sa in getattr(settings, "service_accounts", ())
        },
        "service_account_pairs": [
            f"{ns}:{sa}" for ns, sa in getattr(settings, "service_accounts", ())
        ],
        "port_secret": config.terraform.port_secret,
        "port_output": port_output,
        "aws_version": aws_version(config),
        "port_version": PORT_VERSION,
        "tags": dict(config.terraform.tags),
        "invoke_policies": {str(d.part): d.document for d in docs.invoke},
        "policy_files": [(str(d.part), d.filename) for d in docs.invoke],
        "parts": len(docs.invoke),
        "trust_policy": trust,
        "trusted": mode.trusted(config.auth),
        "trust_file_expr": trust_file,
        "test_external_id": TEST_EXTERNAL_ID if spec is not None and spec.from_env else None,
        "entity_ref": entity_ref,
        "attachment": f"aws_iam_{kind}_policy_attachment",
        "entity_arn": f"arn:{partition}:iam::{account}:{kind}{path}{config.entity_name}",
        "policy_arn": f"arn:{partition}:iam::{account}:policy{path}{config.invoke_policy_name}",
        "moved": _moved(config, legacy, len(docs.invoke)),
        "first_part_suffixed": legacy is not None and legacy.startswith("split"),
        "module_path": (Path(config.output_dir) / "terraform").as_posix(),
        # Pod Identity associations are created in the provider's Region: the cluster's.
        "example_region": (
            getattr(settings, "cluster_region", None) or config.primary_region or "us-east-1"
        ),
    }


def json_dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
