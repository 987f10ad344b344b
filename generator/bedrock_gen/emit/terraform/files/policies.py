"""``policies.tf``: the policy documents as locals, and the tags."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Attr, Expr, Item, Template, block, comment
from bedrock_gen.emit.terraform.files import surfaces
from bedrock_gen.emit.terraform.module import HEADER, Facts


def build(f: Facts) -> list[Item]:
    body: list[Item] = [
        comment(
            "Invoke policy parts by stable key: a model keeps its part across renders, so no apply",
            "ever removes access from one part before another part grants it.",
        ),
        Attr("invoke_policies", f.invoke_policies),
    ]
    if f.trust_policy is not None:
        body += [BLANK, Attr("trust_policy", f.trust_policy)]
    if f.oidc_provider_arn is not None:
        body += [
            BLANK,
            comment(
                "IRSA: the token's :sub claim for each NAMESPACE:NAME in var.service_accounts."
            ),
            Attr(
                "irsa_subjects",
                Expr('[for pair in var.service_accounts : "system:serviceaccount:${pair}"]'),
            ),
        ]
    if f.cluster_arn is not None:
        body += [
            BLANK,
            comment("Pod Identity: the cluster the trust policy and the associations name."),
            Attr("cluster_arn", Template(f"{f.cluster_arn_prefix}${{var.cluster_name}}")),
        ]
    body += surfaces.locals_(f)
    body += [
        BLANK,
        comment("The config's tags; the module's tags input is merged over them."),
        Attr("config_tags", dict(f.tags)),
        Attr("tags", Expr("merge(local.config_tags, var.tags)")),
    ]
    return [
        comment(
            HEADER,
            "",
            "The policy documents: the same documents as ../iam/*.json, written as HCL objects.",
            "tests/bedrock_gen.tftest.hcl checks that the planned policies equal those files.",
        ),
        BLANK,
        block("locals", body),
    ]
