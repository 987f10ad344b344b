"""The StackSet template: one ``AWS::CloudFormation::StackSet`` that rolls the stack out to every
account of the configured organizational units.

Service-managed permissions (StackSets creates the execution roles in each account through
AWS Organizations' trusted access), automatic deployment (an account that joins an OU gets the
stack; one that leaves loses it unless ``retain_stacks_on_account_removal``), managed execution
(conflicting operations are queued, not refused), and the stack template inline as
``TemplateBody``, written compact: CloudFormation takes at most 51,200 bytes there, and a
template too large is refused at render with the numbers rather than at deploy.

The inner template is the stack template ``scoped`` to each account (``template.stack``); the
external ID, when the config reads it from the environment, is a ``NoEcho`` parameter here too,
passed down to each stack.
"""

from __future__ import annotations

import json
from typing import Any

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config
from bedrock_gen.emit.cloudformation.template import FORMAT_VERSION, Template, stack
from bedrock_gen.errors import BedrockGenError
from bedrock_gen.gateways.cloudformation_steps import EXTERNAL_ID_PARAMETER, TEMPLATE_BODY_MAX

STACKSET = "StackSet"


def template_body(config: Config, docs: Documents) -> str:
    """The stack template as a StackSet deploys it: scoped to each account, compact."""
    body = json.dumps(stack(config, docs, scoped=True), ensure_ascii=False, separators=(",", ":"))
    size = len(body.encode("utf-8"))
    if size > TEMPLATE_BODY_MAX:
        raise BedrockGenError.one(
            "stackset-template-too-large",
            f"the stack template a StackSet deploys takes {size:,} bytes even without white "
            f"space ({len(docs.invoke)} managed policies); a StackSet holds at most "
            f"{TEMPLATE_BODY_MAX:,} inline (TemplateBody): select fewer models, geographies "
            f"or regions, or drop cloudformation.stackset and deploy "
            "cloudformation/stack.template.json to each account",
            config.file,
        )
    return body


def stackset(config: Config, docs: Documents) -> Template:
    cfn = config.cloudformation
    assert cfn is not None and cfn.stackset is not None
    ss = cfn.stackset
    inner = template_body(config, docs)
    spec = config.external_id
    secret = spec is not None and spec.from_env
    properties: dict[str, Any] = {
        "StackSetName": ss.name,
        "Description": (
            f"bedrock-gen: {config.entity_name} for {config.gateway.title} in every account "
            f"of {', '.join(ss.organizational_units)}."
        )[:1024],
        "PermissionModel": "SERVICE_MANAGED",
        "AutoDeployment": {
            "Enabled": True,
            "RetainStacksOnAccountRemoval": ss.retain_stacks_on_account_removal,
        },
        "CallAs": ss.call_as,
        "Capabilities": ["CAPABILITY_NAMED_IAM"],
        "ManagedExecution": {"Active": True},
        "OperationPreferences": {
            "FailureTolerancePercentage": ss.failure_tolerance_percentage,
            "MaxConcurrentPercentage": ss.max_concurrent_percentage,
        },
    }
    if secret:
        properties["Parameters"] = [
            {
                "ParameterKey": EXTERNAL_ID_PARAMETER,
                "ParameterValue": {"Ref": EXTERNAL_ID_PARAMETER},
            }
        ]
    properties["StackInstancesGroup"] = [
        {
            "DeploymentTargets": {"OrganizationalUnitIds": list(ss.organizational_units)},
            "Regions": list(ss.regions),
        }
    ]
    tags = [{"Key": k, "Value": v} for k, v in sorted(cfn.tags.items())]
    if tags:
        properties["Tags"] = tags
    properties["TemplateBody"] = inner
    template: Template = {
        "AWSTemplateFormatVersion": FORMAT_VERSION,
        "Description": (
            f"bedrock-gen: a StackSet that deploys {config.entity_name} to the accounts of "
            f"{', '.join(ss.organizational_units)}. Deploy in the organization's management "
            "account (or a delegated administrator's, with call_as: DELEGATED_ADMIN)."
        )[:1024],
    }
    if secret:
        inner_parameters = stack(config, docs)["Parameters"]
        template["Parameters"] = {EXTERNAL_ID_PARAMETER: inner_parameters[EXTERNAL_ID_PARAMETER]}
    template["Resources"] = {
        STACKSET: {"Type": "AWS::CloudFormation::StackSet", "Properties": properties}
    }
    template["Outputs"] = {
        "StackSetId": {"Description": "ID of the StackSet.", "Value": {"Ref": STACKSET}},
    }
    return template
