"""What a person does after ``render``: commands that work when copied, in order.

1. Create the IAM pieces: call the generated module from the user's own root module (with the
   external ID from the environment when the config reads it from there), or by hand with
   ``bedrock-gen trust-policy``.
2. Point the workload at them (the auth mode's steps).
3. Tell the gateway (the preset's steps: Port's secret and registration, Portkey's form).
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from bedrock_gen.config.model import Config
from bedrock_gen.gateways.base import StepContext
from bedrock_gen.gateways.registry import MODES, hook

ROOT_OUTPUT = "bedrock_gateway_{}"  # the outputs the printed root-module snippet declares


def context(config: Config, policy_files: tuple[str, ...], out_dir: Path | None) -> StepContext:
    module = Path(out_dir or config.output_dir) / "terraform"
    spec = config.external_id
    env = f'TF_VAR_bedrock_external_id="${spec.env}" ' if spec is not None and spec.from_env else ""
    apply = f"terraform init && {env}terraform apply"
    return StepContext(
        config.file,
        module.as_posix(),
        config.entity_name,
        config.entity_arn,
        config.partition,
        config.primary_region,
        policy_files,
        apply,
    )


def _source(module_dir: str) -> str:
    """The module's source as a root module in the current folder names it."""
    path = Path(module_dir)
    return path.as_posix() if path.is_absolute() else "./" + path.as_posix()


def root_module(config: Config, ctx: StepContext) -> list[str]:
    """Step 1: call the generated module from the user's own root module (its provider and
    backend), never apply the generated folder: it has neither, and its state (with the
    external ID) would sit in the folder that is committed."""
    kind = "user" if config.is_user else "role"
    what = {
        "role": f"IAM role '{config.entity_name}'",
        "user": f"IAM user '{config.entity_name}'",
    }.get(
        config.auth.entity,
        f"the policies and attach them to the existing IAM {kind} '{config.entity_name}'",
    )
    inputs = ""
    if config.external_id is not None and config.external_id.from_env:
        inputs = "external_id"
    outputs = []
    if config.creates_entity:
        outputs += [f"{kind}_arn", f"{kind}_name"]
    if config.auth.mode == "access_keys" and config.terraform.create_access_key:
        outputs += ["access_key_id", "secret_access_key"]
    if config.surfaces.application_profiles:
        outputs.append("application_inference_profile_arns")
    if config.surfaces.batch is not None:
        outputs.append("batch_service_role_arn")
    source = _source(ctx.module_dir)
    lines = [
        f"Create {what} from your own Terraform root module, with your provider and backend "
        f"(do not apply {ctx.module_dir} itself: it has neither, and its state would hold the "
        "external ID in the folder you commit). In the root module "
        f"({ctx.module_dir}/examples/complete/main.tf is a complete caller):",
        '  module "bedrock_gateway" {',
        f'    source{" " * 5 if inputs else ""} = "{source}"',
    ]
    if inputs:
        lines += ["    external_id = var.bedrock_external_id", "  }"]
        lines += [
            '  variable "bedrock_external_id" {',
            "    type      = string",
            "    sensitive = true",
            "  }",
        ]
    else:
        lines.append("  }")
    for name in outputs:
        lines.append(f'  output "{ROOT_OUTPUT.format(name)}" {{')
        if name == "secret_access_key":
            lines += [
                f"    value     = module.bedrock_gateway.{name}",
                "    sensitive = true",
            ]
        else:
            lines.append(f"    value = module.bedrock_gateway.{name}")
        lines.append("  }")
    lines.append(f"  then, in the root module: {ctx.apply}")
    return lines


def steps(config: Config, policy_files: tuple[str, ...], out_dir: Path | None) -> list[str]:
    """Numbered steps; ``policy_files``: the invoke policies' paths in the output folder."""
    ctx = context(config, policy_files, out_dir)
    mode = MODES[config.auth.mode]
    out = root_module(config, ctx)
    if config.is_role and config.creates_entity:
        out.append(
            f"  (by hand instead: bedrock-gen trust-policy {shlex.quote(config.file)} "
            "prints the complete trust policy; attach "
            f"{', '.join(ctx.policy_files)})"
        )
    if config.cloudformation is not None:
        from bedrock_gen.gateways.cloudformation_steps import steps as cloudformation_steps

        out += cloudformation_steps(config, out_dir)
    if config.auth.mode == "eks_pod_identity":
        from bedrock_gen.gateways.modes import eks_pod_identity

        assert isinstance(config.auth, eks_pod_identity.EksPodIdentity)
        out += eks_pod_identity.steps(
            config.auth, ctx, config.terraform.create_pod_identity_associations
        )
    elif config.auth.mode == "eks_irsa":
        # the role the module created (its name may come from name_prefix): from the root
        # module's output, not the config's name
        arn = f'"$(terraform output -raw {ROOT_OUTPUT.format("role_arn")})"'
        out += mode.next_steps(config.auth, ctx._replace(entity_arn=arn))
    else:
        out += mode.next_steps(config.auth, ctx)
    out += surface_steps(config)
    own = hook(config.gateway.id, "next_steps")
    if own is not None:
        out += own(config, ctx)
    elif config.gateway.is_saas and config.is_role:
        extra = " and the external ID" if config.external_id else ""
        out.append(
            f"In {config.gateway.title}, enter the role ARN {ctx.entity_arn}{extra} "
            f"({config.gateway.docs})."
        )
    out += organization_steps(config)
    out += guardrail_steps(config)
    if any(m.provider == "anthropic" for m in config.models) or config.allow == "all":
        out.append(
            "Anthropic models also need the one-time use-case form "
            "(PutUseCaseForModelAccess) once per account or organization."
        )
    return [
        f"  {n}. {line}" if not line.startswith("  ") else f"     {line[2:].rstrip()}"
        for n, line in _numbered(out)
    ]


def surface_steps(config: Config) -> list[str]:
    """How the gateway uses what the module created for Bedrock's other surfaces: the
    application inference profiles' ARNs (the model IDs to call) and the batch service role."""
    out = []
    profiles = config.surfaces.application_profiles
    if profiles:
        arns = ROOT_OUTPUT.format("application_inference_profile_arns")
        use = (
            "in LiteLLM's model_list as model: bedrock/<ARN>"
            if config.gateway.id == "litellm"
            else "as the model ID of its Bedrock calls (InvokeModel, Converse)"
        )
        regions = config.surfaces.profile_regions
        out.append(
            f"Call the application inference profiles by ARN ({use}); the ARNs, by name: "
            f"terraform output -json {arns}. The module creates them with a provider in "
            f"{' and '.join(regions)} (their source Region"
            + (
                "s: one provider creates one Region's; set create_application_inference_profiles "
                "= false where the provider's Region differs, and create the others with a "
                "provider there)."
                if len(regions) > 1
                else ")."
            )
        )
    if config.surfaces.batch is not None:
        role = ROOT_OUTPUT.format("batch_service_role_arn")
        out.append(
            "Submit batch inference jobs with the service role the module created: aws bedrock "
            "create-model-invocation-job --role-arn "
            f'"$(terraform output -raw {role})" ... (the gateway may pass no other role).'
        )
    return out


SCP_FILE = "iam/scp-bedrock-inference.json"
CT_REGION_DENY = (
    "https://docs.aws.amazon.com/controltower/latest/controlreference/ou-region-deny.html"
)


def organization_steps(config: Config) -> list[str]:
    """How the organization's admin merges the generated SCP statements into the Region-deny
    SCP the organization already has (AWS's own and Control Tower's)."""
    org = config.organization
    if org is None or org.allowed_regions is None:
        return []
    keys = (
        "long-term keys only"
        if config.restrictions.bearer_tokens == "short_term"
        else "creating and using them"
    )
    return [
        f"Organization admin (management account): merge {SCP_FILE} into your Region-deny SCP; "
        "an SCP of its own beside it is not enough where the existing one denies the Regions "
        "the chosen profiles are served in:",
        "  Your own SCP: add the ArnNotLike bedrock:InferenceProfileArn block of its first "
        "statement to your Region-deny statement's Condition (calls through the chosen profiles "
        "then pass in the Regions they are served in; every other call, and the call's own "
        "Region, is judged as before), or exempt bedrock:* from your statement (NotAction) and "
        "attach the file's first statement as an SCP of its own.",
        "  AWS Control Tower: do not edit its managed SCPs. Enable the OU Region deny control "
        "CT.MULTISERVICE.PV.1 on the gateway's OU with the parameters AllowedRegions "
        f"{json.dumps(list(org.allowed_regions))} and ExemptedActions "
        '["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], and attach the '
        f"file's first statement to that OU as a custom SCP ({CT_REGION_DENY}).",
        f"  The file's other statements deny Bedrock API keys ({keys}) in every account the SCP "
        "applies to, as AWS's example SCPs do; attach them too, or leave them out.",
    ]


def guardrail_steps(config: Config) -> list[str]:
    """Guardrails owned by another account, and the organization's enforced one: their
    resource-based policies must allow the role before calls can apply them."""
    out = []
    org = config.organization.enforced_guardrail if config.organization else None
    own = config.account_id
    for g in config.applied_guardrails:
        if g == org or (own is not None and g.account != own):
            out.append(
                f"The guardrail {g.arn} is applied from account {own or 'ACCOUNT_ID'}: its "
                f"resource-based policy (in account {g.account}) must allow "
                f"{config.entity_arn}, or its account or organization, bedrock:ApplyGuardrail"
                + (", and so must its guardrail profiles'" if g.profile else "")
                + "."
            )
        if g == org:
            out.append(
                "  Before the organization enforces it, check that the role can apply it (an "
                "enforced guardrail the role cannot apply denies every call): aws "
                f"bedrock-runtime apply-guardrail --region {g.region} --guardrail-identifier "
                f"{g.arn} --guardrail-version {g.version or 'DRAFT'} --source INPUT --content "
                '\'[{"text": {"text": "test"}}]\' (with the role\'s credentials)'
            )
    return out


def _numbered(lines: list[str]) -> list[tuple[int, str]]:
    out = []
    n = 0
    for line in lines:
        if not line.startswith("  "):
            n += 1
        out.append((n, line))
    return out
