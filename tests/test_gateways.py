"""Auth modes and gateway presets (issue 11): each mode validates, refuses what would trust more
than the named workload with one located line, renders a trust policy that lets in exactly the
intended workload (judged by the independent ``trust_evaluator``), leaves the invoke policy
alone, and prints its own next steps."""

from __future__ import annotations

import copy
import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import trust_evaluator as te
from bedrock_gen.api import validate_config
from bedrock_gen.catalog import bundled
from bedrock_gen.gateways import next_steps
from bedrock_gen.gateways.registry import MODES, PRESETS
from bedrock_gen.lint.engine import lint_data
from conftest import ROOT, RunCli

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER}"
OTHER_OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0THER"
CLUSTER = f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/gateway"
PORTKEY = "arn:aws:iam::299329113195:role/portkey-app"
QUILR = "arn:aws:iam::975050335771:user/quilr-gateway"
PORT_EU = "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-eu-west-1"
PORT_US = "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-us-east-1"
SAAS_ROLES = (PORTKEY, QUILR, PORT_EU, PORT_US, "arn:aws:iam::289469326074:role/roleAssumer")

AUTHS: dict[str, dict[str, Any]] = {
    "irsa": {
        "gateway": "litellm",
        "auth": {
            "mode": "eks_irsa",
            "oidc_provider_arn": OIDC,
            "service_accounts": ["litellm:litellm", "jobs:migrate"],
        },
    },
    "pod-identity": {
        "gateway": "envoy-ai-gateway",
        "auth": {
            "mode": "eks_pod_identity",
            "cluster_arn": CLUSTER,
            "service_accounts": ["envoy-gateway-system:ai-gateway-dataplane-aws", "jobs:migrate"],
        },
    },
    "lambda": {"auth": {"mode": "aws_service", "service": "lambda"}},
    "ecs": {"auth": {"mode": "aws_service", "service": "ecs-tasks"}},
    "ec2": {"auth": {"mode": "aws_service", "service": "ec2"}},
    "portkey": {"gateway": "portkey", "auth": {"mode": "assume_role", "external_id": "pk-123"}},
    "quilrai": {
        "auth": {
            "gateway": "quilrai",
            "mode": "assume_role",
            "external_id": "0b7c5d7e-8a4f-4e5b-9c1d-2f3a4b5c6d7e",
        }
    },
    "port-eu": {
        "gateway": "port",
        "auth": {"mode": "assume_role", "gateway_regions": ["eu"], "external_id": "port-123"},
    },
    "custom": {
        "gateway": "custom",
        "auth": {
            "mode": "assume_role",
            "allow_custom_principals": True,
            "external_id": "gw-123",
            "trusted_principals": [f"arn:aws:iam::{OTHER_ACCOUNT}:role/gateway"],
        },
    },
    "existing-role": {"auth": {"mode": "existing_role", "role_name": "platform-gateway"}},
    "existing-user": {"auth": {"mode": "existing_user", "user_name": "platform-gateway"}},
    "access-keys": {"gateway": "litellm", "auth": {"mode": "access_keys"}},
}


def config_data(name: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 1,
        "name": "gw",
        "account_id": ACCOUNT,
        "regions": ["us-east-1"],
        "models": {"ids": ["claude-sonnet-4-5", "claude-haiku-4-5"], "geographies": ["us"]},
        "guardrails": [f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/abc123"],
        "permissions": {"count_tokens": True, "guardrail_reads": True},
        **copy.deepcopy(AUTHS[name]),
    }
    data.update(extra)
    return data


def checked(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return validate_config(path)


def rendered(tmp_path: Path, name: str, **extra: Any) -> Any:
    result = checked(tmp_path, config_data(name, **extra))
    errors = [d.format_text() for d in result.diagnostics if d.severity.value == "error"]
    assert result.documents is not None, errors
    return result


def trust(tmp_path: Path, name: str, **extra: Any) -> dict[str, Any]:
    docs = rendered(tmp_path, name, **extra).documents
    assert docs.trust is not None
    return docs.trust.document  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# every mode renders, and what it renders lints clean


@pytest.mark.parametrize("name", sorted(AUTHS))
def test_each_mode_renders_lint_clean_documents(name: str, tmp_path: Path) -> None:
    result = rendered(tmp_path, name)
    for doc in result.documents.all():
        kind = "trust" if doc is result.documents.trust else "identity"
        findings = lint_data(doc.document, doc.filename, bundled.load(), kind, 2048)
        findings = [f for f in findings if f.code != "BEDROCK_INVOKE_WITHOUT_GUARDRAIL"]
        assert findings == [], [f.format_text() for f in findings]
    creates_role = result.config.is_role
    assert (result.documents.trust is not None) == creates_role


def test_every_mode_and_preset_is_exercised() -> None:
    modes = {AUTHS[n]["auth"]["mode"] for n in AUTHS}
    assert modes == set(MODES)
    for preset in PRESETS.values():
        assert preset.modes and all(m in MODES for m in preset.modes), preset.id
        assert set(preset.needs) <= {
            "count_tokens",
            "guardrail_reads",
            "model_discovery",
            "secure_transport",
        }


def test_the_invoke_policy_does_not_depend_on_the_mode(tmp_path: Path) -> None:
    invoke = {}
    for name in AUTHS:
        docs = rendered(tmp_path, name).documents
        invoke[name] = [d.document for d in docs.invoke]
    first = invoke["irsa"]
    assert any(s["Sid"] == "AllowCountTokens" for s in first[0]["Statement"])
    assert {n: d for n, d in invoke.items() if d != first} == {}


# --------------------------------------------------------------------------------------------
# trust policies let in exactly the intended workload (independent evaluator)


def test_irsa_trusts_exactly_the_named_service_accounts(tmp_path: Path) -> None:
    policy = trust(tmp_path, "irsa")
    assert te.irsa(policy, OIDC, "litellm", "litellm")
    assert te.irsa(policy, OIDC, "jobs", "migrate")
    for ns, sa in [
        ("litellm", "migrate"),
        ("jobs", "litellm"),
        ("default", "litellm"),
        ("litellm", "default"),
        ("kube-system", "aws-node"),
        ("litellm", "litellm-x"),
    ]:
        assert not te.irsa(policy, OIDC, ns, sa), (ns, sa)
    assert not te.irsa(policy, OTHER_OIDC, "litellm", "litellm")  # another cluster
    assert not te.irsa(policy, OIDC, "litellm", "litellm", audience="sigstore")
    assert not te.irsa(policy, OIDC, "litellm", "litellm", action="sts:AssumeRole")
    for role in SAAS_ROLES:
        assert not te.saas(policy, role)


def test_pod_identity_trusts_exactly_the_named_workloads_in_the_named_cluster(
    tmp_path: Path,
) -> None:
    policy = trust(tmp_path, "pod-identity")
    ns, sa = "envoy-gateway-system", "ai-gateway-dataplane-aws"
    assert te.pod_identity(policy, CLUSTER, ns, sa)
    assert te.pod_identity(policy, CLUSTER, "jobs", "migrate")
    assert not te.pod_identity(policy, CLUSTER, ns, "migrate")  # a name of another namespace
    assert not te.pod_identity(policy, CLUSTER, "jobs", sa)
    assert not te.pod_identity(policy, CLUSTER, "default", sa)
    assert not te.pod_identity(policy, CLUSTER, ns, "default")
    assert not te.pod_identity(policy, CLUSTER.replace("/gateway", "/staging"), ns, sa)
    assert not te.pod_identity(policy, CLUSTER.replace(ACCOUNT, OTHER_ACCOUNT), ns, sa)
    assert not te.pod_identity(policy, CLUSTER, ns, sa, tags=False)  # disableSessionTags
    # both authorizations are needed, and each is granted only with the tags
    caller = te.Caller("Service", "pods.eks.amazonaws.com")
    assert not te.allowed(policy, te.Request("sts:TagSession", caller, {}))
    assert not te.service(policy, "pods.eks.amazonaws.com", ACCOUNT)
    for role in SAAS_ROLES:
        assert not te.saas(policy, role)


def test_lambda_role_trusts_lambda_of_the_account_only(tmp_path: Path) -> None:
    policy = trust(tmp_path, "lambda")
    fn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:gateway"
    assert te.service(policy, "lambda.amazonaws.com", ACCOUNT, fn)
    assert not te.service(policy, "lambda.amazonaws.com", OTHER_ACCOUNT)
    for other in ("ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com"):
        assert not te.service(policy, other, ACCOUNT)
    for role in SAAS_ROLES:
        assert not te.saas(policy, role)


def test_ecs_task_role_trusts_ecs_tasks_of_the_account_in_any_region(tmp_path: Path) -> None:
    policy = trust(tmp_path, "ecs")
    for region in ("us-east-1", "eu-west-1"):  # tasks need not run where Bedrock is called
        task = f"arn:aws:ecs:{region}:{ACCOUNT}:task/cluster/0123456789abcdef"
        assert te.service(policy, "ecs-tasks.amazonaws.com", ACCOUNT, task)
    other = f"arn:aws:ecs:us-east-1:{OTHER_ACCOUNT}:task/cluster/0123456789abcdef"
    assert not te.service(policy, "ecs-tasks.amazonaws.com", OTHER_ACCOUNT, other)
    assert not te.service(policy, "ecs-tasks.amazonaws.com", ACCOUNT, other)
    assert not te.service(policy, "ecs-tasks.amazonaws.com", None)
    assert not te.service(policy, "lambda.amazonaws.com", ACCOUNT)
    condition = policy["Statement"][0]["Condition"]
    assert condition == {
        "ArnLike": {"aws:SourceArn": f"arn:aws:ecs:*:{ACCOUNT}:*"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


def test_ec2_role_never_depends_on_a_key_ec2_may_not_send_and_gets_an_instance_profile(
    tmp_path: Path,
) -> None:
    """AWS documents no source condition for ec2.amazonaws.com: a condition on a key EC2 does
    not send would leave every instance without credentials, so the account is checked only
    if the key is sent (StringEqualsIfExists)."""
    result = rendered(tmp_path, "ec2")
    policy = result.documents.trust.document
    assert te.service(policy, "ec2.amazonaws.com", None)
    assert te.service(policy, "ec2.amazonaws.com", ACCOUNT)
    assert not te.service(policy, "ec2.amazonaws.com", OTHER_ACCOUNT)
    assert not te.service(policy, "lambda.amazonaws.com", ACCOUNT)
    assert result.config.auth.instance_profile
    for role in SAAS_ROLES:
        assert not te.saas(policy, role)


@pytest.mark.parametrize(
    ("name", "caller", "external_id"),
    [
        ("portkey", PORTKEY, "pk-123"),
        ("quilrai", QUILR, "0b7c5d7e-8a4f-4e5b-9c1d-2f3a4b5c6d7e"),
        ("port-eu", PORT_EU, "port-123"),
        ("custom", f"arn:aws:iam::{OTHER_ACCOUNT}:role/gateway", "gw-123"),
    ],
)
def test_saas_roles_trust_exactly_the_gateways_role_with_its_external_id(
    name: str, caller: str, external_id: str, tmp_path: Path
) -> None:
    policy = trust(tmp_path, name)
    assert te.saas(policy, caller, external_id)
    assert not te.saas(policy, caller)
    assert not te.saas(policy, caller, external_id + "x")
    assert not te.saas(policy, caller, " " + external_id)
    account = caller.split(":")[4]
    for other in (
        *SAAS_ROLES,
        f"arn:aws:iam::{account}:role/another-role-of-that-account",
        f"arn:aws:iam::{account}:user/someone",
        f"arn:aws:iam::{ACCOUNT}:role/admin",
    ):
        if other != caller:
            assert not te.saas(policy, other, external_id), other
    assert not te.service(policy, "lambda.amazonaws.com", ACCOUNT)


@pytest.mark.parametrize("name", ["portkey", "port-eu"])
def test_a_multi_tenant_saas_role_without_external_id_is_refused_with_the_fix(
    name: str, tmp_path: Path
) -> None:
    """Why (issue 21): with Port or Portkey and no external ID, any tenant of the SaaS could
    have the vendor's shared role assume this one (the confused deputy); it only warned."""
    data = config_data(name)
    del data["auth"]["external_id"]
    result = checked(tmp_path, data)
    (err,) = [d for d in result.diagnostics if d.code == "external-id-missing"]
    assert err.severity.value == "error"
    assert "multi-tenant SaaS gateway" in err.message
    assert "{env: VAR}" in err.message and "{none: REASON}" in err.message
    assert result.documents is None


def test_portkey_with_a_reviewed_opt_out_trusts_its_role_only(tmp_path: Path) -> None:
    data = config_data("portkey")
    data["auth"]["external_id"] = {"none": "reviewed 2026-12: Portkey workspace SSO-bound"}
    result = checked(tmp_path, data)
    assert not [d for d in result.diagnostics if d.code.startswith("external-id")]
    assert result.config.external_id_opt_out == "reviewed 2026-12: Portkey workspace SSO-bound"
    policy = result.documents.trust.document
    assert "Condition" not in policy["Statement"][0]
    assert te.saas(policy, PORTKEY)
    assert not te.saas(policy, PORT_EU)
    (line,) = MODES["assume_role"].trusted(result.config.auth)
    assert "reviewed opt-out" in line and "SSO-bound" in line


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("ab", "2 characters"),
        ("port-123", "8 characters"),
        ("aaaaaaaaaaaaaaaaaaaa", "only 1 different"),
        ("1234567890123456", "small alphabet"),
    ],
)
def test_a_weak_external_id_warns(value: str, why: str, tmp_path: Path) -> None:
    """Why (issue 21): `external_id: ab` passed."""
    data = config_data("portkey")
    data["auth"]["external_id"] = value
    result = checked(tmp_path, data)
    (warning,) = [d for d in result.diagnostics if d.code == "external-id-weak"]
    assert why in warning.message


def test_existing_identities_get_policies_only(tmp_path: Path) -> None:
    for name in ("existing-role", "existing-user", "access-keys"):
        result = rendered(tmp_path, name)
        assert result.documents.trust is None
        assert result.config.creates_entity is (name == "access-keys")


# --------------------------------------------------------------------------------------------
# refusals: one located line each, never a traceback

BASE = """\
version: 1
name: gw
account_id: "123456789012"
models: {ids: [claude-sonnet-4-5], geographies: [us]}
"""

REFUSED = [
    (
        "irsa-wildcard-sa",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC}
  service_accounts: ["litellm:litellm", "litellm:*"]
""",
        "8:41",
        "service-account-wildcard",
        "'litellm:*' has a wildcard",
    ),
    (
        "irsa-missing-sa",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC}
""",
        "6:3",
        "service-accounts-missing",
        "NAMESPACE:NAME",
    ),
    (
        "pod-identity-missing-sa",
        f"""gateway: envoy-ai-gateway
auth:
  mode: eks_pod_identity
  cluster_arn: {CLUSTER}
""",
        "7:3",
        "service-accounts-missing",
        "Envoy AI Gateway documents envoy-gateway-system:ai-gateway-dataplane-aws",
    ),
    (
        "sa-without-namespace",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC}
  service_accounts: [litellm]
""",
        "8:22",
        "invalid-service-account",
        "is not NAMESPACE:NAME",
    ),
    (
        "oidc-not-a-provider",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: arn:aws:iam::{ACCOUNT}:role/litellm
  service_accounts: ["litellm:litellm"]
""",
        "7:22",
        "invalid-oidc-provider",
        "is not an EKS OIDC provider ARN",
    ),
    (
        "oidc-other-account",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC.replace(ACCOUNT, OTHER_ACCOUNT)}
  service_accounts: ["litellm:litellm"]
""",
        "7:22",
        "oidc-provider-account",
        f"account {OTHER_ACCOUNT} but account_id is {ACCOUNT}",
    ),
    (
        "oidc-cn-host-in-aws",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC.replace("amazonaws.com", "amazonaws.com.cn")}
  service_accounts: ["litellm:litellm"]
""",
        "7:22",
        "invalid-oidc-provider",
        "amazonaws.com.cn in partition aws-cn only",
    ),
    (
        "cluster-other-account",
        f"""auth:
  mode: eks_pod_identity
  cluster_arn: {CLUSTER.replace(ACCOUNT, OTHER_ACCOUNT)}
  service_accounts: ["gw:gw"]
""",
        "7:16",
        "cluster-account",
        f"account {OTHER_ACCOUNT} but account_id is {ACCOUNT}",
    ),
    (
        "cluster-not-a-cluster",
        f"""auth:
  mode: eks_pod_identity
  cluster_arn: arn:aws:eks:us-east-1:{ACCOUNT}:nodegroup/gw/ng/1
  service_accounts: ["gw:gw"]
""",
        "7:16",
        "invalid-cluster-arn",
        "is not an EKS cluster ARN",
    ),
    (
        "principal-wildcard",
        """gateway: custom
auth:
  mode: assume_role
  allow_custom_principals: true
  trusted_principals: ["*"]
""",
        "9:24",
        "principal-wildcard",
        "any AWS principal",
    ),
    (
        "custom-without-principals",
        """gateway: custom
auth:
  mode: assume_role
""",
        "7:9",
        "no-principals",
        "has no documented role to trust",
    ),
    (
        "quilrai-without-external-id",
        """auth:
  gateway: quilrai
  mode: assume_role
""",
        "6:3",
        "external-id-missing",
        "QuilrAI requires an external ID: QuilrAI is a multi-tenant SaaS gateway",
    ),
    (
        "portkey-on-eks",
        f"""gateway: portkey
auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC}
  service_accounts: ["gw:gw"]
""",
        "5:10",
        "mode-unsupported",
        "Portkey does not document mode: eks_irsa",
    ),
    (
        "key-of-another-mode",
        f"""auth:
  mode: eks_irsa
  oidc_provider_arn: {OIDC}
  cluster_arn: {CLUSTER}
  service_accounts: ["gw:gw"]
""",
        "8:3",
        "auth-contradiction",
        "auth.cluster_arn is for mode: eks_pod_identity",
    ),
    (
        "existing-role-without-name",
        """auth:
  mode: existing_role
""",
        "6:3",
        "role-name-missing",
        "needs auth.role_name",
    ),
]


@pytest.mark.parametrize(
    ("auth", "where", "code", "text"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_unsafe_configs_are_refused_with_one_located_line(
    auth: str, where: str, code: str, text: str, tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "c.yaml").write_text(BASE + auth)
    result = run_cli("validate", "c.yaml", cwd=tmp_path)
    assert result.code == 1
    errors = [line for line in result.out.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.out
    assert errors[0].startswith(f"c.yaml:{where}: error: "), errors[0]
    assert errors[0].endswith(f"[{code}]") and text in errors[0], errors[0]
    assert "Traceback" not in result.out + result.err


def test_ecs_task_role_without_account_is_refused_and_lambda_only_warned(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """An ECS task role's trust needs the account (aws:SourceAccount/SourceArn, which lint
    requires); a Lambda role's is optional in AWS's words: a warning."""
    base = "version: 1\nname: gw\nmodels: {ids: [claude-sonnet-4-5], geographies: [us]}\n"
    (tmp_path / "ecs.yaml").write_text(base + "auth: {mode: aws_service, service: ecs-tasks}\n")
    result = run_cli("validate", "ecs.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "ecs.yaml:4:36: error: an ECS task role needs account_id"
    ), result.out
    (tmp_path / "fn.yaml").write_text(base + "auth: {mode: aws_service, service: lambda}\n")
    result = run_cli("validate", "fn.yaml", cwd=tmp_path)
    assert result.code == 0, result.out
    assert "fn.yaml:4:36: warning: without account_id" in result.out
    (tmp_path / "vm.yaml").write_text(base + "auth: {mode: aws_service, service: ec2}\n")
    result = run_cli("validate", "vm.yaml", cwd=tmp_path)
    assert result.code == 0 and "warning" not in result.out, result.out


# --------------------------------------------------------------------------------------------
# next steps: each mode's own, commands that work when copied, Port's wording only for Port


def steps(tmp_path: Path, name: str, **extra: Any) -> list[str]:
    result = rendered(tmp_path, name, **extra)
    policies = tuple(f"iam/{d.filename}" for d in result.documents.invoke)
    return next_steps.steps(result.config, policies, tmp_path / "out")


def _command(line: str, program: str) -> list[str]:
    return shlex.split(line[line.index(f"{program} ") :])


def test_irsa_steps_annotate_each_service_account(tmp_path: Path) -> None:
    """With the role the module created: the root module's output (name_prefix may name it)."""
    lines = steps(tmp_path, "irsa")
    role = "$(terraform output -raw bedrock_gateway_role_arn)"
    annotate = [_command(x, "kubectl") for x in lines if "kubectl annotate" in x]
    assert annotate == [
        [
            "kubectl",
            "annotate",
            "serviceaccount",
            "--namespace",
            ns,
            name,
            f"eks.amazonaws.com/role-arn={role}",
            "--overwrite",
        ]
        for ns, name in [("jobs", "migrate"), ("litellm", "litellm")]
    ]
    assert any("kubectl rollout restart deployment --namespace litellm" in x for x in lines)


def test_pod_identity_steps_follow_the_association_toggle(tmp_path: Path) -> None:
    lines = steps(tmp_path, "pod-identity")
    addon = [
        "aws",
        "eks",
        "create-addon",
        "--region",
        "us-east-1",
        "--cluster-name",
        "gateway",
        "--addon-name",
        "eks-pod-identity-agent",
    ]
    assert any("aws eks" in x and _command(x, "aws eks") == addon for x in lines)
    assert not any("create-pod-identity-association" in x for x in lines)
    assert any("The module creates the Pod Identity association" in x for x in lines)
    lines = steps(tmp_path, "pod-identity", terraform={"create_pod_identity_associations": False})
    made = [_command(x, "aws eks") for x in lines if "create-pod-identity-association" in x]
    assert made == [
        [
            "aws",
            "eks",
            "create-pod-identity-association",
            "--region",
            "us-east-1",
            "--cluster-name",
            "gateway",
            "--namespace",
            ns,
            "--service-account",
            sa,
            "--role-arn",
            f"arn:aws:iam::{ACCOUNT}:role/gw",
        ]
        for ns, sa in [("envoy-gateway-system", "ai-gateway-dataplane-aws"), ("jobs", "migrate")]
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lambda", "aws lambda update-function-configuration --function-name FUNCTION --role "),
        ("ecs", '"taskRoleArn": "arn:aws:iam::123456789012:role/gw"'),
        (
            "ec2",
            "aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID "
            "--iam-instance-profile Name=gw",
        ),
        (
            "portkey",
            "In Portkey, enter the role ARN arn:aws:iam::123456789012:role/gw and the external ID",
        ),
        ("quilrai", "In QuilrAI, enter the role ARN"),
        (
            "existing-role",
            "Create the policies and attach them to the existing IAM role 'platform-gateway'",
        ),
        ("access-keys", "aws iam create-access-key --user-name gw"),
    ],
)
def test_each_mode_prints_its_own_steps(name: str, expected: str, tmp_path: Path) -> None:
    text = "\n".join(steps(tmp_path, name))
    assert expected in text
    assert "kubectl" not in text and "pod-identity" not in text


@pytest.mark.parametrize("name", sorted(AUTHS))
def test_ports_wording_and_provider_config_appear_only_for_port(name: str, tmp_path: Path) -> None:
    from bedrock_gen.api import output_files

    result = rendered(tmp_path, name)
    is_port = result.config.gateway.id == "port"
    text = "\n".join(steps(tmp_path, name))
    assert ("Port" in text.replace("Portkey", "")) is is_port, text
    files = output_files(result.config, result.documents, bundled.load())
    outputs = next(v for k, v in files.items() if k.startswith("terraform/outputs.tf"))
    assert (b"port_provider_config" in outputs) is is_port
    assert any(k.startswith("port/") for k in files) is (
        is_port and any(k.startswith("port/") for k in files)
    )
    if not is_port:
        assert not any(k.startswith("port/") for k in files)
        for key, data in files.items():
            body = data.decode().replace("Portkey", "").replace("port_", "")
            assert "Port secret" not in body and "Port's" not in body, key


# --------------------------------------------------------------------------------------------
# the checked-in examples of the new modes

NEW_EXAMPLES = [
    "litellm-eks-irsa",
    "envoy-eks-pod-identity",
    "lambda-gateway",
    "policy-only",
    "portkey",
]


@pytest.mark.parametrize("example", NEW_EXAMPLES)
def test_new_examples_are_current(example: str, run_cli: RunCli) -> None:
    # -v: rendered in full, the whole pipeline against the checked-in output (see test_render)
    result = run_cli("render", "--check", "-v", f"examples/{example}/bedrock-gen.yaml", cwd=ROOT)
    assert result.code == 0, result.out + result.err


def test_new_example_trust_policies_let_in_their_workload_only() -> None:
    def load(example: str) -> dict[str, Any]:
        path = ROOT / "examples" / example / "generated/iam/trust-policy.json"
        return json.loads(path.read_text())  # type: ignore[no-any-return]

    irsa = load("litellm-eks-irsa")
    assert te.irsa(irsa, OIDC, "litellm", "litellm")
    assert not te.irsa(irsa, OIDC, "default", "litellm")
    pods = load("envoy-eks-pod-identity")
    cluster = f"arn:aws:eks:eu-central-1:{ACCOUNT}:cluster/ai-gateway"
    assert te.pod_identity(pods, cluster, "envoy-gateway-system", "ai-gateway-dataplane-aws")
    assert not te.pod_identity(pods, cluster, "envoy-gateway-system", "envoy-gateway")
    fn = load("lambda-gateway")
    assert te.service(fn, "lambda.amazonaws.com", ACCOUNT)
    assert not te.service(fn, "lambda.amazonaws.com", OTHER_ACCOUNT)
    portkey = load("portkey")
    assert te.saas(portkey, PORTKEY, "${PORTKEY_EXTERNAL_ID}")
    assert not te.saas(portkey, PORTKEY)
    assert not (ROOT / "examples/policy-only/generated/iam/trust-policy.json").exists()


# --------------------------------------------------------------------------------------------
# any set of service accounts: exactly those, in every namespace/name combination

NAMES = st.sampled_from(["a", "b", "gw", "litellm", "kube-system", "x.y"])


@settings(max_examples=60, deadline=None)
@given(accounts=st.sets(st.tuples(NAMES, NAMES), min_size=1, max_size=5))
def test_kubernetes_trust_lets_in_exactly_the_listed_service_accounts(
    accounts: set[tuple[str, str]],
) -> None:
    from bedrock_gen.gateways.base import TrustContext
    from bedrock_gen.gateways.modes.eks_irsa import MODE as IRSA
    from bedrock_gen.gateways.modes.eks_irsa import EksIrsa
    from bedrock_gen.gateways.modes.eks_pod_identity import MODE as POD
    from bedrock_gen.gateways.modes.eks_pod_identity import EksPodIdentity

    listed = tuple(sorted(accounts))
    ctx = TrustContext("aws", ACCOUNT, ("us-east-1",), None)
    irsa = IRSA.trust_policy(EksIrsa("gw", OIDC, ISSUER, listed), ctx)
    pods = POD.trust_policy(EksPodIdentity("gw", CLUSTER, "gateway", listed), ctx)
    universe = {
        (ns, sa)
        for ns in ["a", "b", "gw", "litellm", "kube-system", "x.y", "z"]
        for sa in ["a", "b", "gw", "litellm", "kube-system", "x.y", "z"]
    }
    assert {w for w in universe if te.irsa(irsa, OIDC, *w)} == accounts
    assert {w for w in universe if te.pod_identity(pods, CLUSTER, *w)} == accounts
    assert not any(te.pod_identity(pods, CLUSTER.replace("gateway", "other"), *w) for w in accounts)


TRUST_SHAPES = {
    "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL": "SECURITY_WARNING",  # Access Analyzer's
    "MISMATCHED_ACTION_FOR_PRINCIPAL": "ERROR",  # Access Analyzer's
    "WILDCARD_WITHOUT_LIKE_OPERATOR": "WARNING",  # Access Analyzer's
    "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL": "SECURITY_WARNING",  # Access Analyzer's
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": "SECURITY_WARNING",  # Access Analyzer's
    "TRUST_OIDC_WITHOUT_SUB": "SECURITY_WARNING",
    "TRUST_OIDC_WITHOUT_AUD": "WARNING",
    "TRUST_OIDC_WILDCARD_SUBJECT": "SECURITY_WARNING",
    "TRUST_POD_IDENTITY_UNSCOPED": "SECURITY_WARNING",
    "TRUST_POD_IDENTITY_ANY_CLUSTER": "WARNING",
    "TRUST_POD_IDENTITY_WITHOUT_TAG_SESSION": "ERROR",
}


def test_trust_shape_rules_are_rated_and_each_has_a_bad_example() -> None:
    from bedrock_gen.lint.rules import RULES

    assert {c: RULES[c].severity.finding_type for c in TRUST_SHAPES} == TRUST_SHAPES
    expected = "".join(p.read_text() for p in (ROOT / "tests/lint/bad").glob("trust-*.expected"))
    for code in TRUST_SHAPES:
        assert f"[{code}]" in expected, code
    assert all(RULES[c].hint for c in TRUST_SHAPES)


def test_the_lazy_registry_names_each_mode_and_preset_by_its_own_id() -> None:
    from bedrock_gen.gateways.registry import MODES, PRESETS

    assert all(MODES[key].id == key for key in MODES)
    assert all(PRESETS[key].id == key for key in PRESETS)


@pytest.mark.parametrize("mode", ["existing_role", "existing_user", "access_keys"])
def test_trust_policy_of_a_mode_without_a_role_is_one_line(
    mode: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """Nothing to print where bedrock-gen creates no role (an existing identity, or a user):
    one located error, exit 1, and no JSON a script could mistake for a trust policy."""
    auth: dict[str, Any] = {"mode": mode}
    if mode.startswith("existing_"):
        auth["role_name" if mode == "existing_role" else "user_name"] = "gateway"
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "name": "gw",
                "account_id": "123456789012",
                "regions": ["eu-west-1"],
                "models": {"ids": ["claude-sonnet-4-5"], "geographies": ["eu"]},
                "auth": auth,
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("trust-policy", str(config))
    assert (result.code, result.out) == (1, "")
    why = (
        "makes an IAM user, and a user has no trust policy"
        if mode == "access_keys"
        else "attaches the policies to an identity bedrock-gen does not create, so its trust "
        "policy is not bedrock-gen's to print"
    )
    assert result.err == f"{config}: error: mode: {mode} {why}  [no-trust-policy]\n"
