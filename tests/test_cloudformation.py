"""The CloudFormation templates (``emit/cloudformation``): cfn-lint clean, the same documents as
``iam/*.json``, safe to update, and what moto cannot deploy checked from the template itself.

Update safety is judged with CloudFormation's own resource schemas (bundled with cfn-lint):
a changed property listed in a type's ``createOnlyProperties`` replaces the resource, and a
resource missing from the new template is deleted. A grown config must do neither.
test_cloudformation_deploy.py deploys the templates on moto's CloudFormation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_gen.api import render_config
from bedrock_gen.config.surfaces import PROFILE_TAG
from conftest import EXAMPLES, ROOT, RunCli

SECRET = "s3cr3t-external-id-4711"
ACCOUNT = "123456789012"

# Configs beyond the examples, one per shape the examples do not show.
EXTRA = {
    "ec2": """\
version: 1
name: ec2-gateway
account_id: "123456789012"
regions: [us-east-1]
models: {ids: [claude-haiku-4-5], geographies: [us]}
auth: {mode: aws_service, service: ec2}
cloudformation: {tags: {team: platform}}
""",
    "existing-user": """\
version: 1
name: svc-gateway
models: {ids: [claude-haiku-4-5], geographies: [eu]}
auth: {mode: existing_user, user_name: svc-llm}
cloudformation: {}
""",
    "saas-stackset": """\
version: 1
name: portkey-org
account_id: "123456789012"
regions: [eu-west-1]
models: {ids: [claude-sonnet-4-5, claude-haiku-4-5], geographies: [eu, global]}
gateway: portkey
auth: {mode: assume_role, external_id: {env: PORTKEY_EXTERNAL_ID}}
cloudformation:
  stack_name: portkey-org
  template_url: https://t.s3.eu-west-1.amazonaws.com/portkey.json
  stackset:
    organizational_units: [ou-ab12-abcdefgh, r-ab12]
    call_as: DELEGATED_ADMIN
""",
    "pod-identity-two-namespaces": """\
version: 1
name: pods-gateway
account_id: "123456789012"
regions: [eu-central-1]
models: {ids: [claude-sonnet-4-5], geographies: [eu]}
auth:
  mode: eks_pod_identity
  cluster_arn: arn:aws:eks:eu-central-1:123456789012:cluster/ai
  service_accounts: ["gw:proxy", "gw-2:proxy", "gw:proxy-v2", "gw:proxy.v2"]
cloudformation: {tags: {team: platform}}
""",
}


def grow_config(n: int) -> str:
    """A config with ``n`` custom models (nine fill a managed policy)."""
    routes = (
        "{eu: {eu-west-1: [eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, "
        "eu-west-3]}}"
    )
    custom = "".join(
        f"    - {{id: acme.model-{i:03d}-v1:0, geographies: [eu], routes: {routes}}}\n"
        for i in range(n)
    )
    return (
        "version: 1\nname: grow-cfn\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
        f"models:\n  geographies: [eu]\n  custom:\n{custom}"
        "auth:\n  mode: assume_role\n  external_id: grow-external-id-7f3a9c\ncloudformation: {}\n"
    )


def render(config: Path, out: Path | None = None) -> Path:
    """Render ``config`` (the secret in the environment, as a user would have it); the output
    folder."""
    os.environ["PORTKEY_EXTERNAL_ID"] = SECRET
    os.environ["PORT_EXTERNAL_ID"] = SECRET
    try:
        result = render_config(config, output=out)
    finally:
        del os.environ["PORTKEY_EXTERNAL_ID"], os.environ["PORT_EXTERNAL_ID"]
    assert result.ok, [d.format_text() for d in result.diagnostics]
    assert result.out_dir is not None
    return result.out_dir


def with_cloudformation(example: Path, dest: Path) -> Path:
    """An example's config copied with ``cloudformation: {}`` unless it has a section."""
    data = yaml.safe_load(example.read_text())
    data.setdefault("cloudformation", {})
    if data["auth"]["mode"] == "eks_pod_identity":
        data["cloudformation"].setdefault("tags", {"team": "platform"})
    dest.mkdir(parents=True)
    (dest / "bedrock-gen.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return dest / "bedrock-gen.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("cfn"))


def render_all(base: Path) -> dict[str, Path]:
    """Every example and extra config rendered with CloudFormation: name -> output folder."""
    out: dict[str, Path] = {}
    for example in EXAMPLES:
        out[example.parent.name] = render(with_cloudformation(example, base / example.parent.name))
    for name, text in EXTRA.items():
        (base / name).mkdir()
        (base / name / "bedrock-gen.yaml").write_text(text)
        out[name] = render(base / name / "bedrock-gen.yaml")
    return out


def load(out: Path, name: str = "stack.template.json") -> dict[str, Any]:
    return json.loads((out / "cloudformation" / name).read_text())  # type: ignore[no-any-return]


def inner(outer: dict[str, Any]) -> dict[str, Any]:
    """The stack template a StackSet template carries inline."""
    return json.loads(outer["Resources"]["StackSet"]["Properties"]["TemplateBody"])  # type: ignore[no-any-return]


def resolve(value: Any, parameters: dict[str, str], account: str) -> Any:
    """``Ref`` of parameters and ``AWS::AccountId``, and ``Fn::Sub`` of ``${AWS::AccountId}``,
    evaluated as CloudFormation would."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            name = value["Ref"]
            return account if name == "AWS::AccountId" else parameters.get(name, value)
        if set(value) == {"Fn::Sub"}:
            text = value["Fn::Sub"].replace("${AWS::AccountId}", account)
            assert not re.search(r"\$\{[^!]", text), text
            return text.replace("${!", "${")
        return {k: resolve(v, parameters, account) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, parameters, account) for v in value]
    return value


@cache
def lint_rules() -> Any:
    """cfn-lint's default rules, loaded once (loading them costs a second; running, little)."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=["us-east-1"])).rules


def cfn_lint(template: dict[str, Any] | str, region: str = "us-east-1") -> list[str]:
    """cfn-lint's findings (errors, warnings and informational) for a template, as text."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.decode.decode import decode_str
    from cfnlint.runner import run_template_by_data

    text = template if isinstance(template, str) else json.dumps(template)
    decoded, errors = decode_str(text)
    if errors or decoded is None:
        return [str(e) for e in errors] or ["not a template"]
    found = run_template_by_data(decoded, ConfigMixIn(regions=[region]), lint_rules())
    return [str(m) for m in found]


@cache
def create_only(resource_type: str) -> frozenset[str]:
    """The properties whose change replaces a resource of this type (CloudFormation's registry
    schema, as cfn-lint ships it)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    return frozenset(p.removeprefix("/properties/") for p in schema["createOnlyProperties"])


def replaced_or_deleted(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What an update from ``old`` to ``new`` deletes: resources that left the template, and
    resources replaced (a new type, or a changed create-only property)."""
    out = []
    for logical, before in old["Resources"].items():
        after = new["Resources"].get(logical)
        if after is None:
            out.append(f"{logical}: removed")
        elif after["Type"] != before["Type"]:
            out.append(f"{logical}: new type")
        else:
            props = before.get("Properties", {}), after.get("Properties", {})
            out += [
                f"{logical}.{p}: replaced"
                for p in sorted(create_only(before["Type"]))
                if props[0].get(p) != props[1].get(p)
            ]
    return out


# --------------------------------------------------------------------------------------------


def test_every_generated_template_is_cfn_lint_clean(rendered: dict[str, Path]) -> None:
    """Every stack template, every StackSet template, and the stack template each StackSet
    carries inline (cfn-lint cannot see into ``TemplateBody``), linted in its own Region."""
    found: dict[str, list[str]] = {}
    linted = 0
    for name, out in rendered.items():
        stack = load(out)
        region = _region(stack)
        found[f"{name}/stack"] = cfn_lint(stack, region)
        linted += 1
        if (out / "cloudformation/stackset.template.json").exists():
            outer = load(out, "stackset.template.json")
            found[f"{name}/stackset"] = cfn_lint(outer)
            found[f"{name}/stackset inline"] = cfn_lint(inner(outer), region)
            linted += 2
    assert {k: v for k, v in found.items() if v} == {}
    assert linted >= len(EXAMPLES) + len(EXTRA) + 4


def _region(stack: dict[str, Any]) -> str:
    rules = stack.get("Rules", {})
    regional = [r for k, r in rules.items() if k == "InClusterRegion" or k.startswith("InProfile")]
    rule = regional[0] if regional else None
    return rule["Assertions"][0]["Assert"]["Fn::Equals"][1] if rule else "us-east-1"  # type: ignore[no-any-return]


def test_cfn_lint_finds_problems_in_a_broken_template(rendered: dict[str, Path]) -> None:
    """The lint above can fail: a policy without a document, a role without trust."""
    stack = load(rendered["portkey"])
    del stack["Resources"]["InvokePolicy1"]["Properties"]["PolicyDocument"]
    stack["Resources"]["Role"]["Properties"]["MaxSessionDuration"] = 60
    found = cfn_lint(stack)
    assert any("E3003" in f for f in found) and any("E3034" in f for f in found), found


def test_policies_and_trust_are_the_iam_files(rendered: dict[str, Path]) -> None:
    """Each ``PolicyDocument`` equals its ``iam/`` file (the resource's metadata names it); the
    trust policy equals ``iam/trust-policy.json`` with the parameter where ``${VAR}`` is."""
    for name, out in rendered.items():
        stack = load(out)
        policies = {
            k: r
            for k, r in stack["Resources"].items()
            if r["Type"] == "AWS::IAM::ManagedPolicy" and k != "BatchServicePolicy"
        }
        files = sorted(p.name for p in (out / "iam").glob("bedrock-invoke-policy*.json"))
        assert len(policies) == len(files) >= 1, name
        for logical, resource in policies.items():
            source = resource["Metadata"]["BedrockGen"]["PolicyDocument"]
            expected = json.loads((out / source).read_text())
            assert resource["Properties"]["PolicyDocument"] == expected, (name, logical)
            assert re.fullmatch(r"InvokePolicy[0-9]+", logical)
        role = stack["Resources"].get("Role")
        if role is None:
            assert not (out / "iam/trust-policy.json").exists(), name
            continue
        trust = (out / "iam/trust-policy.json").read_text()
        spec = re.search(r"\$\{([A-Z0-9_]+)\}", trust)
        parameters = {"ExternalId": "${" + spec[1] + "}"} if spec else {}
        got = resolve(role["Properties"]["AssumeRolePolicyDocument"], parameters, ACCOUNT)
        assert got == json.loads(trust), name


def test_an_external_id_from_the_environment_is_a_noecho_parameter_never_written(
    rendered: dict[str, Path],
) -> None:
    for name in ("portkey", "cloudformation", "saas-stackset"):
        out = rendered[name]
        for path in out.rglob("*"):
            if path.is_file():
                assert SECRET not in path.read_text(errors="replace"), path
        stack = load(out)
        parameter = stack["Parameters"]["ExternalId"]
        assert parameter["NoEcho"] is True and parameter["Type"] == "String"
        assert (parameter["MinLength"], parameter["MaxLength"]) == (2, 1224)
        assert re.fullmatch(parameter["AllowedPattern"], "a+b=c,d.e@f:g/h-i_j")
        assert not re.fullmatch(parameter["AllowedPattern"], "no spaces")
        statements = stack["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]
        condition = statements["Statement"][0]["Condition"]["StringEquals"]
        assert condition["sts:ExternalId"] == {"Ref": "ExternalId"}
    outer = load(rendered["saas-stackset"], "stackset.template.json")
    assert outer["Parameters"]["ExternalId"]["NoEcho"] is True
    assert outer["Resources"]["StackSet"]["Properties"]["Parameters"] == [
        {"ParameterKey": "ExternalId", "ParameterValue": {"Ref": "ExternalId"}}
    ]
    assert inner(outer)["Parameters"]["ExternalId"]["NoEcho"] is True


def test_a_literal_external_id_stays_in_the_trust_policy(rendered: dict[str, Path]) -> None:
    stack = load(rendered["port-specific-models"])
    assert "Parameters" not in stack
    trust = stack["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]
    assert trust == json.loads(
        (rendered["port-specific-models"] / "iam/trust-policy.json").read_text()
    )


def test_each_identity_mode_creates_what_terraform_creates(rendered: dict[str, Path]) -> None:
    def types(name: str) -> list[str]:
        return sorted({r["Type"] for r in load(rendered[name])["Resources"].values()})

    assert types("access-keys") == ["AWS::IAM::ManagedPolicy", "AWS::IAM::User"]
    assert types("policy-only") == ["AWS::IAM::ManagedPolicy"]
    assert types("existing-user") == ["AWS::IAM::ManagedPolicy"]
    assert types("ec2") == [
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Role",
    ]
    assert types("envoy-eks-pod-identity") == [
        "AWS::EKS::PodIdentityAssociation",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Role",
    ]
    existing = load(rendered["policy-only"])["Resources"]["InvokePolicy1"]["Properties"]
    assert existing["Roles"] == ["platform-llm-gateway"]
    user = load(rendered["existing-user"])["Resources"]["InvokePolicy1"]["Properties"]
    assert user["Users"] == ["svc-llm"] and "Roles" not in user
    keys = load(rendered["access-keys"])
    assert "AccessKey" not in json.dumps(keys)  # a secret never goes through a template
    assert keys["Resources"]["InvokePolicy1"]["Properties"]["Users"] == [{"Ref": "User"}]


def test_application_profiles_are_created_tagged_as_the_policy_allows_in_their_region(
    rendered: dict[str, Path],
) -> None:
    out = rendered["litellm-team-profiles"]
    stack = load(out)
    profiles = {
        r["Properties"]["InferenceProfileName"]: (k, r["Properties"])
        for k, r in stack["Resources"].items()
        if r["Type"] == "AWS::Bedrock::ApplicationInferenceProfile"
    }
    assert sorted(profiles) == ["tenant-acme", "tenant-globex", "tenant-initech"]
    logical, acme = profiles["tenant-acme"]
    tags = [(t["Key"], t["Value"]) for t in acme["Tags"]]
    assert tags[-1] == (PROFILE_TAG, "litellm-tenants/tenant-acme")  # last: nothing overrides it
    assert ("tenant", "acme") in tags
    allowed = {
        value
        for p in (out / "iam").glob("bedrock-invoke-policy*.json")
        for st in json.loads(p.read_text())["Statement"]
        if any("application-inference-profile/" in r for r in st["Resource"])
        for value in st["Condition"]["StringEquals"][f"aws:ResourceTag/{PROFILE_TAG}"]
    }
    assert {p["Tags"][-1]["Value"] for _, p in profiles.values()} == allowed
    assert acme["ModelSource"]["CopyFrom"].startswith(
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5"
    )
    assert profiles["tenant-initech"][1]["Description"] == "Initech support bot"
    assert stack["Outputs"][f"{logical}Arn"]["Value"] == {
        "Fn::GetAtt": [logical, "InferenceProfileArn"]
    }
    (rule,) = [r for k, r in stack["Rules"].items() if k.startswith("InProfileRegion")]
    assert rule["Assertions"][0]["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}
    # the name, description and source replace a profile: they depend on the config only
    assert {"InferenceProfileName", "Description", "ModelSource"} <= create_only(
        "AWS::Bedrock::ApplicationInferenceProfile"
    )


def test_the_batch_service_role_is_the_role_the_gateway_may_pass(
    rendered: dict[str, Path],
) -> None:
    out = rendered["batch-inference"]
    resources = load(out)["Resources"]
    role, policy = resources["BatchServiceRole"], resources["BatchServicePolicy"]
    iam = out / "iam"
    assert role["Properties"]["AssumeRolePolicyDocument"] == json.loads(
        (iam / "batch-service-role-trust.json").read_text()
    )
    assert policy["Properties"]["PolicyDocument"] == json.loads(
        (iam / "batch-service-role-policy.json").read_text()
    )
    assert policy["Properties"]["Roles"] == [{"Ref": "BatchServiceRole"}]
    props = role["Properties"]
    arn = f"arn:aws:iam::{ACCOUNT}:role{props['Path']}{props['RoleName']}"
    passed = [
        r
        for st in json.loads((iam / "bedrock-invoke-policy.json").read_text())["Statement"]
        if st["Action"] == ["iam:PassRole"]
        for r in st["Resource"]
    ]
    assert passed == [arn]
    assert load(out)["Outputs"]["BatchServiceRoleArn"]["Value"] == {
        "Fn::GetAtt": ["BatchServiceRole", "Arn"]
    }


def test_pod_identity_associations_follow_the_policies_in_the_clusters_region(
    rendered: dict[str, Path],
) -> None:
    """moto has no EKS Pod Identity: the associations are checked here, from the template."""
    stack = load(rendered["pod-identity-two-namespaces"])
    associations = {
        k: r
        for k, r in stack["Resources"].items()
        if r["Type"] == "AWS::EKS::PodIdentityAssociation"
    }
    policies = [k for k, r in stack["Resources"].items() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    pairs = sorted(
        (r["Properties"]["Namespace"], r["Properties"]["ServiceAccount"])
        for r in associations.values()
    )
    assert pairs == [("gw", "proxy"), ("gw", "proxy-v2"), ("gw", "proxy.v2"), ("gw-2", "proxy")]
    assert len(set(associations)) == 4  # proxy-v2 and proxy.v2 differ only in punctuation
    for logical, resource in associations.items():
        assert re.fullmatch(r"[A-Za-z0-9]{1,255}", logical)
        assert resource["DependsOn"] == policies
        props = resource["Properties"]
        assert props["ClusterName"] == "ai"
        assert props["RoleArn"] == {"Fn::GetAtt": ["Role", "Arn"]}
        assert props["Tags"] == [{"Key": "team", "Value": "platform"}]
        assert stack["Outputs"][f"{logical}Arn"]["Value"] == {
            "Fn::GetAtt": [logical, "AssociationArn"]
        }
    region = stack["Rules"]["InClusterRegion"]["Assertions"][0]["Assert"]
    assert region == {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-central-1"]}
    account = stack["Rules"]["InConfiguredAccount"]["Assertions"][0]["Assert"]
    assert account == {"Fn::Equals": [{"Ref": "AWS::AccountId"}, ACCOUNT]}


def test_pod_identity_associations_can_be_left_out(tmp_path: Path) -> None:
    text = EXTRA["pod-identity-two-namespaces"].replace(
        "cloudformation: {tags: {team: platform}}",
        "cloudformation: {create_pod_identity_associations: false}",
    )
    (tmp_path / "bedrock-gen.yaml").write_text(text)
    stack = load(render(tmp_path / "bedrock-gen.yaml"))
    assert "AWS::EKS" not in json.dumps(stack) and "InClusterRegion" not in stack["Rules"]


def test_a_stackset_names_each_accounts_own_id(rendered: dict[str, Path]) -> None:
    """The inline template, evaluated in another account, is iam/*.json with that account's
    ID where the config's is; the SaaS vendor's account is kept."""
    for name in ("organization-stackset", "saas-stackset"):
        out = rendered[name]
        template = inner(load(out, "stackset.template.json"))
        assert "Rules" not in template  # no "deploy only in 123456789012" rule here
        text = json.dumps(template["Resources"])
        assert ACCOUNT not in text, name
        other = "999988887777"
        resources = resolve(template["Resources"], {"ExternalId": "${X}"}, other)
        for resource in resources.values():
            props = resource["Properties"]
            source = resource.get("Metadata", {}).get("BedrockGen", {})
            for key, file in source.items():
                expected = (out / file).read_text().replace(ACCOUNT, other)
                expected = re.sub(r"\$\{[A-Z0-9_]+\}", "${X}", expected)
                assert props[key] == json.loads(expected), (name, file)


def test_the_stackset_template_deploys_automatically_to_the_ous(rendered: dict[str, Path]) -> None:
    outer = load(rendered["organization-stackset"], "stackset.template.json")
    props = outer["Resources"]["StackSet"]["Properties"]
    assert props["PermissionModel"] == "SERVICE_MANAGED"
    assert props["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": False}
    assert props["Capabilities"] == ["CAPABILITY_NAMED_IAM"]
    assert props["ManagedExecution"] == {"Active": True}
    assert props["OperationPreferences"] == {
        "FailureTolerancePercentage": 10,
        "MaxConcurrentPercentage": 25,
    }
    assert props["StackInstancesGroup"] == [
        {
            "DeploymentTargets": {
                "OrganizationalUnitIds": ["ou-ab12-workload1", "ou-ab12-workload2"]
            },
            "Regions": ["us-east-1"],
        }
    ]
    assert props["CallAs"] == "SELF"
    assert props["StackSetName"] == "litellm-ecs-bedrock"
    assert props["Tags"] == [
        {"Key": "gateway", "Value": "litellm"},
        {"Key": "team", "Value": "platform"},
    ]
    # compact JSON inline: white space would count against the 51,200 bytes
    body = props["TemplateBody"]
    assert body == json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    saas = load(rendered["saas-stackset"], "stackset.template.json")["Resources"]["StackSet"]
    assert saas["Properties"]["CallAs"] == "DELEGATED_ADMIN"
    assert saas["Properties"]["StackInstancesGroup"][0]["Regions"] == ["eu-west-1"]


def test_a_grown_config_adds_a_policy_and_replaces_or_deletes_nothing(tmp_path: Path) -> None:
    """Nine models fill one policy, the tenth starts a second; five grown to ten change the
    first in place. Either way no resource leaves the template and no create-only property
    changes, and the new part is attached by its own creation."""
    for start, grown in ((9, 10), (5, 10), (10, 19)):
        folder = tmp_path / f"{start}-{grown}"
        folder.mkdir()
        config = folder / "bedrock-gen.yaml"
        config.write_text(grow_config(start))
        before = load(render(config))
        config.write_text(grow_config(grown))
        after = load(render(config))
        assert replaced_or_deleted(before, after) == [], (start, grown)
        added = sorted(set(after["Resources"]) - set(before["Resources"]))
        assert added and all(re.fullmatch(r"InvokePolicy[0-9]+", a) for a in added)
        for logical in added:
            assert after["Resources"][logical]["Properties"]["Roles"] == [{"Ref": "Role"}]
        if (start, grown) == (9, 10):
            assert after["Resources"]["InvokePolicy1"] == before["Resources"]["InvokePolicy1"]
    # and the judge can fail: a renamed policy, a removed part
    renamed = json.loads(json.dumps(before))
    renamed["Resources"]["InvokePolicy1"]["Properties"]["ManagedPolicyName"] += "-x"
    del renamed["Resources"]["InvokePolicy2"]
    assert replaced_or_deleted(before, renamed) == [
        "InvokePolicy1.ManagedPolicyName: replaced",
        "InvokePolicy2: removed",
    ]


def test_template_bytes_do_not_depend_on_the_run(tmp_path: Path) -> None:
    """Same config, same bytes: in another process with another hash seed, and with the
    config's tags in another order."""
    config = tmp_path / "a" / "bedrock-gen.yaml"
    config.parent.mkdir()
    config.write_text(EXTRA["saas-stackset"] + "  tags: {b: '2', a: '1'}\n")
    out = render(config)
    first = {p.name: p.read_bytes() for p in (out / "cloudformation").iterdir()}
    other = tmp_path / "b" / "bedrock-gen.yaml"
    other.parent.mkdir()
    other.write_text(EXTRA["saas-stackset"] + "  tags: {a: '1', b: '2'}\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PORTKEY_EXTERNAL_ID": SECRET}
    subprocess.run(
        [str(Path(os.sys.executable).parent / "bedrock-gen"), "render", str(other)],
        check=True,
        capture_output=True,
        env=env,
    )
    second = {p.name: p.read_bytes() for p in (other.parent / "generated/cloudformation").iterdir()}
    assert first == second


def test_render_check_covers_the_templates(example_copy: Any, run_cli: RunCli) -> None:
    config = example_copy("organization-stackset")
    template = config.parent / "generated/cloudformation/stackset.template.json"
    assert run_cli("render", "--check", str(config)).code == 0
    good = template.read_text()
    template.write_text(good.replace('"Enabled": true', '"Enabled": false'))
    result = run_cli("render", "--check", str(config))
    assert result.code == 1 and "cloudformation/stackset.template.json" in result.out
    template.write_text(good)
    # dropping the section: the templates are no longer generated, and a render removes them
    text = config.read_text()
    config.write_text(text[: text.index("cloudformation:")])
    result = run_cli("render", "--check", str(config))
    assert result.code == 1 and "no longer generated" in result.out, result.out
    assert run_cli("render", str(config)).code == 0
    assert not (config.parent / "generated/cloudformation").exists()


def test_a_stackset_too_large_to_hold_inline_is_refused_and_nothing_written(
    tmp_path: Path, run_cli: RunCli
) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        grow_config(90).replace(
            "cloudformation: {}", "cloudformation: {stackset: {organizational_units: [r-ab12]}}"
        )
    )
    result = run_cli("render", str(config))
    assert result.code == 1
    line = next(x for x in result.out.splitlines() if "stackset-template-too-large" in x)
    assert re.search(r"takes [0-9,]+ bytes .*\(10 managed policies\).* at most 51,200", line), line
    assert not (tmp_path / "generated").exists()


def test_next_steps_give_a_launch_stack_link_and_deploy_commands(
    example_copy: Any, run_cli: RunCli
) -> None:
    config = example_copy("cloudformation")
    result = run_cli("render", "-v", str(config))
    lines = [x.strip() for x in result.out.splitlines()]
    link = next(x for x in lines if x.startswith("https://console.aws.amazon.com/cloudformation"))
    assert link == (
        "https://console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/create/"
        "review?templateURL=https%3A%2F%2Fexample-templates.s3.eu-west-1.amazonaws.com%2F"
        "bedrock-gen%2Fport-bedrock.template.json&stackName=port-bedrock"
    )
    deploy = next(x for x in lines if x.startswith("Or with CloudFormation: "))
    command = deploy.removeprefix("Or with CloudFormation: ")
    assert command.startswith(
        "aws cloudformation deploy --region eu-west-1 --stack-name port-bedrock --template-file "
    )
    assert "--capabilities CAPABILITY_NAMED_IAM" in command
    # the parameter file the command builds holds the secret; the command line does not
    printf = command[command.index("printf ") : command.rindex(")")]
    assert SECRET not in command
    made = subprocess.run(
        ["bash", "-c", printf], env={"PORT_EXTERNAL_ID": SECRET}, capture_output=True, text=True
    )
    assert json.loads(made.stdout) == [{"ParameterKey": "ExternalId", "ParameterValue": SECRET}]
    readme = (config.parent / "generated/cloudformation/README.md").read_text()
    assert command.replace(f"{config.parent}/", "") in readme.splitlines()  # the same command
    organization = example_copy("organization-stackset")
    result = run_cli("render", "-v", str(organization))
    assert "aws cloudformation activate-organizations-access && aws cloudformation deploy" in (
        result.out
    )
    assert "--stack-name litellm-ecs-bedrock-stackset" in result.out


def test_checked_in_cloudformation_examples_are_current(run_cli: RunCli) -> None:
    configs = [
        ROOT / "examples" / n / "bedrock-gen.yaml"
        for n in ("cloudformation", "organization-stackset")
    ]
    result = run_cli("render", "--check", "-v", *map(str, configs))
    assert result.code == 0, result.out + result.err
    for config in configs:
        assert (config.parent / "generated/cloudformation/stack.template.json").is_file()
    assert (
        ROOT / "examples/organization-stackset/generated/cloudformation/stackset.template.json"
    ).is_file()


def test_no_cloudformation_section_writes_no_templates(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES[0], tmp_path / "bedrock-gen.yaml")
    data = yaml.safe_load((tmp_path / "bedrock-gen.yaml").read_text())
    data.pop("cloudformation", None)
    (tmp_path / "bedrock-gen.yaml").write_text(yaml.safe_dump(data))
    out = render(tmp_path / "bedrock-gen.yaml")
    assert not (out / "cloudformation").exists()
