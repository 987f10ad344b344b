"""The generated Terraform module, proven with the real terraform and hashicorp/aws provider.

For every example, in both flavours (HCL and Terraform JSON): ``terraform fmt -check``,
``init -backend=false``, ``validate`` and the module's own ``terraform test`` (mocked provider).
End to end: ``terraform apply`` against moto's IAM server on 127.0.0.1, read everything back
with boto3, compare with ``iam/*.json``, check that a second plan is empty, destroy.

Skipped, with the reason, where terraform or the offline provider mirror is missing.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_gen.api import render_config
from conftest import EXAMPLES, ROOT
from terraform_env import terraform_env

pytestmark = pytest.mark.terraform


ENV = terraform_env()
needs_terraform = pytest.mark.skipif(isinstance(ENV, str), reason=str(ENV))


def tf(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    assert not isinstance(ENV, str)
    proc = subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"terraform {' '.join(args)} failed in {cwd}:\n{proc.stdout}\n"
                             f"{proc.stderr}")
    return proc


def render_flavour(example: Path, flavour: str, dest: Path) -> Path:
    """Render an example with terraform.format = flavour into dest; return the module dir."""
    data = yaml.safe_load(example.read_text())
    data.setdefault("terraform", {})["format"] = flavour
    cfg = dest / "bedrock-gen.yaml"
    dest.mkdir(parents=True, exist_ok=True)
    cfg.write_text(yaml.safe_dump(data))
    result = render_config(cfg, output=dest / "out")
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return dest / "out" / "terraform"


@needs_terraform
@pytest.mark.parametrize("flavour", ["hcl", "json"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_module_is_fmt_clean_valid_and_passes_its_own_tests(example: Path, flavour: str,
                                                            tmp_path: Path) -> None:
    module = render_flavour(example, flavour, tmp_path)
    tf("fmt", "-check", "-recursive", cwd=module)
    tf("init", "-backend=false", "-input=false", cwd=module)
    tf("validate", cwd=module)
    result = tf("test", cwd=module)
    assert "0 failed" in result.stdout


@needs_terraform
def test_checked_in_example_modules_are_fmt_clean() -> None:
    for example in EXAMPLES:
        tf("fmt", "-check", "-recursive", cwd=example.parent / "generated" / "terraform")


HOSTILE = """\
version: 1
name: "gw+=,.@_-x"
account_id: "123456789012"
regions: [eu-west-1]
models: {ids: [claude-sonnet-4-5], geographies: [eu]}
auth: {mode: assume_role, gateway: portkey, role_name: "r@le=1,x", external_id: "a+b=c,d.e@f:g/h-i_j"}
terraform:
  path: "/${jndi}/%{if_x}\\"q\\"\\\\/"
  permissions_boundary: "arn:aws:iam::123456789012:policy/b${x}%{y}"
  tags: {"for": "x", "a:b": "v = 1 + 2 @ x", "\u00fcml": "\u00e9t\u00e9", "in": "null"}
"""


@needs_terraform
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_hostile_strings_stay_literal(flavour: str, tmp_path: Path) -> None:
    cfg = tmp_path / "src.yaml"
    cfg.write_text(HOSTILE)
    module = render_flavour(cfg, flavour, tmp_path / "r")
    tf("fmt", "-check", "-recursive", cwd=module)
    tf("init", "-backend=false", "-input=false", cwd=module)
    tf("validate", cwd=module)
    assert "0 failed" in tf("test", cwd=module).stdout
    assert not isinstance(ENV, str)
    proc = subprocess.run(["terraform", "console", "-no-color"], cwd=module, env=ENV,
                          input="jsonencode([var.path, var.permissions_boundary, local.tags])\n",
                          capture_output=True, text=True, timeout=120, check=True)
    value = json.loads(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert value == ["/${jndi}/%{if_x}\"q\"\\/", "arn:aws:iam::123456789012:policy/b${x}%{y}",
                     {"for": "x", "a:b": "v = 1 + 2 @ x", "\u00fcml": "\u00e9t\u00e9",
                      "in": "null"}]


# --------------------------------------------------------------------------------------------
# end to end against moto's IAM server


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def moto_server() -> Iterator[str]:
    exe = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(exe).exists():
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    port = _free_port()
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("moto_server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


ROOT_MODULE = """\
terraform {{
  required_providers {{
    aws = {{
      source = "hashicorp/aws"
    }}
  }}
}}

provider "aws" {{
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {{
    iam = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

module "gateway" {{
  source = "./module"
{inputs}
}}

output "names" {{
  value = module.gateway
  sensitive = true
}}
"""


def _iam(endpoint: str) -> Any:
    import boto3

    return boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def _doc(value: Any) -> Any:
    from urllib.parse import unquote

    return json.loads(unquote(value)) if isinstance(value, str) else value


@needs_terraform
@pytest.mark.parametrize("name", ["strict", "access-keys"])
def test_apply_against_moto_creates_exactly_the_generated_documents(
        name: str, moto_server: str, tmp_path: Path) -> None:
    src = ROOT / "examples" / name / "generated"
    work = tmp_path / "root"
    shutil.copytree(src / "terraform", work / "module", ignore=shutil.ignore_patterns(
        ".terraform*"))
    shutil.copytree(src / "iam", work / "iam")
    trust_path = src / "iam" / "trust-policy.json"
    inputs = ""
    if trust_path.exists():
        external_id = json.loads(trust_path.read_text())["Statement"][0]["Condition"][
            "StringEquals"]["sts:ExternalId"]
        inputs = f'  external_id = "{external_id}"'
    else:
        inputs = "  create_access_key = true"
    (work / "main.tf").write_text(ROOT_MODULE.format(endpoint=moto_server, inputs=inputs))
    tf("init", "-backend=false", "-input=false", cwd=work)
    tf("apply", "-auto-approve", "-input=false", cwd=work)

    iam = _iam(moto_server)
    expected = {p.name: json.loads(p.read_text()) for p in (src / "iam").glob("*.json")}
    if trust_path.exists():
        (role,) = iam.list_roles()["Roles"]
        assert _doc(role["AssumeRolePolicyDocument"]) == expected["trust-policy.json"]
        # moto validates trust policies only on update: feed ours through that path too.
        iam.update_assume_role_policy(RoleName=role["RoleName"],
                                      PolicyDocument=json.dumps(expected["trust-policy.json"]))
        attached = iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]
        tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role["RoleName"])["Tags"]}
    else:
        (user,) = iam.list_users()["Users"]
        attached = iam.list_attached_user_policies(UserName=user["UserName"])["AttachedPolicies"]
        keys = iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]
        assert len(keys) == 1
        tags = {t["Key"]: t["Value"] for t in iam.list_user_tags(UserName=user["UserName"])["Tags"]}
    config = yaml.safe_load((ROOT / "examples" / name / "bedrock-gen.yaml").read_text())
    assert tags == config["terraform"]["tags"]
    got = {}
    for policy in attached:
        meta = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=policy["PolicyArn"],
                                         VersionId=meta["DefaultVersionId"])
        got[policy["PolicyName"]] = _doc(version["PolicyVersion"]["Document"])
    invoke = {k: v for k, v in expected.items() if k.startswith("bedrock-invoke-policy")}
    assert sorted(got.values(), key=json.dumps) == sorted(invoke.values(), key=json.dumps)

    plan = tf("plan", "-detailed-exitcode", "-input=false", cwd=work, check=False)
    assert plan.returncode == 0, plan.stdout + plan.stderr  # no drift

    tf("destroy", "-auto-approve", "-input=false", cwd=work)
    assert iam.list_roles()["Roles"] == []
    assert iam.list_users()["Users"] == []
    assert iam.list_policies(Scope="Local")["Policies"] == []
