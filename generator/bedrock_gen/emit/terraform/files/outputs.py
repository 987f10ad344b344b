"""``outputs.tf``: what a caller reads from the module; what names the identity waits for the
attachments."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Block, Expr, Item, comment, output
from bedrock_gen.emit.terraform.module import HEADER, Facts


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
    if f.trust_policy is not None:
        blocks.append(
            output(
                "trusted",
                "Who may assume the role (the trust policy without its secret), for reviewers "
                "reading a plan.",
                f.trusted,
            )
        )
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
