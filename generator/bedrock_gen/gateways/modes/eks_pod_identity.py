"""``eks_pod_identity``: EKS Pod Identity.

Trust, as the EKS user guide ("Create an IAM role for EKS Pod Identity") writes it: the service
principal ``pods.eks.amazonaws.com`` with ``sts:AssumeRole`` and ``sts:TagSession`` (Pod
Identity tags each session). The guide's example restricts the role with ``StringEquals`` on the
session tags ``aws:RequestTag/kubernetes-namespace`` and ``kubernetes-service-account``; this
mode also pins ``aws:RequestTag/eks-cluster-arn``, so the same namespace and name in another
cluster of the account are not let in, and ``aws:SourceAccount`` (the cluster's account),
the confused-deputy condition for service principals (IAM user guide, "The confused deputy
problem"), which the tags cannot replace when session tags are disabled on an association.
Without any of them every Pod Identity association in the account could assume the role. One
statement per namespace, so a service account name listed for one namespace is not also
trusted in another.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from bedrock_gen.gateways.base import (
    ParseContext,
    StepContext,
    TrustContext,
    statement,
    trust_document,
)
from bedrock_gen.gateways.modes import common, kubernetes

CLUSTER_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-us-gov|aws-cn):eks:(?P<region>[a-z0-9-]+):"
    r"(?P<account>[0-9]{12}):cluster/(?P<name>[A-Za-z0-9][A-Za-z0-9_-]{0,99})$"
)
PRINCIPAL = "pods.eks.amazonaws.com"
DOC = "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html"


class EksPodIdentity(NamedTuple):
    name: str
    cluster_arn: str
    cluster_name: str
    service_accounts: tuple[tuple[str, str], ...]
    max_session_duration: int | None = None
    mode: str = "eks_pod_identity"
    entity: str = "role"

    @property
    def cluster_region(self) -> str:
        return self.cluster_arn.split(":")[3]

    @property
    def cluster_account(self) -> str:
        return self.cluster_arn.split(":")[4]


class EksPodIdentityMode:
    id = "eks_pod_identity"
    entity = "role"
    keys = frozenset({*common.ROLE_KEYS, "cluster_arn", "service_accounts"})
    summary = "EKS Pod Identity (pods.eks.amazonaws.com, conditioned on the session tags)"

    def parse(self, ctx: ParseContext) -> EksPodIdentity | None:
        mark = ctx.findings.mark
        arn = ctx.auth.get("cluster_arn")
        m = None
        path = ("auth", "cluster_arn")
        if arn is None:
            ctx.findings.error(
                "cluster-arn-missing",
                "mode: eks_pod_identity needs "
                "auth.cluster_arn (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)",
                ("auth",),
            )
        else:
            m = CLUSTER_ARN.match(arn)
            if m is None:
                ctx.findings.error(
                    "invalid-cluster-arn",
                    f"'{arn}' is not an EKS cluster ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)",
                    path,
                )
            else:
                if m["partition"] != ctx.partition:
                    ctx.findings.error(
                        "cluster-partition",
                        f"the cluster is in partition "
                        f"{m['partition']}, the role in {ctx.partition}",
                        path,
                    )
                if ctx.account_id is not None and m["account"] != ctx.account_id:
                    ctx.findings.error(
                        "cluster-account",
                        f"the cluster is in account "
                        f"{m['account']} but account_id is {ctx.account_id}; "
                        "create the role in the cluster's account (cross-account "
                        "Pod Identity needs a role chain bedrock-gen does not "
                        "write)",
                        path,
                    )
        accounts = kubernetes.service_accounts(ctx)
        if ctx.findings.errors_since(mark) or m is None:
            return None
        return EksPodIdentity(
            common.role_name(ctx), str(arn), m["name"], accounts, common.session(ctx)
        )

    def trust_policy(self, settings: EksPodIdentity, ctx: TrustContext) -> dict[str, Any]:
        groups = kubernetes.by_namespace(settings.service_accounts)
        statements = []
        for i, (ns, names) in enumerate(groups.items(), start=1):
            sid = "AllowEksPodIdentity" + (str(i) if len(groups) > 1 else "")
            statements.append(
                statement(
                    sid,
                    {"Service": PRINCIPAL},
                    ["sts:AssumeRole", "sts:TagSession"],
                    {
                        "StringEquals": {
                            "aws:SourceAccount": settings.cluster_account,
                            "aws:RequestTag/eks-cluster-arn": settings.cluster_arn,
                            "aws:RequestTag/kubernetes-namespace": ns,
                            "aws:RequestTag/kubernetes-service-account": names[0]
                            if len(names) == 1
                            else names,
                        }
                    },
                )
            )
        return trust_document(statements)

    def trusted(self, settings: EksPodIdentity) -> list[str]:
        return [
            f"Kubernetes service account {ns}/{name} in {settings.cluster_arn} (EKS Pod Identity)"
            for ns, name in settings.service_accounts
        ]

    def next_steps(self, settings: EksPodIdentity, ctx: StepContext) -> list[str]:
        return steps(settings, ctx, associations=True)


def steps(settings: EksPodIdentity, ctx: StepContext, associations: bool) -> list[str]:
    """Pod Identity's steps; ``associations``: the module creates them
    (``terraform.create_pod_identity_associations``, default true)."""
    where = f"--region {settings.cluster_region} --cluster-name {settings.cluster_name}"
    out = [
        f"Install the EKS Pod Identity Agent add-on, unless the cluster has it: aws eks "
        f"create-addon {where} --addon-name eks-pod-identity-agent"
    ]
    if associations:
        out.append(
            "The module creates the Pod Identity association of each service account "
            f"(apply it in {settings.cluster_region}, the cluster's Region)."
        )
    else:
        out += [
            f"Associate the service account {ns}/{name} with the role: aws eks "
            f"create-pod-identity-association {where} --namespace {ns} "
            f"--service-account {name} --role-arn {ctx.entity_arn}"
            for ns, name in settings.service_accounts
        ]
    namespaces = sorted({ns for ns, _ in settings.service_accounts})
    out.append(
        "Restart the gateway's pods so they get the role's credentials (DEPLOYMENT is "
        "the gateway's): "
        + "; ".join(
            f"kubectl rollout restart deployment --namespace {ns} DEPLOYMENT" for ns in namespaces
        )
    )
    return out


MODE = EksPodIdentityMode()
