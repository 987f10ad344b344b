"""``aws_service``: a role an AWS compute service assumes for the gateway (Lambda, ECS tasks,
EC2 instances).

Trust: the service principal with ``sts:AssumeRole``. When the account is pinned, the
confused-deputy conditions AWS documents are added: ``aws:SourceAccount`` and, for ECS task
roles, ``aws:SourceArn`` as ``arn:PARTITION:ecs:REGION:ACCOUNT:*`` (the ECS developer guide:
a task role cannot name one cluster there). EC2 also gets an instance profile.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.gateways.base import ParseContext, StepContext, TrustContext, statement, trust_document
from bedrock_gen.gateways.modes import common

SERVICES = {
    "lambda": "lambda.amazonaws.com",
    "ecs-tasks": "ecs-tasks.amazonaws.com",
    "ec2": "ec2.amazonaws.com",
}
DOCS = {
    "lambda": "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "ecs-tasks": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
    "ec2": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html",
}
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
            ctx.findings.error("service-missing", "mode: aws_service needs auth.service: "
                               f"{', '.join(SERVICES)}", ("auth",))
            return None
        if ctx.account_id is None:
            ctx.findings.warn("service-unpinned", f"without account_id the trust policy cannot "
                              f"add aws:SourceAccount, which AWS recommends against the "
                              "confused deputy; pin account_id", ("auth", "service"))
        return AwsService(common.role_name(ctx), str(service), common.session(ctx))

    def trust_policy(self, settings: AwsService, ctx: TrustContext) -> dict[str, Any]:
        condition: dict[str, Any] = {}
        if ctx.account_id is not None:
            condition["StringEquals"] = {"aws:SourceAccount": ctx.account_id}
            if settings.service == "ecs-tasks":
                region = ctx.regions[0] if ctx.regions and len(ctx.regions) == 1 else "*"
                condition["ArnLike"] = {
                    "aws:SourceArn": f"arn:{ctx.partition}:ecs:{region}:{ctx.account_id}:*"}
        return trust_document([statement(SID, {"Service": settings.principal},
                                         "sts:AssumeRole", condition or None)])

    def trusted(self, settings: AwsService) -> list[str]:
        return [f"the AWS service {settings.principal} (sts:AssumeRole)"]

    def next_steps(self, settings: AwsService, ctx: StepContext) -> list[str]:
        if settings.service == "lambda":
            return [f"aws lambda update-function-configuration --function-name FUNCTION "
                    f"--role {ctx.entity_arn}"]
        if settings.service == "ecs-tasks":
            return [f'Set "taskRoleArn": "{ctx.entity_arn}" in the gateway\'s ECS task '
                    "definition, then deploy it."]
        return [f"aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID "
                f"--iam-instance-profile Name={ctx.entity_name}"]


MODE = AwsServiceMode()
