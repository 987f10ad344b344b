"""The generated Terraform module, proven with the real terraform and hashicorp/aws provider.

For every example, in both flavours (HCL and Terraform JSON): ``terraform fmt -check`` and the
module's own ``terraform test`` (mocked provider), which validates it. Hostile strings stay
literal. The applies against moto's IAM live in ``test_terraform_apply``; the helpers they share
(``tf``, ``run_moto``, ``moto_provider``) are here.

Skipped, with the reason, where terraform or the offline provider mirror is missing.
"""

from __future__ import annotations

import contextlib
import json
import re
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
    proc = subprocess.run(
        ["terraform", *args, "-no-color"],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"terraform {' '.join(args)} failed in {cwd}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def render_flavour(example: Path, flavour: str, dest: Path, legacy: tuple[str, ...] = ()) -> Path:
    """Render an example with terraform.format = flavour into dest; return the module dir.
    ``legacy``: the invoke policies of a bedrock-gen 0.1 render found there (an upgrade)."""
    data = yaml.safe_load(example.read_text())
    data.setdefault("terraform", {})["format"] = flavour
    cfg = dest / "bedrock-gen.yaml"
    dest.mkdir(parents=True, exist_ok=True)
    cfg.write_text(yaml.safe_dump(data))
    if legacy:
        (dest / "out").mkdir()
        manifest = {
            "generator": "bedrock-gen",
            "config": "../bedrock-gen.yaml",
            "files": {f"iam/{name}": "sha256:0" for name in legacy},
        }
        (dest / "out" / ".bedrock-gen-manifest.json").write_text(json.dumps(manifest))
    result = render_config(cfg, output=dest / "out", adopt=bool(legacy), force=bool(legacy))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return dest / "out" / "terraform"


# A bedrock-gen 0.1 module with a split policy, upgraded: moved blocks, part 1 named "-1".
LEGACY_SPLIT = ("bedrock-invoke-policy-1.json", "bedrock-invoke-policy-2.json")


def _own_test_file(module: Path, label: str) -> str:
    """The module's shipped ``terraform test`` file, aimed at it from a shared root: each run
    loads the module (a ``module`` block) and reads ``../iam/`` beside it."""
    text = (module / "tests" / "bedrock_gen.tftest.hcl").read_text()
    text = re.sub(
        r'^(run "[^"]+" \{\n)',
        lambda m: m.group(1) + (f'  module {{\n    source = "../{label}/terraform"\n  }}\n\n'),
        text,
        flags=re.M,
    )
    return text.replace('file("../iam/', f'file("../{label}/iam/')


@needs_terraform
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_every_module_is_fmt_clean_and_passes_its_own_tests(flavour: str, tmp_path: Path) -> None:
    """Every example (and the hostile config) rendered in this flavour: ``fmt -check``, then
    each module's own ``terraform test`` (mocked provider; it validates the module too). The
    test files run from one root so terraform loads the provider's schema once, not 20 times."""
    root = tmp_path / "root"
    (root / "tests").mkdir(parents=True)
    (root / "main.tf").write_text('terraform {\n  required_version = ">= 1.7"\n}\n')
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HOSTILE)
    upgraded = ROOT / "tests/data/legacy-0.1/strict/bedrock-gen.yaml"
    for example in [*EXAMPLES, hostile, upgraded]:
        label = {hostile: "hostile", upgraded: "upgraded"}.get(example, example.parent.name)
        legacy = LEGACY_SPLIT if example == upgraded else ()
        module = render_flavour(example, flavour, tmp_path / "src" / label, legacy)
        tf("fmt", "-check", "-recursive", cwd=module)
        shutil.copytree(module, tmp_path / label / "terraform")
        shutil.copytree(module.parent / "iam", tmp_path / label / "iam")
        (root / "tests" / f"{label}.tftest.hcl").write_text(_own_test_file(module, label))
    tf("init", "-backend=false", "-input=false", cwd=root)
    result = tf("test", cwd=root)
    assert " 0 failed" in result.stdout, result.stdout
    files = re.findall(r"^tests/(\S+)\.tftest\.hcl\.\.\. pass$", result.stdout, flags=re.M)
    assert sorted(files) == sorted([*(e.parent.name for e in EXAMPLES), "hostile", "upgraded"])
    assert (
        tmp_path / "upgraded/terraform" / f"migrations.tf{'.json' * (flavour == 'json')}"
    ).exists()


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
auth:
  {mode: assume_role, gateway: portkey, role_name: "r@le=1,x", external_id: "a+b=c,d.e@f:g/h-i_j"}
terraform:
  path: "/${jndi}/%{if_x}\\"q\\"\\\\/"
  permissions_boundary: "arn:aws:iam::123456789012:policy/b${x}%{y}"
  tags: {"for": "x", "a:b": "v = 1 + 2 @ x", "\u00fcml": "\u00e9t\u00e9", "in": "null"}
"""


@needs_terraform
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_hostile_strings_stay_literal(flavour: str, tmp_path: Path) -> None:
    """``${``, ``%{``, quotes and backslashes in names, paths and tags reach Terraform as the
    literal text (fmt and the module's own tests run in the test above)."""
    cfg = tmp_path / "src.yaml"
    cfg.write_text(HOSTILE)
    module = render_flavour(cfg, flavour, tmp_path / "r")
    tf("init", "-backend=false", "-input=false", cwd=module)
    assert not isinstance(ENV, str)
    proc = subprocess.run(
        ["terraform", "console", "-no-color"],
        cwd=module,
        env=ENV,
        input="jsonencode([var.path, var.permissions_boundary, local.tags])\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    value = json.loads(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert value == [
        '/${jndi}/%{if_x}"q"\\/',
        "arn:aws:iam::123456789012:policy/b${x}%{y}",
        {"for": "x", "a:b": "v = 1 + 2 @ x", "\u00fcml": "\u00e9t\u00e9", "in": "null"},
    ]


# --------------------------------------------------------------------------------------------
# end to end against moto's IAM server


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def run_moto() -> Iterator[str]:
    """moto's server on a free port of 127.0.0.1, stopped by its PID on the way out."""
    exe = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(exe).exists():
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


def moto_provider(
    endpoint: str, region: str = "us-east-1", services: tuple[str, ...] = ("iam", "sts")
) -> str:
    """A root module's required_providers and an aws provider whose ``services`` calls go to
    moto at ``endpoint``, with fake credentials and no account or metadata look-ups."""
    endpoints = "".join(f'    {service} = "{endpoint}"\n' for service in services)
    return f"""\
terraform {{
  required_providers {{
    aws = {{
      source = "hashicorp/aws"
    }}
  }}
}}

provider "aws" {{
  region                      = "{region}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {{
{endpoints}  }}
}}
"""


def _iam(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _doc(value: Any) -> Any:
    from urllib.parse import unquote

    return json.loads(unquote(value)) if isinstance(value, str) else value
