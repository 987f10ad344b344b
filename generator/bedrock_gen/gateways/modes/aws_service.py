"""``aws_service``: a role an AWS compute service assumes for the gateway (Lambda, ECS tasks,
EC2 instances).

Trust: the service principal with ``sts:AssumeRole``, plus the confused-deputy conditions each
service's own guide documents, and no others (a condition on a key the service does not send
makes every assume-role fail, so the gateway gets no credentials at all):

- ECS task role (ECS developer guide, "Amazon ECS task IAM role": "it is recommended that you use
  the aws:SourceAccount or aws:SourceArn condition keys"; "Using the aws:SourceArn condition key
  to specify a specific cluster is not currently supported, you should use the wildcard"):
  ``StringEquals aws:SourceAccount`` and ``ArnLike aws:SourceArn arn:PARTITION:ecs:*:ACCOUNT:*``.
  The Region stays ``*``: ``regions`` are where the gateway calls Bedrock, not where its tasks
  run. Both need the account, so ``ecs-tasks`` without ``account_id`` is refused: lint rates an
  ECS task role without them a SECURITY_WARNING, and a config never renders what lint fails.
- Lambda execution role (Lambda developer guide: "you can include the aws:SourceAccount and
  aws:SourceArn global condition context keys"): ``aws:SourceAccount`` when the account is
  pinned; without it a warning (optional in AWS's words, so not refused).
- AgentCore Gateway's service role (Amazon Bedrock AgentCore developer guide, "AgentCore Gateway
  and Policy in AgentCore IAM Permissions", trust policy of the Gateway Execution Role; stored
  copy, index id 70761773423): ``bedrock-agentcore.amazonaws.com`` with ``StringEquals
  aws:SourceAccount`` and ``ArnLike aws:SourceArn``. AWS's example allows every AgentCore
  resource of the account and Region (``arn:aws:bedrock-agentcore:REGION:ACCOUNT:*``); here
  only the account's gateways (``gateway/*``) in each of ``regions``, the resource that assumes
  it. Both need the account and the Regions, so ``bedrock-agentcore`` without them is refused.
- EC2 role: AWS documents no source condition for ``ec2.amazonaws.com`` (a role reaches an
  instance only through ``iam:PassRole`` in the role's own account), so whether EC2 sends
  ``aws:SourceAccount`` is not established. With the account pinned the trust policy says
  ``StringEqualsIfExists aws:SourceAccount``: true when EC2 sends no such key, false when it
  names another account; it can never stop an instance of the account from getting
  credentials. EC2 also gets an instance profile.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.gateways.base import (
    ParseContext,
    StepContext,
    TrustContext,
    statement,
    trust_document,
)
from bedrock_gen.gateways.modes import common

SERVICES = {
    "lambda": "lambda.amazonaws.com",
    "ecs-tasks": "ecs-tasks.amazonaws.com",
    "ec2": "ec2.amazonaws.com",
    "bedrock-agentcore": "bedrock-agentcore.amazonaws.com",
}
DOCS = {
    "lambda": "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "ecs-tasks": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
    "ec2": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html",
    "bedrock-agentcore": (
        "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-permissions.html"
    ),
}
# Services whose guides document aws:SourceAccount in the role's trust policy.
SOURCE_ACCOUNT = frozenset({"lambda", "ecs-tasks", "bedrock-agentcore"})
SID = "AllowServiceAssumeRole"


class AwsService(NamedTuple):
    name: str
    service: str  # lambda | ecs-tasks | ec2
    max_session_duration: int | None = None
    mode: str = "aws_service"
    entity: str = "role"

    @property
    def principal(self) -> str:
        return SERVICES[self.service]

    @property
    def instance_profile(self) -> bool:
        return self.service == "ec2"


class AwsServiceMode:
    id = "aws_service"
    entity = "role"
    keys = frozenset({*common.ROLE_KEYS, "service"})
    summary = "a role Lambda, ECS tasks or EC2 assume for the gateway"

    def parse(self, ctx: ParseContext) -> AwsService | None:
        service = ctx.auth.get("service")
        if service is None:
            ctx.findings.error(
                "service-missing",
                f"mode: aws_service needs auth.service: {', '.join(SERVICES)}",
                ("auth",),
            )
            return None
        path = ("auth", "service")
        if ctx.account_id is None and service == "ecs-tasks":
            ctx.findings.error(
                "service-unpinned",
                "an ECS task role needs account_id: its trust policy "
                "names the account in aws:SourceAccount and aws:SourceArn, which the ECS guide "
                "recommends against the confused deputy (lint fails an ECS task role without "
                "them); set account_id",
                path,
            )
            return None
        if service == "bedrock-agentcore" and (ctx.account_id is None or ctx.regions is None):
            ctx.findings.error(
                "service-unpinned",
                "AgentCore Gateway's service role needs account_id and regions: its trust "
                "policy names the account's gateways in each Region (aws:SourceAccount, "
                "aws:SourceArn), as AWS's AgentCore guide recommends against the confused "
                "deputy; set "
                + " and ".join(
                    k
                    for k, v in (("account_id", ctx.account_id), ("regions", ctx.regions))
                    if v is None
                ),
                path,
            )
            return None
        if ctx.account_id is None and service in SOURCE_ACCOUNT:
            ctx.findings.warn(
                "service-unpinned",
                f"without account_id the trust policy cannot "
                f"add aws:SourceAccount, which the {service} guide allows against "
                "the confused deputy; set account_id",
                path,
            )
        return AwsService(common.role_name(ctx), str(service), common.session(ctx))

    def trust_policy(self, settings: AwsService, ctx: TrustContext) -> dict[str, Any]:
        condition: dict[str, Any] = {}
        if ctx.account_id is not None and settings.service not in SOURCE_ACCOUNT:
            condition["StringEqualsIfExists"] = {"aws:SourceAccount": ctx.account_id}
        elif ctx.account_id is not None:
            condition["StringEquals"] = {"aws:SourceAccount": ctx.account_id}
            if settings.service == "ecs-tasks":
                condition["ArnLike"] = {
                    "aws:SourceArn": f"arn:{ctx.partition}:ecs:*:{ctx.account_id}:*"
                }
            elif settings.service == "bedrock-agentcore":
                gateways = [
                    f"arn:{ctx.partition}:bedrock-agentcore:{r}:{ctx.account_id}:gateway/*"
                    for r in ctx.regions or ()
                ]
                condition["ArnLike"] = {"aws:SourceArn": gateways}
        return trust_document(
            [statement(SID, {"Service": settings.principal}, "sts:AssumeRole", condition or None)]
        )

    def trusted(self, settings: AwsService) -> list[str]:
        scope = {
            "lambda": "Lambda functions",
            "ecs-tasks": "ECS tasks",
            "ec2": "EC2 instances",
            "bedrock-agentcore": "AgentCore gateways of the account (aws:SourceArn gateway/*)",
        }[settings.service]
        return [
            f"{scope} given this role, through the AWS service {settings.principal} "
            "(sts:AssumeRole)"
        ]

    def next_steps(self, settings: AwsService, ctx: StepContext) -> list[str]:
        if settings.service == "lambda":
            return [
                "Run the gateway's Lambda function as the role (FUNCTION is its name): aws "
                f"lambda update-function-configuration --function-name FUNCTION --role "
                f"{ctx.entity_arn}"
            ]
        if settings.service == "bedrock-agentcore":
            return [
                "Give the AgentCore gateway this role as its service role (GATEWAY_NAME is its "
                f"name): aws bedrock-agentcore-control create-gateway --region {ctx.region} "
                f"--name GATEWAY_NAME --role-arn {ctx.entity_arn} --protocol-type MCP "
                "--authorizer-type AWS_IAM (an existing gateway: update-gateway with the same "
                "--role-arn)"
            ]
        if settings.service == "ecs-tasks":
            return [
                f'Set "taskRoleArn": "{ctx.entity_arn}" in the gateway\'s ECS task '
                "definition (the task role, not the execution role), then deploy it."
            ]
        return [
            "Attach the instance profile to the gateway's EC2 instance (INSTANCE_ID is its "
            "ID): aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID "
            f"--iam-instance-profile Name={settings.name}"
        ]


MODE = AwsServiceMode()
