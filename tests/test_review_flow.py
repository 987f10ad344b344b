"""A reviewer's flow, as a test: a base commit holding a config and its rendered output, then
pull requests against it, each judged by ``diff --base`` as CI would run it for a comment:

- one that hand-edits a generated ``iam/*.json`` to add ``bedrock:*`` on ``*`` (access
  added; the edit named as such);
- one that sets ``models.allow: all`` (every model today, and every future one: named);
- one that changes nothing, and one that changes only what is not access.

It also pins the comment's shape: a summary first, the riskiest rows first, details folded,
sections naming their config, a legend that is not a list item, and never more than a GitHub
comment holds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, RunCli, report_data

LIMIT = 65_536
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    ).stdout


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A repository whose first commit (tag ``base``) holds Port's example and its output."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/port-specific-models", repo / "gateway")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "tag", "base")
    return repo


def config(repo: Path) -> str:
    return str(repo / "gateway/bedrock-gen.yaml")


def hand_edit(repo: Path) -> Path:
    policy = repo / "gateway/generated/iam/bedrock-invoke-policy.json"
    document = json.loads(policy.read_text())
    document["Statement"].append({"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"})
    policy.write_text(json.dumps(document, indent=2) + "\n")
    git(repo, "commit", "-qam", "a hand edit")
    return policy


def heading(path: str) -> str:
    """A config's section heading (Markdown: '_' escaped)."""
    return "#### " + path.replace("_", "\\_")


def markdown_shape(text: str) -> None:
    """What every comment keeps to."""
    assert len(text) <= LIMIT
    lines = text.splitlines()
    assert lines[0] == "### bedrock-gen diff"
    # the legend (and any note) is a paragraph, never a list item
    assert not [x for x in lines if re.match(r"^[+] ", x)], text[:2000]
    assert text.count("<details>") == text.count("</details>")


def test_a_pull_request_without_changes_adds_nothing(base: Path, run_cli: RunCli) -> None:
    result = run_cli("diff", "--base", "base", config(base))
    assert (result.code, result.out) == (0, "no access changed\n")


def test_a_hand_edit_of_a_generated_policy_is_named_and_fails_the_review(
    base: Path, run_cli: RunCli
) -> None:
    hand_edit(base)
    # the config did not change, so comparing configs alone finds nothing; the committed
    # file is what gets applied, and it grants bedrock:* on *
    text = run_cli("diff", "--base", "base", config(base))
    assert text.code == 1, text.out
    assert "edited by hand: iam/bedrock-invoke-policy.json adds bedrock:* on *\n" in text.out
    assert "iam/bedrock-invoke-policy.json adds bedrock:* on *" in text.out
    first_rows = text.out.splitlines()[:4]  # the summary's title, header, rule, first row
    assert "iam/bedrock-invoke-policy.json adds bedrock:* on *" in first_rows[3], first_rows
    assert "all models, present and future" in text.out
    assert "render --check fails on them" in text.out

    md = run_cli("diff", "--base", "base", config(base), "--format", "markdown")
    assert md.code == 1
    markdown_shape(md.out)
    head = md.out[:1500]
    assert heading(config(base)) in head  # the section names its config
    assert "#### Summary: port-bedrock" in head
    assert "| edited by hand | iam/bedrock-invoke-policy.json adds bedrock:\\* on \\* |" in head
    # the riskiest rows first: the management actions bedrock:* grants lead the details
    details = md.out[md.out.index("<details>") :].splitlines()
    first = next(x for x in details if x.startswith("| +"))
    assert first.startswith("| + by hand | bedrock | action | \\* |"), first

    data = report_data(run_cli("diff", "--base", "base", config(base), "--format", "json").out)
    assert data["broadened"] and data["base"] == "base" and data["config"] == "port-bedrock"
    (edit,) = data["edited"]
    assert edit["file"] == "iam/bedrock-invoke-policy.json"
    assert edit["state"] == "edited by hand"
    assert edit["changes"] == ["adds bedrock:* on *"]
    assert any(a["action"] == "bedrock:CreateModelCustomizationJob" for a in data["added"])
    assert data["beyond_config"], "the access the edit adds, beyond what the config renders"

    # and the check CI runs next to it says the same of the file
    check = run_cli("render", "--check", config(base))
    assert check.code == 1 and "bedrock-invoke-policy.json: edited by hand" in check.out


def test_a_file_added_to_the_generated_folder_counts_too(base: Path, run_cli: RunCli) -> None:
    extra = base / "gateway/generated/iam/extra.json"
    extra.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}],
            }
        )
    )
    git(base, "add", "-A")
    git(base, "commit", "-qm", "a policy of our own")
    result = run_cli("diff", "--base", "base", config(base))
    assert result.code == 1
    assert "not written by bedrock-gen" in result.out
    assert "iam/extra.json adds iam:PassRole on *" in result.out
    assert "actions of other services on *" in result.out


def test_a_hand_edit_of_the_terraform_module_fails_as_unreadable(
    base: Path, run_cli: RunCli
) -> None:
    policies = base / "gateway/generated/terraform/policies.tf"
    policies.write_text(policies.read_text().replace("bedrock:InvokeModel", "bedrock:*", 1))
    git(base, "commit", "-qam", "edit the module")
    result = run_cli("diff", "--base", "base", config(base))
    assert result.code == 1
    assert "access may be added: Terraform files are not what the config renders" in result.out
    assert "terraform/policies.tf is applied by Terraform" in result.out


def test_allow_all_names_every_future_model_and_lists_todays(base: Path, run_cli: RunCli) -> None:
    cfg = Path(config(base))
    text = cfg.read_text()
    text = re.sub(r"(?m)^  ids:\n(    - .*\n)+", "  allow: all\n", text)
    cfg.write_text(text)
    assert run_cli("render", str(cfg)).code == 0
    git(base, "add", "-A")
    git(base, "commit", "-qm", "all models")

    md = run_cli("diff", "--base", "base", str(cfg), "--format", "markdown")
    assert md.code == 1, md.out[:3000]
    markdown_shape(md.out)
    summary = md.out[: md.out.index("<details>")]
    assert "| wildcard added | all models, present and future:" in summary
    assert "a model AWS adds later is granted with no change here" in summary
    assert "edited by hand" not in summary  # rendered, not edited
    data = report_data(run_cli("diff", "--base", "base", str(cfg), "--format", "json").out)
    models = {a["model"] for a in data["added"] if a["kind"] in ("invoke", "direct")}
    assert "bedrock-gen.any-other-model" in models  # every future model
    assert {"amazon.nova-pro-v1:0", "mistral.pixtral-large-2502-v1:0"} <= models  # and today's
    assert data["edited"] == []

    explained = run_cli("explain", str(cfg))
    assert explained.out.startswith("Summary: port-bedrock\n")
    assert "all models, present and future" in explained.out.split("\n\n")[0]
    explained_md = run_cli("explain", str(cfg), "--format", "markdown")
    assert len(explained_md.out) <= LIMIT
    assert "all models, present and future" in explained_md.out[:3000]


def test_a_change_that_only_removes_access_passes(base: Path, run_cli: RunCli) -> None:
    cfg = Path(config(base))
    cfg.write_text(cfg.read_text().replace("    - claude-haiku-4-5\n", "", 1))
    assert run_cli("render", str(cfg)).code == 0
    git(base, "commit", "-qam", "fewer models")
    result = run_cli("diff", "--base", "base", str(cfg))
    assert result.code == 0, result.out
    assert "no access added" in result.out and "calls removed" in result.out


def test_several_configs_in_one_comment_each_named_failing_first(
    base: Path, run_cli: RunCli
) -> None:
    shutil.copytree(ROOT / "examples/strict", base / "strict")
    git(base, "add", "-A")
    git(base, "commit", "-qm", "a second gateway")
    git(base, "tag", "-f", "base")
    hand_edit(base)
    strict = str(base / "strict/bedrock-gen.yaml")
    result = run_cli("diff", "--base", "base", strict, config(base), "--format", "markdown")
    assert result.code == 1
    markdown_shape(result.out)
    assert "access added in 1 of 2 configs" in result.out
    port_at = result.out.index(heading(config(base)))
    strict_at = result.out.index(heading(strict))
    assert port_at < strict_at  # the config that adds access comes first


def test_a_bedrock_star_policy_diff_fits_a_comment_with_the_danger_on_top(
    run_cli: RunCli, tmp_path: Path
) -> None:
    star = tmp_path / "star.json"
    star.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}],
            }
        )
    )
    old = str(ROOT / "examples/strict/generated")
    full = run_cli("diff", old, str(star), "--format", "text")
    assert len(full.out) > LIMIT  # so the comment has to be cut
    md = run_cli("diff", old, str(star), "--format", "markdown")
    assert md.code == 1
    markdown_shape(md.out)
    lines = md.out.splitlines()
    assert lines[2].startswith("> **Cut to fit a GitHub comment (65,536 characters):")
    wildcard = next(n for n, x in enumerate(lines) if x.startswith("| wildcard added |"))
    danger = next(n for n, x in enumerate(lines) if x.startswith("| + | bedrock | action | \\* |"))
    assert wildcard < 15 and danger < 30, "\n".join(lines[:40])
    assert "more rows cut to fit a GitHub comment" in md.out
