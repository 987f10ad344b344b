"""The CloudFormation templates deployed on moto's CloudFormation (one moto server on a free
127.0.0.1 port for the module, stopped by its PID), read back with boto3.

What moto (5.x) does not do, and where it is checked instead (test_cloudformation.py):

- ``AWS::EKS::PodIdentityAssociation``: no such resource type (moto skips it with a warning);
  the associations are taken out of the template here and checked from the template's
  structure and cfn-lint.
- ``AWS::Bedrock::ApplicationInferenceProfile``: moto has no Bedrock control plane; taken out
  here like the associations (test_cloudformation.py checks them: cfn-lint, tags, rule, outputs).
  The batch service role is IAM and is deployed and read back here.
- ``AWS::CloudFormation::StackSet`` as a resource: moto's CloudFormation has no such type,
  though it has the StackSets API. The StackSet resource's properties are given to that API
  (``create_stack_set`` and ``create_stack_instances``), which deploys the inline template to
  every account moto's Organizations has in the OUs.
- ``Rules``: moto does not evaluate them (a stack in another account or Region is not
  refused); checked from the template.
- Updating an ``AWS::IAM::ManagedPolicy`` (a changed ``PolicyDocument``): moto cannot, and
  deleting one (removed from the template, or with the stack) it skips. So the deployed update
  here is a growth that leaves the first part's resource unchanged; a growth that changes a
  part's document is judged from CloudFormation's resource schemas (no replacement).
- Stack events per resource: moto records only the stack's own events, so "no policy deleted
  before its replacement exists" is read from the change set (only an Add) and from IAM before
  and after (the first policy keeps its ARN, creation date and version).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from test_cloudformation import EXTRA, SECRET, grow_config, load, render, render_all
from test_terraform import run_moto

ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("cfn"))


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with run_moto() as endpoint:
        yield endpoint


def client(endpoint: str, service: str, credentials: dict[str, str] | None = None) -> Any:
    import boto3

    keys = (
        {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
        if credentials
        else {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    )
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **keys)


def in_account(endpoint: str, account: str) -> dict[str, str]:
    sts = client(endpoint, "sts")
    return sts.assume_role(  # type: ignore[no-any-return]
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="bedrock-gen-tests",
    )["Credentials"]


def deployable(template: dict[str, Any]) -> dict[str, Any]:
    """The template without what moto has no resource type for (Pod Identity associations,
    application inference profiles)."""
    out = json.loads(json.dumps(template))
    gone = [
        k
        for k, r in out["Resources"].items()
        if r["Type"].startswith(("AWS::EKS::", "AWS::Bedrock::"))
    ]
    for logical in gone:
        del out["Resources"][logical]
        out["Outputs"].pop(f"{logical}Arn")
    return out


def parameters(template: dict[str, Any]) -> list[dict[str, str]]:
    return (
        [{"ParameterKey": "ExternalId", "ParameterValue": SECRET}]
        if "ExternalId" in template.get("Parameters", {})
        else []
    )


def documents(iam: Any, arns: list[str]) -> dict[str, Any]:
    """The default version of each policy, by name."""
    out = {}
    for arn in arns:
        meta = iam.get_policy(PolicyArn=arn)["Policy"]
        version = iam.get_policy_version(PolicyArn=arn, VersionId=meta["DefaultVersionId"])
        document = version["PolicyVersion"]["Document"]
        out[meta["PolicyName"]] = json.loads(document) if isinstance(document, str) else document
    return out


def expected(out: Path, account: str = ACCOUNT) -> tuple[dict[str, Any], Any]:
    """The invoke policies by name and the trust policy, as iam/ holds them (with the external
    ID and ``account``)."""
    stack = load(out)
    policies = {}
    for resource in stack["Resources"].values():
        if resource["Type"] == "AWS::IAM::ManagedPolicy" and "BatchService" not in str(
            resource["Properties"].get("Roles")
        ):
            file = resource["Metadata"]["BedrockGen"]["PolicyDocument"]
            name = resource["Properties"]["ManagedPolicyName"]
            policies[name] = json.loads((out / file).read_text().replace(ACCOUNT, account))
    trust = None
    if (out / "iam/trust-policy.json").exists():
        text = re.sub(r"\$\{[A-Z0-9_]+\}", SECRET, (out / "iam/trust-policy.json").read_text())
        trust = json.loads(text.replace(ACCOUNT, account))
    return policies, trust


def test_every_template_deploys_the_iam_documents(moto: str, rendered: dict[str, Path]) -> None:
    """Every example (and the extra shapes) as a stack: the role or user, its trust policy,
    tags, instance profile and outputs, and attached policies equal to iam/*.json."""
    cfn = client(moto, "cloudformation")
    iam = client(moto, "iam")
    iam.create_role(  # the policy-only example attaches to a role that exists
        RoleName="platform-llm-gateway",
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
    iam.create_user(UserName="svc-llm")
    deployed = 0
    for name, out in rendered.items():
        template = load(out)
        cfg = yaml.safe_load((out.parent / "bedrock-gen.yaml").read_text())
        stack_name = re.sub(r"[^A-Za-z0-9-]", "-", name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cfn.create_stack(
                StackName=stack_name,
                TemplateBody=json.dumps(deployable(template)),
                Parameters=parameters(template),
                Capabilities=["CAPABILITY_NAMED_IAM"],
            )
        stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE", name
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        policies, trust = expected(out)
        resources = template["Resources"]
        tags = cfg.get("cloudformation", {}).get("tags", cfg.get("terraform", {}).get("tags", {}))
        if "Role" in resources:
            role_name = resources["Role"]["Properties"]["RoleName"]
            role = iam.get_role(RoleName=role_name)["Role"]
            assert role["AssumeRolePolicyDocument"] == trust, name
            assert outputs["RoleArn"] == role["Arn"], name
            got_tags = {
                t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role_name)["Tags"]
            }
            assert got_tags == {str(k): str(v) for k, v in tags.items()}, name
            attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        elif "User" in resources:
            user_name = resources["User"]["Properties"]["UserName"]
            assert outputs["UserArn"] == iam.get_user(UserName=user_name)["User"]["Arn"]
            attached = iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
        else:
            to = resources["InvokePolicy1"]["Properties"]
            if "Roles" in to:
                attached = iam.list_attached_role_policies(RoleName=to["Roles"][0])
            else:
                attached = iam.list_attached_user_policies(UserName=to["Users"][0])
            attached = attached["AttachedPolicies"]
        arns = [a["PolicyArn"] for a in attached]
        assert documents(iam, arns) == policies, name
        assert sorted(v for k, v in outputs.items() if k.startswith("InvokePolicy")) == sorted(arns)
        if "BatchServiceRole" in resources:
            batch_name = resources["BatchServiceRole"]["Properties"]["RoleName"]
            batch = iam.get_role(RoleName=batch_name)["Role"]
            assert batch["AssumeRolePolicyDocument"] == json.loads(
                (out / "iam/batch-service-role-trust.json").read_text()
            )
            batch_attached = iam.list_attached_role_policies(RoleName=batch_name)
            assert list(
                documents(
                    iam, [a["PolicyArn"] for a in batch_attached["AttachedPolicies"]]
                ).values()
            ) == [json.loads((out / "iam/batch-service-role-policy.json").read_text())]
            assert outputs["BatchServiceRoleArn"] == batch["Arn"]
            passed = [
                r
                for doc in policies.values()
                for st in doc["Statement"]
                if st["Action"] == ["iam:PassRole"]
                for r in st["Resource"]
            ]
            assert passed == [batch["Arn"]], name
        if "InstanceProfile" in resources:
            profile = iam.get_instance_profile(InstanceProfileName=role_name)["InstanceProfile"]
            assert [r["RoleName"] for r in profile["Roles"]] == [role_name]
            assert outputs["InstanceProfileArn"] == profile["Arn"]
        deployed += 1
    assert deployed == len(rendered)


def test_a_grown_config_adds_its_policy_and_deletes_none(moto: str, tmp_path: Path) -> None:
    """Nine models fill one policy; the tenth goes into a second. The update's change set
    holds one change, adding InvokePolicy2 (attached by its creation); the first policy keeps
    its ARN, creation date and default version, so no call is ever denied."""
    cfn = client(moto, "cloudformation")
    iam = client(moto, "iam")
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(grow_config(9))
    out = render(config)
    cfn.create_stack(
        StackName="grow",
        TemplateBody=(out / "cloudformation/stack.template.json").read_text(),
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )

    def state() -> dict[str, tuple[str, str]]:
        attached = iam.list_attached_role_policies(RoleName="grow-cfn")["AttachedPolicies"]
        out = {}
        for a in attached:
            meta = iam.get_policy(PolicyArn=a["PolicyArn"])["Policy"]
            out[a["PolicyArn"]] = (str(meta["CreateDate"]), meta["DefaultVersionId"])
        return out

    before = state()
    assert len(before) == 1
    config.write_text(grow_config(10))
    render(config)
    changes = cfn.create_change_set(
        StackName="grow",
        ChangeSetName="grow-8",
        TemplateBody=(out / "cloudformation/stack.template.json").read_text(),
        Capabilities=["CAPABILITY_NAMED_IAM"],
        ChangeSetType="UPDATE",
    )
    described = cfn.describe_change_set(ChangeSetName=changes["Id"])
    planned = [
        (c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"])
        for c in described["Changes"]
    ]
    assert planned == [("Add", "InvokePolicy2")]
    cfn.execute_change_set(ChangeSetName=changes["Id"])
    assert cfn.describe_stacks(StackName="grow")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    after = state()
    assert len(after) == 2
    assert {k: v for k, v in after.items() if k in before} == before  # untouched
    policies, _ = expected(out)
    assert documents(iam, list(after)) == policies
    resources = cfn.list_stack_resources(StackName="grow")["StackResourceSummaries"]
    assert sorted(r["LogicalResourceId"] for r in resources) == [
        "InvokePolicy1",
        "InvokePolicy2",
        "Role",
    ]


def _organization(moto: str) -> tuple[str, list[str]]:
    """An organization (this account manages it) with one OU of two member accounts."""
    org = client(moto, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]
    accounts = []
    for i in range(2):
        made = org.create_account(Email=f"w{i}@example.com", AccountName=f"w{i}")
        account = made["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou["Id"])
        accounts.append(account)
    return ou["Id"], accounts


def test_the_stackset_gives_each_account_its_own_documents(moto: str, tmp_path: Path) -> None:
    """The StackSet resource's properties given to moto's StackSets API: every account of the
    OU gets the role and policies of iam/*.json with its own account ID (the external ID passed
    down as a parameter)."""
    ou, accounts = _organization(moto)
    cfn = client(moto, "cloudformation")
    configs = {
        "ecs": (Path(__file__).parents[1] / "examples/organization-stackset/bedrock-gen.yaml")
        .read_text()
        .replace("[ou-ab12-workload1, ou-ab12-workload2]", f"[{ou}]"),
        "saas": EXTRA["saas-stackset"].replace("[ou-ab12-abcdefgh, r-ab12]", f"[{ou}]"),
    }
    for label, text in configs.items():
        (tmp_path / label).mkdir()
        (tmp_path / label / "bedrock-gen.yaml").write_text(text)
        out = render(tmp_path / label / "bedrock-gen.yaml")
        outer = load(out, "stackset.template.json")
        props = outer["Resources"]["StackSet"]["Properties"]
        values = [
            {"ParameterKey": p["ParameterKey"], "ParameterValue": SECRET}
            for p in props.get("Parameters", [])
        ]
        cfn.create_stack_set(
            StackSetName=props["StackSetName"],
            Description=props["Description"],
            TemplateBody=props["TemplateBody"],
            Parameters=values,
            Capabilities=props["Capabilities"],
            PermissionModel=props["PermissionModel"],
            AutoDeployment=props["AutoDeployment"],
            ManagedExecution=props["ManagedExecution"],
            Tags=props.get("Tags", []),
        )
        group = props["StackInstancesGroup"][0]
        cfn.create_stack_instances(
            StackSetName=props["StackSetName"],
            DeploymentTargets=group["DeploymentTargets"],
            Regions=group["Regions"],
            OperationPreferences=props["OperationPreferences"],
        )
        instances = cfn.list_stack_instances(StackSetName=props["StackSetName"])["Summaries"]
        assert sorted(i["Account"] for i in instances) == sorted(accounts), label
        assert {i["Region"] for i in instances} == set(group["Regions"])
        stack = load(out)
        role_name = stack["Resources"]["Role"]["Properties"]["RoleName"]
        for account in accounts:
            iam = client(moto, "iam", in_account(moto, account))
            policies, trust = expected(out, account)
            assert iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"] == trust
            attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
            assert documents(iam, [a["PolicyArn"] for a in attached]) == policies, label
            assert account in json.dumps(policies)  # the pinned ARNs name each account
