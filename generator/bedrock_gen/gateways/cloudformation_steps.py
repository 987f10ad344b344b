"""The commands that deploy the CloudFormation templates: ``aws cloudformation deploy`` for the
stack and for the organization's StackSet, and the console's Launch Stack link when the stack
template is published (``cloudformation.template_url``).

Shared by the printed next steps (``next_steps``) and ``cloudformation/README.md``. An external
ID read from the environment reaches the CLI through a file descriptor (``file://<(printf
...)``, with bash's builtin printf), so the secret is never on a command line or in a file.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from urllib.parse import quote

from bedrock_gen.config.model import STACK_TEMPLATE, STACKSET_TEMPLATE, Config

TEMPLATE_BODY_MAX = 51_200  # bytes CloudFormation takes inline; larger templates go through S3
EXTERNAL_ID_PARAMETER = "ExternalId"
CONSOLES = {
    "aws": "https://console.aws.amazon.com",
    "aws-cn": "https://console.amazonaws.cn",
    "aws-us-gov": "https://console.amazonaws-us-gov.com",
}


def stack_region(config: Config) -> str | None:
    """Where the stack goes: the cluster's Region when the stack creates Pod Identity
    associations (they are regional), else the application inference profiles' Region (they
    live in their source Region), else the config's first Region; IAM itself is global."""
    cfn = config.cloudformation
    cluster = getattr(config.auth, "cluster_region", None)
    if cfn is not None and cfn.create_pod_identity_associations and cluster:
        return str(cluster)
    profiles = config.surfaces.profile_regions
    if len(profiles) == 1:
        return profiles[0]
    return config.primary_region


def launch_stack_url(config: Config) -> str | None:
    """The console link that opens the published template, ready to create the stack."""
    cfn = config.cloudformation
    if cfn is None or cfn.template_url is None:
        return None
    console = CONSOLES.get(config.partition, CONSOLES["aws"])
    region = stack_region(config) or "us-east-1"
    query = f"templateURL={quote(cfn.template_url, safe='')}&stackName={quote(cfn.stack_name)}"
    return f"{console}/cloudformation/home?region={region}#/stacks/create/review?{query}"


def _parameters(config: Config) -> list[str]:
    spec = config.external_id
    if spec is None or not spec.from_env:
        return []
    body = f'[{{"ParameterKey":"{EXTERNAL_ID_PARAMETER}","ParameterValue":"%s"}}]'
    return [f'--parameter-overrides file://<(printf {shlex.quote(body)} "${spec.env}")']


def deploy(config: Config, template: str, stack: str, region: str | None, size: int | None) -> str:
    """``aws cloudformation deploy`` for one template (``size``: its bytes, when known)."""
    words = ["aws cloudformation deploy"]
    if region:
        words.append(f"--region {region}")
    words += [
        f"--stack-name {shlex.quote(stack)}",
        f"--template-file {shlex.quote(template)}",
        "--capabilities CAPABILITY_NAMED_IAM",
    ]
    if size is not None and size > TEMPLATE_BODY_MAX:
        words.append("--s3-bucket BUCKET")
    return " ".join(words + _parameters(config))


def steps(config: Config, out_dir: Path | None) -> list[str]:
    """Lines for the next steps: sub-lines of step 1 (the stack), then the StackSet's step."""
    cfn = config.cloudformation
    if cfn is None:
        return []
    base = Path(out_dir or config.output_dir)
    template = base / STACK_TEMPLATE
    size = _size(template)
    command = deploy(config, template.as_posix(), cfn.stack_name, stack_region(config), size)
    out = [f"  Or with CloudFormation: {command}"]
    if size is not None and size > TEMPLATE_BODY_MAX:
        out.append(
            f"  ({STACK_TEMPLATE} is over the {TEMPLATE_BODY_MAX:,} bytes CloudFormation takes "
            "inline: BUCKET is an S3 bucket of yours the CLI uploads it to)"
        )
    url = launch_stack_url(config)
    if url is not None:
        out.append(f"  Or in the console, once {STACK_TEMPLATE} is uploaded to {cfn.template_url}:")
        out.append(f"  {url}")
    if cfn.stackset is not None:
        ss = cfn.stackset
        stackset = base / STACKSET_TEMPLATE
        targets = ", ".join(ss.organizational_units)
        command = deploy(config, stackset.as_posix(), f"{ss.name}-stackset", ss.regions[0], None)
        if ss.call_as == "SELF":
            out.append(
                f"Roll it out to every account of {targets} (in {ss.regions[0]}), from the "
                f"management account: aws cloudformation activate-organizations-access && {command}"
            )
        else:
            out.append(
                f"Roll it out to every account of {targets} (in {ss.regions[0]}), from the "
                f"delegated administrator account: {command}"
            )
            out.append(
                "  (once, in the management account: aws cloudformation "
                "activate-organizations-access; aws organizations "
                "register-delegated-administrator --service-principal "
                "member.org.stacksets.cloudformation.amazonaws.com --account-id ACCOUNT_ID, "
                "ACCOUNT_ID being this account)"
            )
        out.append(
            "  (a service-managed StackSet skips the management account itself; accounts "
            "that join these OUs get the stack automatically)"
        )
    return out


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
