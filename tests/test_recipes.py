"""The CI recipe and ``bedrock-gen init``: what users copy must work as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import yaml

from bedrock_gen.cli.main import _group
from conftest import ROOT, RunCli

cli = _group()

WORKFLOW = ROOT / "examples/ci/github-actions.yml"
ACTION = ROOT / "action.yml"


def _scripts() -> list[str]:
    """The shell of the example workflow's steps and of the action it uses."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    action = yaml.safe_load(ACTION.read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    return [s.get("run", "") for s in [*steps, *action["runs"]["steps"]]]


def _bedrock_gen_commands() -> list[list[str]]:
    commands = []
    for script in _scripts():
        for line in script.splitlines():
            if line.lstrip().startswith("#"):
                continue
            # `bedrock-gen CMD ...` in a workflow, `"$bin/bedrock-gen" CMD ...` in the action
            call = re.match(r'\s*(?:bedrock-gen|"\$bin/bedrock-gen") (.*)', line)
            if call:
                words = call[1]
                for end in (" >> ", " > ", " || ", " $("):
                    words = words.split(end)[0]
                commands.append(shlex.split(words))
    return commands


def test_workflow_is_valid_yaml_with_the_documented_steps() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert set(workflow["jobs"]["iam"]) >= {"runs-on", "steps"}
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    names = [s.get("name", s.get("uses")) for s in steps]
    assert any("Terraform module tests" in str(n) for n in names)
    assert any(str(s.get("uses", "")).startswith("bedrock-gen/bedrock-gen@") for s in steps)
    assert {c[0] for c in _bedrock_gen_commands()} == {"render", "lint", "diff"}


def test_workflow_commands_and_options_exist() -> None:
    assert isinstance(cli, click.Group)
    for words in _bedrock_gen_commands():
        command = cli.get_command(click.Context(cli), words[0])
        assert command is not None, words
        known = {o for p in command.params for o in getattr(p, "opts", [])}
        for word in words[1:]:
            if word.startswith("--"):
                assert word in known, (words, word)
        formats = [words[i + 1] for i, w in enumerate(words) if w == "--format"]
        assert all(f in ("text", "json", "github", "sarif", "markdown") for f in formats)


def test_init_writes_a_starter_that_validates_and_renders(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("init", cwd=tmp_path)
    assert result.code == 0, result.out
    assert (tmp_path / "bedrock-gen.yaml").read_text().startswith("# yaml-language-server")
    assert run_cli("validate", "bedrock-gen.yaml", cwd=tmp_path).code == 0
    assert run_cli("render", "bedrock-gen.yaml", cwd=tmp_path).code == 0
    assert (tmp_path / "generated/iam/trust-policy.json").exists()


def test_init_takes_the_common_choices_as_flags(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "init",
        "gw.yaml",
        "--name",
        "gw",
        "--mode",
        "access_keys",
        "--models",
        "claude-sonnet-4-5, nova-pro",
        "--geographies",
        "us",
        "--account-id",
        "123456789012",
        "--regions",
        "us-east-1",
        cwd=tmp_path,
    )
    assert result.code == 0, result.out
    data = yaml.safe_load((tmp_path / "gw.yaml").read_text())
    assert data["models"] == {"ids": ["claude-sonnet-4-5", "nova-pro"], "geographies": ["us"]}
    assert data["account_id"] == "123456789012" and data["auth"] == {"mode": "access_keys"}
    assert run_cli("render", "gw.yaml", cwd=tmp_path).code == 0


def test_init_refuses_to_overwrite_and_to_write_an_invalid_config(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "bedrock-gen.yaml").write_text("mine\n")
    assert run_cli("init", cwd=tmp_path).code == 2
    assert (tmp_path / "bedrock-gen.yaml").read_text() == "mine\n"
    bad = run_cli("init", "x.yaml", "--models", "claude-sonet-4-5", cwd=tmp_path)
    assert bad.code == 1 and "did you mean 'claude-sonnet-4-5'" in bad.out
    assert not (tmp_path / "x.yaml").exists()
