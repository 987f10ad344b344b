"""``tests/bedrock_gen.tftest.hcl``: the module's own ``terraform test`` (mocked provider)."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import (
    BLANK,
    Attr,
    Block,
    Expr,
    InlineList,
    Item,
    block,
    comment,
)
from bedrock_gen.emit.terraform.files import surfaces
from bedrock_gen.emit.terraform.hcl import string
from bedrock_gen.emit.terraform.module import Facts


def _assert(condition: str, message: str) -> Block:
    return block("assert", [Attr("condition", Expr(condition)), Attr("error_message", message)])


def _run(name: str, command: str, *items: Item | None) -> Block:
    body: list[Item] = [Attr("command", Expr(command))]
    for item in items:
        if item is not None:
            body += [BLANK, item]
    return block("run", name, body)


def _mocks(f: Facts) -> Block:
    body: list[Item] = []
    if f.kind == "role" and f.creates:
        body += [
            block(
                "mock_resource",
                "aws_iam_role",
                [Attr("defaults", {"arn": f.entity_arn, "unique_id": "AROAEXAMPLEEXAMPLEAB"})],
            ),
            BLANK,
        ]
    elif f.is_user and f.creates:
        body += [
            block(
                "mock_resource",
                "aws_iam_user",
                [Attr("defaults", {"arn": f.entity_arn, "unique_id": "AIDAEXAMPLEEXAMPLEAB"})],
            ),
            BLANK,
            block(
                "mock_resource",
                "aws_iam_access_key",
                [Attr("defaults", {"id": "AKIAEXAMPLEEXAMPLEAB"})],
            ),
            BLANK,
        ]
    body.append(block("mock_resource", "aws_iam_policy", [Attr("defaults", {"arn": f.policy_arn})]))
    more = surfaces.mocks(f)
    if more:
        body = [*more, *body]
    return block("mock_provider", "aws", body)


def _documents(f: Facts) -> Block:
    checks: list[Item | None] = [
        _assert(
            f'jsondecode(aws_iam_policy.invoke["{key}"].policy) == '
            f'jsondecode(file("../iam/{file}"))',
            f"The planned policy part {key} differs from iam/{file}.",
        )
        for key, file in f.policy_files
    ]
    if f.trust_policy is not None:
        checks.append(
            _assert(
                "jsondecode(aws_iam_role.this[0].assume_role_policy) == "
                f"jsondecode({f.trust_file_expr})",
                "The planned trust policy differs from iam/trust-policy.json.",
            )
        )
    return _run("documents_match_generated_json", "plan", *checks)


def _pod_identity(f: Facts) -> Block:
    pairs = ", ".join(string(f"{ns}:{sa}") for ns, sa in f.service_accounts)
    cluster = string(f.cluster_name or "")
    return _run(
        "pod_identity_associations_are_the_trusted_service_accounts",
        "plan",
        block("variables", [Attr("create_pod_identity_associations", True)]),
        _assert(
            "toset([for association in aws_eks_pod_identity_association.this : "
            '"${association.namespace}:${association.service_account}"]) == '
            f"toset([{pairs}])",
            "There must be one Pod Identity association for each trusted service account, and "
            "no other.",
        ),
        _assert(
            "alltrue([for association in aws_eks_pod_identity_association.this : "
            f"association.cluster_name == {cluster}])",
            "Every Pod Identity association must be in the trusted cluster.",
        ),
    )


OTHER_OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"


def _composed(f: Facts) -> Block:
    """A caller's own names (and clusters) reach the resources: name_prefix, policy prefix,
    a second OIDC provider and other service accounts (IRSA), another cluster (Pod Identity)."""
    inputs: list[Item] = [Attr("name_prefix", "gw-"), Attr("policy_name_prefix", "gw-policy-")]
    checks: list[Item | None] = [
        _assert(
            'aws_iam_role.this[0].name_prefix == "gw-"',
            "name_prefix must name the role.",
        ),
        _assert(
            # a 0.1 split layout numbers part 1 too
            'aws_iam_policy.invoke["1"].name_prefix == '
            + ('"gw-policy-1-"' if f.first_part_suffixed else '"gw-policy-"'),
            "policy_name_prefix must name the invoke policies.",
        ),
    ]
    if f.oidc_provider_arn is not None:
        account = f.oidc_provider_arn.split(":")[4]
        other = f"arn:{f.config.partition}:iam::{account}:oidc-provider/{OTHER_OIDC}"
        inputs += [
            Attr("oidc_provider_arns", [f.oidc_provider_arn, other]),
            Attr("service_accounts", ["team-a:gateway"]),
        ]
        checks.append(
            _assert(
                "jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[1].Condition"
                f'.StringEquals["{OTHER_OIDC}:sub"] == "system:serviceaccount:team-a:gateway"',
                "Each OIDC provider must get a statement for the given service accounts.",
            )
        )
    if f.cluster_arn is not None:
        inputs.append(Attr("cluster_name", "other-cluster"))
        checks.append(
            _assert(
                "jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Condition"
                '.StringEquals["aws:RequestTag/eks-cluster-arn"] == '
                f'"{f.cluster_arn_prefix}other-cluster"',
                "The trust policy must name the given cluster.",
            )
        )
    return _run(
        "a_caller_names_the_role_and_its_clusters", "plan", block("variables", inputs), *checks
    )


def build(f: Facts) -> list[Item]:
    k = f.kind
    out: list[Item] = [
        comment(
            "Generated by bedrock-gen. Run with `terraform test` in the module folder",
            "(Terraform >= 1.7, for mock_provider; the module itself needs >= 1.5.7).",
            "",
            "Checks, with a mocked AWS provider (no credentials, nothing created), that the "
            "policies this",
            "module plans are exactly the documents in ../iam/*.json.",
        ),
        BLANK,
        _mocks(f),
    ]
    if f.port_secret:
        out += [BLANK, block("mock_provider", "port", [])]
    if f.test_external_id:
        out += [
            BLANK,
            block(
                "variables",
                [
                    comment(
                        "A stand-in: the real external ID is a secret and never part of "
                        "these files."
                    ),
                    Attr("external_id", f.test_external_id),
                ],
            ),
        ]
    for item in surfaces.overrides(f):
        out += [BLANK, item]
    out += [BLANK, _documents(f)]
    if f.mode == "eks_pod_identity":
        out += [BLANK, _pod_identity(f)]
    if f.instance_profile:
        out += [
            BLANK,
            _run(
                "instance_profile_holds_the_role",
                "plan",
                _assert(
                    "aws_iam_instance_profile.this[0].role == var.name",
                    "The instance profile must hold the role.",
                ),
            ),
        ]
    for run in surfaces.runs(f):
        out += [BLANK, run]
    if f.creates_role:
        out += [
            BLANK,
            _composed(f),
            BLANK,
            block(
                "run",
                "name_and_name_prefix_are_exclusive",
                [
                    Attr("command", Expr("plan")),
                    BLANK,
                    block("variables", [Attr("name", "other"), Attr("name_prefix", "gw-")]),
                    BLANK,
                    Attr("expect_failures", InlineList([Expr("aws_iam_role.this")])),
                ],
            ),
        ]
    wired: list[Item | None] = []
    if f.creates:
        wired.append(
            _assert(
                f"output.{k}_arn == {string(f.entity_arn)}",
                f"output.{k}_arn is not the created ARN.",
            )
        )
    wired.append(
        _assert(
            f"length(output.policy_arns) == {len(f.policy_files)}",
            "Every invoke policy part must be created.",
        )
    )
    wired += surfaces.wired(f)
    out += [BLANK, _run("outputs_are_wired", "apply", *wired)]
    nothing: list[Item | None] = [
        block("variables", [Attr("create", False)]),
        _assert(
            "length(aws_iam_policy.invoke) == 0",
            "With create = false the module must create nothing.",
        ),
    ]
    if f.mode == "eks_pod_identity":
        nothing.append(
            _assert(
                "length(aws_eks_pod_identity_association.this) == 0",
                "With create = false the module must create no Pod Identity association.",
            )
        )
    nothing += surfaces.nothing(f)
    if f.instance_profile:
        nothing.append(
            _assert(
                "length(aws_iam_instance_profile.this) == 0",
                "With create = false the module must create no instance profile.",
            )
        )
    out += [BLANK, _run("create_false_creates_nothing", "plan", *nothing)]
    return out
