"""``outputs.tf``: what a caller reads from the module; what names the identity waits for the
attachments."""

from __future__ import annotations

from typing import Any

from bedrock_gen.emit.terraform.blocks import BLANK, Block, Expr, For, Item, comment, output
from bedrock_gen.emit.terraform.files import surfaces
from bedrock_gen.emit.terraform.hcl import inline
from bedrock_gen.emit.terraform.module import HEADER, Facts


def _trusted(f: Facts) -> Any:
    """Who may assume the role, as the mode describes it, from the module's inputs."""
    if f.oidc_provider_arn is not None:
        return Expr(
            "flatten([for arn in var.oidc_provider_arns : [for pair in var.service_accounts : "
            '"Kubernetes service account ${replace(pair, ":", "/")} through ${arn} '
            '(sts:AssumeRoleWithWebIdentity)"]])'
        )
    if f.cluster_arn is not None:
        return For(
            f"for line in {inline(f.trusted)}",
            Expr(f'replace(line, "{f.cluster_arn}", local.cluster_arn)'),
        )
    return f.trusted


def build(f: Facts) -> list[Item]:
    k = f.kind
    attached = [f"{f.attachment}.invoke", f"{f.attachment}.additional"]
    blocks: list[Block] = []
    if f.creates:
        assumes = " the gateway assumes" if k == "role" else ""
        blocks += [
            output(
                f"{k}_arn",
                f"ARN of the IAM {k}{assumes}.",
                Expr(f"try(aws_iam_{k}.this[0].arn, null)"),
                depends_on=attached,
            ),
            output(
                f"{k}_name",
                f"Name of the IAM {k}.",
                Expr(f"try(aws_iam_{k}.this[0].name, null)"),
                depends_on=attached,
            ),
            output(
                f"{k}_unique_id",
                f"Unique ID of the IAM {k}.",
                Expr(f"try(aws_iam_{k}.this[0].unique_id, null)"),
                depends_on=attached,
            ),
        ]
    blocks.append(
        output(
            "policy_arns",
            "ARNs of the managed invoke policies, by part.",
            Expr("{ for key, policy in aws_iam_policy.invoke : key => policy.arn }"),
            depends_on=[f"{f.attachment}.invoke"],
        )
    )
    blocks += [
        output(
            "policy_names",
            "Names of the managed invoke policies, by part.",
            Expr("{ for key, policy in aws_iam_policy.invoke : key => policy.name }"),
            depends_on=[f"{f.attachment}.invoke"],
        ),
        output(
            "policies",
            "The invoke policy documents (JSON), by part: what IAM gets, for reviewers.",
            Expr("{ for key, policy in local.invoke_policies : key => jsonencode(policy) }"),
        ),
    ]
    if f.trust_policy is not None:
        blocks += [
            output(
                "trusted",
                "Who may assume the role (the trust policy without its secret), for reviewers "
                "reading a plan.",
                _trusted(f),
            ),
            output(
                "trust_policy",
                "The role's trust policy (JSON)"
                + (", sensitive: it holds the external ID." if f.external_id else "."),
                Expr("jsonencode(local.trust_policy)"),
                sensitive=f.external_id is not None,
            ),
        ]
    if f.mode == "access_keys":
        blocks += [
            output(
                "access_key_id",
                "ID of the access key, or null when none is created.",
                Expr("one(aws_iam_access_key.this[*].id)"),
            ),
            output(
                "secret_access_key",
                "Secret of the access key (null when encrypted with pgp_key or not created). It "
                "is stored in the Terraform state.",
                Expr("one(aws_iam_access_key.this[*].secret)"),
                sensitive=True,
            ),
            output(
                "encrypted_secret_access_key",
                "The secret encrypted with pgp_key, or null.",
                Expr("one(aws_iam_access_key.this[*].encrypted_secret)"),
            ),
        ]
    if f.instance_profile:
        blocks.append(
            output(
                "instance_profile_arn",
                "ARN of the instance profile (EC2), or null.",
                Expr("one(aws_iam_instance_profile.this[*].arn)"),
            )
        )
    if f.mode == "eks_pod_identity":
        blocks.append(
            output(
                "pod_identity_associations",
                "IDs of the EKS Pod Identity associations, by NAMESPACE/SERVICE_ACCOUNT.",
                Expr(
                    "{ for key, association in aws_eks_pod_identity_association.this : "
                    "key => association.association_id }"
                ),
            )
        )
    blocks += surfaces.outputs(f)
    if f.port_output is not None:
        blocks.append(
            output(
                "port_provider_config",
                f"Port's Bedrock provider config for this {k} (the body of "
                "port/llm-provider.json, with the ARN from this apply).",
                f.port_output,
            )
        )
    out: list[Item] = [
        comment(
            HEADER,
            "",
            f"Outputs that name the {k} are known only once every policy is attached, so "
            "nothing that",
            "uses them (a gateway's configuration) can start before its permissions exist.",
        )
    ]
    for b in blocks:
        out += [BLANK, b]
    return out
