"""Docs that run: every YAML block in README.md and ARCHITECTURE.md is a config that validates,
a pre-commit config that works against this checkout, or marked as a fragment (its first line
is ``# fragment``), and only fragments are skipped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

DOCS = ("README.md", "ARCHITECTURE.md")
FENCE = re.compile(r"^```ya?ml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
PRE_COMMIT_HEADER = "# .pre-commit-config.yaml"
WORKFLOW_HEADER = "# .github/workflows/"  # a GitHub Actions workflow (or its steps)
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


def yaml_blocks() -> list[tuple[str, int, str]]:
    """(doc, line, text) of every fenced YAML block."""
    out = []
    for name in DOCS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            out.append((name, text.count("\n", 0, m.start()) + 1, m.group(1)))
    return out


def _kind(block: str) -> str:
    first = block.split("\n", 1)[0].strip()
    if first.startswith("# fragment"):
        return "fragment"
    if first == PRE_COMMIT_HEADER:
        return "pre-commit"
    if first.startswith(WORKFLOW_HEADER):
        return "workflow"
    return "config"


CONFIGS = [(d, n, b) for d, n, b in yaml_blocks() if _kind(b) == "config"]


def test_the_docs_hold_config_blocks_and_mark_their_fragments() -> None:
    kinds = [_kind(b) for _d, _n, b in yaml_blocks()]
    assert kinds.count("config") >= 1 and kinds.count("pre-commit") == 1, kinds
    # a block that is neither a config nor marked would fail below; a marked fragment must
    # really be partial (else it should be checked as a config)
    for doc, line, block in yaml_blocks():
        if _kind(block) == "workflow":  # YAML a workflow can hold, naming this action
            data = yaml.safe_load(block)
            assert isinstance(data, dict), f"{doc}:{line}"
            assert "bedrock-gen/bedrock-gen@" in block, f"{doc}:{line}"
        if _kind(block) == "fragment":
            data = yaml.safe_load(block)
            assert not (isinstance(data, dict) and "version" in data and "auth" in data), (
                f"{doc}:{line} is marked as a fragment and looks like a whole config"
            )


@pytest.mark.parametrize(("doc", "line", "block"), CONFIGS, ids=[f"{d}:{n}" for d, n, _ in CONFIGS])
def test_every_config_in_the_docs_validates(
    doc: str, line: int, block: str, tmp_path: Path
) -> None:
    from bedrock_gen import commands

    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(block, encoding="utf-8")
    report = commands.validate([str(config)])
    problems = [d.format_text() for r in report.results for d in r.diagnostics]
    assert report.exit_code == 0, f"{doc}:{line}: " + "\n".join(problems)


def _snippets() -> dict[str, str]:
    """The pre-commit config of the README and of .pre-commit-hooks.yaml's header."""
    readme = next(b for _d, _n, b in yaml_blocks() if _kind(b) == "pre-commit")
    header = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    body = [line[4:] for line in header if line.startswith("#   ")]
    return {"README.md": readme, ".pre-commit-hooks.yaml": "\n".join(body) + "\n"}


def test_the_pre_commit_snippets_are_configs_pinning_a_commit_that_exists() -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    revs = set()
    for where, text in _snippets().items():
        data = yaml.safe_load(text)
        assert isinstance(data, dict) and isinstance(data.get("repos"), list), where
        (repo,) = data["repos"]
        assert {h["id"] for h in repo["hooks"]} == hooks, where
        revs.add(repo["rev"])
    (rev,) = revs  # both name the same commit
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the pinned commit cannot be looked up")
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    assert found.returncode == 0, f"rev {rev} is not a commit of this repository"


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.mark.slow
@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")
def test_the_readme_pre_commit_config_runs_against_this_checkout(tmp_path: Path) -> None:
    """The README's config as a user writes it, with only the repository's address replaced
    by this checkout (the test has no network): pre-commit clones it, checks out the pinned
    commit, installs its hooks and runs them on an example as that commit rendered it."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit cannot clone it")
    snippet = _snippets()["README.md"]
    data = yaml.safe_load(snippet)
    url, rev = data["repos"][0]["repo"], data["repos"][0]["rev"]
    repo = tmp_path / "repo"
    repo.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "examples/strict"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        for member in tar.getmembers():  # our own archive: plain files and folders
            assert member.isfile() or member.isdir(), member.name
        safe: dict[str, str] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(repo, **safe)  # type: ignore[arg-type]
    (repo / ".pre-commit-config.yaml").write_text(snippet.replace(url, str(ROOT)))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "run", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    for name in ("bedrock-gen validate", "bedrock-gen render --check", "bedrock-gen lint"):
        assert any(
            line.startswith(name) and line.rstrip().endswith("Passed")
            for line in clean.stdout.splitlines()
        ), clean.stdout
    policy = repo / "examples/strict/generated/iam/bedrock-invoke-policy.json"
    policy.write_text(policy.read_text().replace("bedrock:InvokeModel", "bedrock:*", 1))
    edited = run()
    assert edited.returncode == 1, edited.stdout
    assert "bedrock-invoke-policy.json: edited by hand" in edited.stdout
