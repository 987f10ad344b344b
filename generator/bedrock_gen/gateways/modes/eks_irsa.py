"""``eks_irsa``: IAM roles for service accounts on Amazon EKS.

Trust, as the EKS user guide ("Assign IAM roles to Kubernetes service accounts") writes it:
the cluster's OIDC provider as a ``Federated`` principal, ``sts:AssumeRoleWithWebIdentity``,
and ``StringEquals`` on ``<issuer>:sub`` (``system:serviceaccount:NAMESPACE:NAME``, each named
service account and no other) and ``<issuer>:aud`` (``sts.amazonaws.com``). Without the
``sub`` condition any pod of the cluster could assume the role.
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

OIDC_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-us-gov|aws-cn):iam::(?P<account>[0-9]{12}):oidc-provider/"
    r"(?P<issuer>oidc\.eks\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/id/"
    r"[A-Za-z0-9]+)$"
)
AUDIENCE = "sts.amazonaws.com"
SID = "AllowEksServiceAccountsWebIdentity"
DOC = "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html"


class EksIrsa(NamedTuple):
    name: str
    oidc_provider_arn: str
    issuer: str
    service_accounts: tuple[tuple[str, str], ...]
    max_session_duration: int | None = None
    mode: str = "eks_irsa"
    entity: str = "role"

    @property
    def subjects(self) -> list[str]:
        return [f"system:serviceaccount:{ns}:{name}" for ns, name in self.service_accounts]


class EksIrsaMode:
    id = "eks_irsa"
    entity = "role"
    keys = frozenset({*common.ROLE_KEYS, "oidc_provider_arn", "service_accounts"})
    summary = "EKS IAM roles for service accounts (a Federated OIDC principal)"

    def parse(self, ctx: ParseContext) -> EksIrsa | None:
        mark = ctx.findings.mark
        arn = ctx.auth.get("oidc_provider_arn")
        m = None
        if arn is None:
            ctx.findings.error(
                "oidc-provider-missing",
                "mode: eks_irsa needs "
                "auth.oidc_provider_arn, the cluster's IAM OIDC provider "
                "(arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/"
                "id/ID; 'aws eks describe-cluster' shows the issuer)",
                ("auth",),
            )
        else:
            m = OIDC_ARN.match(arn)
            path = ("auth", "oidc_provider_arn")
            if m is None:
                ctx.findings.error(
                    "invalid-oidc-provider",
                    f"'{arn}' is not an EKS OIDC "
                    "provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/"
                    "oidc.eks.REGION.amazonaws.com/id/ID)",
                    path,
                )
            else:
                if bool(m["cn"]) != (m["partition"] == "aws-cn"):
                    ctx.findings.error(
                        "invalid-oidc-provider",
                        f"'{arn}' is not an EKS OIDC "
                        "provider ARN: issuers end in amazonaws.com.cn in "
                        f"partition aws-cn only, and the ARN is in {m['partition']}",
                        path,
                    )
                elif m["partition"] != ctx.partition:
                    ctx.findings.error(
                        "oidc-provider-partition",
                        f"the OIDC provider is in "
                        f"partition {m['partition']}, the role in {ctx.partition}",
                        path,
                    )
                if ctx.account_id is not None and m["account"] != ctx.account_id:
                    ctx.findings.error(
                        "oidc-provider-account",
                        f"the OIDC provider is in "
                        f"account {m['account']} but account_id is "
                        f"{ctx.account_id}; IRSA needs the provider in the "
                        "role's own account",
                        path,
                    )
        accounts = kubernetes.service_accounts(ctx)
        if ctx.findings.errors_since(mark) or m is None:
            return None
        return EksIrsa(common.role_name(ctx), str(arn), m["issuer"], accounts, common.session(ctx))

    def trust_policy(self, settings: EksIrsa, ctx: TrustContext) -> dict[str, Any]:
        subjects = settings.subjects
        condition = {
            "StringEquals": {
                f"{settings.issuer}:aud": AUDIENCE,
                f"{settings.issuer}:sub": subjects[0] if len(subjects) == 1 else subjects,
            }
        }
        return trust_document(
            [
                statement(
                    SID,
                    {"Federated": settings.oidc_provider_arn},
                    "sts:AssumeRoleWithWebIdentity",
                    condition,
                )
            ]
        )

    def trusted(self, settings: EksIrsa) -> list[str]:
        return [
            f"Kubernetes service account {ns}/{name} through {settings.oidc_provider_arn} "
            "(sts:AssumeRoleWithWebIdentity)"
            for ns, name in settings.service_accounts
        ]

    def next_steps(self, settings: EksIrsa, ctx: StepContext) -> list[str]:
        out = [
            f"Annotate the service account {ns}/{name} with the role: kubectl annotate "
            f"serviceaccount --namespace {ns} {name} "
            f"eks.amazonaws.com/role-arn={ctx.entity_arn} --overwrite"
            for ns, name in settings.service_accounts
        ]
        namespaces = sorted({ns for ns, _ in settings.service_accounts})
        out.append(
            "Restart the gateway's pods so they get the role's credentials "
            "(DEPLOYMENT is the gateway's): "
            + "; ".join(
                f"kubectl rollout restart deployment --namespace {ns} DEPLOYMENT"
                for ns in namespaces
            )
        )
        return out


MODE = EksIrsaMode()
