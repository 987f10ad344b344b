"""``.pre-commit-hooks.yaml`` tested by running it: ``pre-commit try-repo`` against this checkout
in a throw-away git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "--all-files", "--verbose"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_hook_definitions_point_at_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {
        "bedrock-gen-validate",
        "bedrock-gen-render-check",
        "bedrock-gen-lint",
    }
    for hook in hooks:
        assert hook["entry"].split()[0] == "bedrock-gen"
        assert hook["language"] == "python"


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")
def test_hooks_pass_on_good_files_and_fail_on_drift(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT / "examples" / "strict", repo / "gateway", ignore=shutil.ignore_patterns(".terraform*")
    )
    # a monorepo's own Terraform and IAM folders, which bedrock-gen did not generate
    own = repo / "infra/terraform/main.tf"
    own.parent.mkdir(parents=True)
    own.write_text('resource "null_resource" "x" {}\n')
    (repo / "terraform").mkdir()
    (repo / "terraform/variables.tf").write_text('variable "x" {}\n')
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    home = tmp_path / "pre-commit-home"

    clean = _try_repo(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    for name in ("bedrock-gen validate", "bedrock-gen render --check", "bedrock-gen lint"):
        assert any(
            line.startswith(name) and line.rstrip().endswith("Passed")
            for line in clean.stdout.splitlines()
        ), clean.stdout

    trust = repo / "gateway/generated/iam/trust-policy.json"
    trust.write_text(trust.read_text().replace("sts:AssumeRole", "sts:AssumeRole*"))
    bad = repo / "gateway/iam/hand-written.json"
    bad.parent.mkdir()
    bad.write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
        '"bedrock:ApplyGuardrail", "Resource": "arn:aws:bedrock:*::foundation-model/*"}'
        "]}\n"
    )
    _git(repo, "add", "-A")
    drifted = _try_repo(repo, home)
    assert drifted.returncode == 1
    assert "gateway/generated/iam/trust-policy.json: edited by hand" in drifted.stdout
    assert "not-a-config" not in drifted.stdout and "infra/terraform" not in drifted.stdout
    assert "[BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL]" in drifted.stdout
