"""Every generated module applied end to end with the real terraform against moto's IAM.

One Terraform root (a "world") holds every example's checked-in module, an EC2 role's module in
the Terraform JSON flavour, a config that grows past two policy splits, and two modules
bedrock-gen 0.1 wrote (in a second account, where their names are free). Terraform spends
seconds loading the AWS provider for each command, so the world is built once and changed in
steps; the tests below each pin one behaviour on what the steps recorded:

1. apply everything; read every role, user, policy and instance profile back with boto3 (and
   the IRSA example's module called as a platform team's root module would: its own name
   prefix, path, tags, OIDC provider and service accounts);
2. grow the config past the first split and upgrade the 0.1 modules to today's render; plan
   (recorded), apply;
3. grow past the second split; plan (recorded), apply;
4. plan again: nothing to change; destroy: nothing left.

Terraform applies one plan's changes in parallel, so a deleted policy or attachment would
leave the gateway without access until the matching create ran (AccessDenied): the recorded
plans must hold no delete of either. moto (5.x) has no EKS Pod Identity, so the Envoy example
is applied with ``create_pod_identity_associations = false`` (its module's own ``terraform
test`` checks the associations). moto has no Bedrock control plane either (no
CreateInferenceProfile), so the application-profile example is applied with
``create_application_inference_profiles = false`` (its IAM only; the profiles are planned in
tests/test_terraform_surfaces.py and checked by the module's own ``terraform test``); the batch
example's Bedrock service role is IAM and is applied here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from bedrock_gen.api import check, render_config
from conftest import EXAMPLES, ROOT
from test_terraform import _doc, _iam, moto_provider, needs_terraform, run_moto, tf

# One worker builds the world: xdist sends a file's tests to one worker (--dist loadfile).
pytestmark = pytest.mark.terraform

LEGACY_ACCOUNT = "222222222222"
EXAMPLE_EXTERNAL_ID = "bedrock-gen-moto-external-id"
OIDC_URL = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
EXISTING_ROLE = "platform-llm-gateway"
INVOKE = ("aws_iam_policy", "aws_iam_role_policy_attachment")
LEGACY = ("port-specific-models", "strict")
# A root module's own names and cluster for the IRSA example's module (test_a_root_module_...).
OWN_OIDC_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
OWN_OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/" + OWN_OIDC_URL.removeprefix("https://")
COMPOSED = {
    "name_prefix": "team-gw-",
    "policy_name_prefix": "team-gw-invoke-",
    "path": "/gateways/",
    "oidc_provider_arns": [OWN_OIDC_ARN],
    "service_accounts": ["team-a:gateway"],
    "tags": {"owner": "team-a"},
}

# Inputs beyond the defaults: the external ID a config reads from the environment, an access
# key to check it is created, and no Pod Identity association (moto has none).
INPUTS: dict[str, dict[str, Any]] = {
    "access-keys": {"create_access_key": True},
    "envoy-eks-pod-identity": {"create_pod_identity_associations": False},
    "portkey": {"external_id": EXAMPLE_EXTERNAL_ID},
    "quilrai": {"external_id": EXAMPLE_EXTERNAL_ID},
    "cloudformation": {"external_id": EXAMPLE_EXTERNAL_ID},
    "litellm-team-profiles": {"create_application_inference_profiles": False},
}

EC2 = """\
version: 1
name: ec2-gateway
account_id: "123456789012"
regions: [us-east-1]
models: {ids: [claude-haiku-4-5], geographies: [us]}
auth: {mode: aws_service, service: ec2}
terraform: {format: json}
"""

LEGACY_PROVIDER = """
provider "aws" {{
  alias                       = "legacy"
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  assume_role {{
    role_arn = "arn:aws:iam::{account}:role/terraform"
  }}

  endpoints {{
    iam = "{endpoint}"
    sts = "{endpoint}"
  }}
}}
"""


# the eu routes of a custom model (custom models without routes get their source Region only)
EU_ROUTES = (
    "{eu: {eu-west-1: [eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, "
    "eu-west-1, eu-west-2, eu-west-3]}}"
)


def _grow_config(n: int) -> str:
    custom = "".join(
        f"    - {{id: acme.model-{i:03d}-v1:0, geographies: [eu], routes: {EU_ROUTES}}}\n"
        for i in range(n)
    )
    return (
        "version: 1\nname: grow\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
        f"models:\n  geographies: [eu]\n  custom:\n{custom}"
        "auth:\n  mode: assume_role\n  external_id: grow-external-id\n"
    )


class Module(NamedTuple):
    label: str
    config: Path  # the bedrock-gen config it was rendered from
    iam: Path  # the iam/ folder beside it
    legacy: bool = False


class World(NamedTuple):
    endpoint: str
    modules: tuple[Module, ...]
    applied: dict[str, Any]  # label -> what boto3 read back after the first apply
    roles: list[str]
    plans: dict[str, list[tuple[str, list[str]]]]  # step -> changed addresses and actions
    grow_parts: list[int]
    grow_first_part: list[Any]  # part 1 of the grown config, before and after
    final_plan: tuple[int, str]
    after_destroy: dict[str, Any]
    composed: dict[str, Any]  # the IRSA module as a root module's own names made it


def _legacy_iam(endpoint: str) -> Any:
    import boto3

    sts = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{LEGACY_ACCOUNT}:role/terraform", RoleSessionName="bedrock-gen-tests"
    )["Credentials"]
    return boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _module_block(label: str, source: str, inputs: dict[str, Any], legacy: bool) -> str:
    lines = [f'module "{label}" {{', f'  source = "./{source}"']
    lines += [f"  {k} = {json.dumps(v)}" for k, v in inputs.items()]
    if legacy:
        lines.append("  providers = { aws = aws.legacy }")
    return "\n".join([*lines, "}", ""]) + "\n"


def _changes(work: Path) -> list[tuple[str, list[str]]]:
    """Plan (saved to ``tfplan``) and the changes it holds, in terraform's own order of
    actions (``["create", "delete"]`` is a replacement that creates first). No refresh: the
    state is the previous apply's, and refreshing every resource from moto costs more than the
    rest of the plan."""
    tf("plan", "-refresh=false", "-out=tfplan", "-input=false", cwd=work)
    plan = json.loads(tf("show", "-json", "tfplan", cwd=work).stdout)
    return [
        (c["address"], c["change"]["actions"])
        for c in plan.get("resource_changes", [])
        if c["change"]["actions"] != ["no-op"]
    ]


def _policies(iam: Any, attached: list[dict[str, Any]]) -> list[Any]:
    out = []
    for policy in attached:
        meta = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=policy["PolicyArn"], VersionId=meta["DefaultVersionId"]
        )
        out.append(_doc(version["PolicyVersion"]["Document"]))
    return sorted(out, key=json.dumps)


def _read_back(iam: Any, module: Module) -> dict[str, Any]:
    """The identity a module created (or attached to), as IAM holds it."""
    checked = check(module.config)
    assert checked.config is not None, [d.format_text() for d in checked.diagnostics]
    cfg = checked.config
    name = cfg.entity_name
    got: dict[str, Any] = {"kind": "user" if cfg.is_user else "role", "name": name}
    if cfg.is_user:
        got["attached"] = iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]
        got["tags"] = {t["Key"]: t["Value"] for t in iam.list_user_tags(UserName=name)["Tags"]}
        got["keys"] = len(iam.list_access_keys(UserName=name)["AccessKeyMetadata"])
    else:
        got["trust"] = _doc(iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"])
        got["attached"] = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        got["tags"] = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]}
    got["policies"] = _policies(iam, got.pop("attached"))
    got["creates"] = cfg.creates_entity
    return got


def _build(work: Path, endpoint: str) -> list[Module]:
    modules: list[Module] = []
    root = moto_provider(endpoint)
    root += LEGACY_PROVIDER.format(account=LEGACY_ACCOUNT, endpoint=endpoint)
    for example in EXAMPLES:
        name = example.parent.name
        src = example.parent / "generated"
        shutil.copytree(
            src / "terraform",
            work / name / "terraform",
            ignore=shutil.ignore_patterns(".terraform*"),
        )
        shutil.copytree(src / "iam", work / name / "iam")
        shutil.copy(example, work / name / "bedrock-gen.yaml")
        label = "ex_" + name.replace("-", "_")
        root += _module_block(label, f"{name}/terraform", INPUTS.get(name, {}), False)
        modules.append(Module(label, work / name / "bedrock-gen.yaml", work / name / "iam"))
    root += _module_block("composed", "litellm-eks-irsa/terraform", COMPOSED, False)
    root += (
        'output "composed_role_arn" {\n  value = module.composed.role_arn\n}\n'
        'output "composed_policies" {\n  value = module.composed.policy_names\n}\n'
    )
    (work / "ec2").mkdir()
    (work / "ec2" / "bedrock-gen.yaml").write_text(EC2)
    assert render_config(work / "ec2" / "bedrock-gen.yaml", output=work / "ec2" / "out").ok
    root += _module_block("ec2", "ec2/out/terraform", {}, False)
    modules.append(Module("ec2", work / "ec2" / "bedrock-gen.yaml", work / "ec2" / "out" / "iam"))
    grow = work / "grow" / "bedrock-gen.yaml"
    grow.parent.mkdir()
    grow.write_text(_grow_config(4))
    assert render_config(grow).ok
    root += _module_block("grow", "grow/generated/terraform", {}, False)
    modules.append(Module("grow", grow, grow.parent / "generated" / "iam"))
    for name in LEGACY:
        legacy = ROOT / "tests/data/legacy-0.1" / name
        folder = work / f"legacy-{name}"
        (folder / "module").mkdir(parents=True)
        for f in legacy.glob("*.tf"):
            shutil.copy(f, folder / "module" / f.name)
        cfg = folder / "bedrock-gen.yaml"
        cfg.write_text((legacy / "bedrock-gen.yaml").read_text())
        external_id = str(yaml.safe_load(cfg.read_text())["auth"]["external_id"])
        label = "legacy_" + name.replace("-", "_")
        root += _module_block(label, f"legacy-{name}/module", {"external_id": external_id}, True)
        modules.append(Module(label, cfg, folder / "iam", legacy=True))
    (work / "main.tf").write_text(root)
    return modules


def _upgrade_legacy(module: Module) -> None:
    """Render today's module over 0.1's, as a user upgrading would (0.1 kept a manifest)."""
    folder = module.config.parent
    parts = (
        ["bedrock-invoke-policy-1.json", "bedrock-invoke-policy-2.json"]
        if "strict" in module.label
        else ["bedrock-invoke-policy.json"]
    )
    out = folder / "generated"
    out.mkdir()
    (out / ".bedrock-gen-manifest.json").write_text(
        json.dumps(
            {
                "generator": "bedrock-gen",
                "config": "../bedrock-gen.yaml",
                "files": {f"iam/{p}": "sha256:0" for p in parts},
            }
        )
    )
    result = render_config(module.config, adopt=True, force=True)
    assert result.ok, result.diagnostics
    shutil.rmtree(folder / "module")
    shutil.copytree(out / "terraform", folder / "module")
    shutil.copytree(out / "iam", folder / "iam")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from test_terraform import ENV

    if isinstance(ENV, str):
        pytest.skip(ENV)
    with run_moto() as endpoint:
        yield _run_world(tmp_path_factory.mktemp("world"), endpoint)


def _run_world(work: Path, endpoint: str) -> World:
    iam, legacy_iam = _iam(endpoint), _legacy_iam(endpoint)
    # As on AWS, the cluster's OIDC provider and the existing role exist before the apply.
    iam.create_open_id_connect_provider(
        Url=OIDC_URL,
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    )
    iam.create_role(
        RoleName=EXISTING_ROLE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    iam.create_open_id_connect_provider(
        Url=OWN_OIDC_URL,
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    )
    modules = _build(work, endpoint)
    tf("init", "-backend=false", "-input=false", cwd=work)
    tf("apply", "-auto-approve", "-input=false", cwd=work)
    composed = _read_composed(iam, work)
    applied = {m.label: _read_back(legacy_iam if m.legacy else iam, m) for m in modules}
    # moto validates a trust policy only when it is updated: feed each one through that path
    # (an invalid document raises here, failing every test with IAM's message).
    for m in modules:
        got = applied[m.label]
        if not m.legacy and got["kind"] == "role" and got["creates"]:
            iam.update_assume_role_policy(
                RoleName=got["name"], PolicyDocument=json.dumps(_expected(m)[0])
            )
    applied["batch_service_roles"] = _batch_roles(iam, modules)
    roles = sorted(r["RoleName"] for r in iam.list_roles()["Roles"])
    profiles = iam.list_instance_profiles()["InstanceProfiles"]
    applied["instance_profiles"] = [
        (p["InstanceProfileName"], [r["RoleName"] for r in p["Roles"]]) for p in profiles
    ]

    grow = next(m for m in modules if m.label == "grow")
    first_part = [json.loads((grow.iam / "bedrock-invoke-policy.json").read_text())]
    plans: dict[str, list[tuple[str, list[str]]]] = {}
    parts = [len(list(grow.iam.glob("bedrock-invoke-policy*.json")))]
    for step, size in (("first split", 12), ("second split", 24)):
        grow.config.write_text(_grow_config(size))
        assert render_config(grow.config).ok
        parts.append(len(list(grow.iam.glob("bedrock-invoke-policy*.json"))))
        if step == "first split":
            for m in modules:
                if m.legacy:
                    _upgrade_legacy(m)
            tf("init", "-backend=false", "-input=false", cwd=work)
        plans[step] = _changes(work)
        tf("apply", "-input=false", "tfplan", cwd=work)
    first_part.append(json.loads((grow.iam / "bedrock-invoke-policy.json").read_text()))
    final = tf("plan", "-detailed-exitcode", "-input=false", cwd=work, check=False)
    tf("destroy", "-auto-approve", "-refresh=false", "-input=false", cwd=work)
    after = {
        "policies": iam.list_policies(Scope="Local")["Policies"]
        + legacy_iam.list_policies(Scope="Local")["Policies"],
        "roles": sorted(
            r["RoleName"] for r in iam.list_roles()["Roles"] + legacy_iam.list_roles()["Roles"]
        ),
        "users": iam.list_users()["Users"],
        "instance_profiles": iam.list_instance_profiles()["InstanceProfiles"],
        "existing_attached": iam.list_attached_role_policies(RoleName=EXISTING_ROLE)[
            "AttachedPolicies"
        ],
    }
    return World(
        endpoint,
        tuple(modules),
        applied,
        roles,
        plans,
        parts,
        first_part,
        (final.returncode, final.stdout + final.stderr),
        after,
        composed,
    )


def _batch_roles(iam: Any, modules: list[Module]) -> dict[str, Any]:
    """Each batch service role IAM holds, with what the gateway's policy lets it pass."""
    out = {}
    for m in modules:
        trust_file = m.iam / "batch-service-role-trust.json"
        if not trust_file.exists():
            continue
        checked = check(m.config)
        assert checked.config is not None and checked.config.surfaces.batch is not None
        name = checked.config.surfaces.batch.role_name
        role = iam.get_role(RoleName=name)["Role"]
        invoke = _expected(m)[1]
        passed = [
            r
            for doc in invoke
            for st in doc["Statement"]
            if st["Action"] == ["iam:PassRole"]
            for r in st["Resource"]
        ]
        out[m.label] = {
            "arn": role["Arn"],
            "trust": _doc(role["AssumeRolePolicyDocument"]),
            "policies": _policies(
                iam, iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
            ),
            "tags": {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]},
            "passed": passed,
            "want_trust": json.loads(trust_file.read_text()),
            "want_policy": json.loads((m.iam / "batch-service-role-policy.json").read_text()),
        }
    return out


def _read_composed(iam: Any, work: Path) -> dict[str, Any]:
    """The role the composed module created, found by its root module's outputs."""
    outputs = json.loads(tf("output", "-json", cwd=work).stdout)
    arn = outputs["composed_role_arn"]["value"]
    name = arn.rsplit("/", 1)[1]
    role = iam.get_role(RoleName=name)["Role"]
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    return {
        "arn": arn,
        "name": name,
        "path": role["Path"],
        "trust": _doc(role["AssumeRolePolicyDocument"]),
        "tags": {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]},
        "policy_names": sorted(p["PolicyName"] for p in attached),
        "output_policy_names": sorted(outputs["composed_policies"]["value"].values()),
    }


def _expected(module: Module) -> tuple[Any, list[Any]]:
    docs = {p.name: p.read_text() for p in module.iam.glob("*.json")}
    trust_text = docs.get("trust-policy.json")
    trust = None
    if trust_text is not None:
        trust = json.loads(re.sub(r"\$\{[A-Z0-9_]+\}", EXAMPLE_EXTERNAL_ID, trust_text))
    invoke = sorted(
        (json.loads(v) for k, v in docs.items() if k.startswith("bedrock-invoke-policy")),
        key=json.dumps,
    )
    return trust, invoke


@needs_terraform
def test_every_module_creates_exactly_its_documents_tags_and_identity(world: World) -> None:
    for module in world.modules:
        if module.legacy or module.label == "grow":
            continue  # these changed after the apply; checked by their own tests
        got = world.applied[module.label]
        trust, invoke = _expected(module)
        assert got["policies"] == invoke, module.label
        tags = (yaml.safe_load(module.config.read_text()).get("terraform") or {}).get("tags", {})
        if got["creates"]:
            assert got["tags"] == tags, module.label
        if got["kind"] == "role" and got["creates"]:
            assert got["trust"] == trust, module.label
        if got["kind"] == "user":
            assert got["keys"] == INPUTS.get(module.config.parent.name, {}).get(
                "create_access_key", False
            ), module.label


@needs_terraform
def test_the_batch_service_role_is_created_with_its_documents_and_is_the_one_passed(
    world: World,
) -> None:
    roles = world.applied["batch_service_roles"]
    assert list(roles) == ["ex_batch_inference"]
    got = roles["ex_batch_inference"]
    assert got["trust"] == got["want_trust"]
    assert got["policies"] == [got["want_policy"]]
    assert got["passed"] == [got["arn"]]
    assert got["tags"] == {"team": "platform", "gateway": "kong"}


@needs_terraform
def test_an_existing_role_gets_the_policies_and_keeps_its_trust(world: World) -> None:
    existing = [
        world.applied[m.label]
        for m in world.modules
        if world.applied[m.label]["name"] == EXISTING_ROLE
    ]
    assert existing and not existing[0]["creates"]
    assert existing[0]["trust"]["Statement"][0]["Principal"] == {
        "Service": "ecs-tasks.amazonaws.com"
    }


@needs_terraform
def test_an_ec2_role_gets_its_instance_profile(world: World) -> None:
    assert world.applied["instance_profiles"] == [("ec2-gateway", ["ec2-gateway"])]


@needs_terraform
def test_growing_past_a_split_never_deletes_a_policy_or_an_attachment(world: World) -> None:
    assert world.grow_parts[0] == 1 and world.grow_parts[-1] >= 3
    for step, changes in world.plans.items():
        grow = [(a, acts) for a, acts in changes if a.startswith("module.grow.")]
        deletes = [
            (a, acts)
            for a, acts in grow
            if a.startswith(tuple(f"module.grow.{r}" for r in INVOKE)) and "delete" in acts
        ]
        assert deletes == [], (step, grow)
        assert any(acts == ["create"] for _a, acts in grow), (step, grow)
    before, after = world.grow_first_part
    kept = {r for st in before["Statement"] for r in st["Resource"]}
    assert kept <= {r for st in after["Statement"] for r in st["Resource"]}, (
        "a model left part 1: it would be denied while part 2 is created"
    )


@needs_terraform
@pytest.mark.parametrize("name", LEGACY)
def test_upgrading_a_0_1_module_moves_its_resources(world: World, name: str) -> None:
    prefix = "module.legacy_" + name.replace("-", "_") + "."
    changes = [(a, acts) for a, acts in world.plans["first split"] if a.startswith(prefix)]
    # every address moves (the split layout keeps its `-1` name): nothing is replaced, so
    # nothing is detached or deleted while the gateway uses it
    assert not [c for c in changes if "delete" in c[1]], changes


@needs_terraform
def test_a_second_plan_changes_nothing_and_destroy_leaves_nothing(world: World) -> None:
    code, output = world.final_plan
    assert code == 0, output
    assert world.after_destroy == {
        "policies": [],
        "roles": [EXISTING_ROLE],
        "users": [],
        "instance_profiles": [],
        "existing_attached": [],
    }


@needs_terraform
def test_a_root_module_gives_the_module_its_own_names_and_oidc_provider(world: World) -> None:
    """A platform team's root module (its provider, its names) calls the generated IRSA module
    with a name prefix, a path, its own tags, OIDC provider and service accounts: the role IAM
    holds is theirs, trusting exactly their cluster's service account."""
    got = world.composed
    assert got["name"].startswith("team-gw-") and got["name"] != "litellm-bedrock", got
    assert got["path"] == "/gateways/"
    assert got["arn"] == f"arn:aws:iam::123456789012:role/gateways/{got['name']}"
    issuer = OWN_OIDC_ARN.split(":oidc-provider/")[1]
    (statement,) = got["trust"]["Statement"]
    assert statement["Principal"] == {"Federated": OWN_OIDC_ARN}
    assert statement["Condition"] == {
        "StringEquals": {
            f"{issuer}:aud": "sts.amazonaws.com",
            f"{issuer}:sub": "system:serviceaccount:team-a:gateway",
        }
    }
    assert got["tags"] == {"team": "platform", "gateway": "litellm", "owner": "team-a"}
    assert got["policy_names"] == got["output_policy_names"]
    assert got["policy_names"] and all(n.startswith("team-gw-invoke-") for n in got["policy_names"])
