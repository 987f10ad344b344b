"""One exit-code table and every reporter, for every command.

0 clean; 1 invalid input, failing findings, drift, access added, a request denied, catalogs that
differ; 2 usage errors. Each command is run on a good input, a bad input and a bad usage, and
every command with ``--format`` prints every format (valid JSON and SARIF where asked).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT, RunCli

STRICT = ROOT / "examples/strict"
PROFILE = (
    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
)
AWS = ROOT / "tests/data/aws"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(STRICT, tmp_path / "strict")
    (tmp_path / "bad.yaml").write_text("version: 1\nname: [\n", encoding="utf-8")
    (tmp_path / "invalid.yaml").write_text(
        MINIMAL.replace("version: 1", "version: 3"), encoding="utf-8"
    )
    (tmp_path / "policy.json").write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}],
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    return tmp_path


Args = Callable[[Path], list[str]]

# command: (args that succeed, args whose input is invalid or whose finding fails, bad usage)
TABLE: dict[str, tuple[Args, Args, Args]] = {
    "validate": (
        lambda w: ["validate", str(w / "strict/bedrock-gen.yaml")],
        lambda w: ["validate", str(w / "invalid.yaml")],
        lambda w: ["validate"],
    ),
    "render": (
        lambda w: ["render", "--check", str(w / "strict/bedrock-gen.yaml")],
        lambda w: ["render", str(w / "bad.yaml")],
        lambda w: ["render", "--check", "--output", "x", "a.yaml", "b.yaml"],
    ),
    "trust-policy": (
        lambda w: ["trust-policy", str(w / "strict/bedrock-gen.yaml")],
        lambda w: ["trust-policy", str(w / "invalid.yaml")],
        lambda w: ["trust-policy"],
    ),
    "schema": (lambda w: ["schema"], None, lambda w: ["schema", "--nope"]),  # type: ignore[dict-item]
    "init": (
        lambda w: ["init", str(w / "new.yaml"), "--gateway", "litellm", "--mode", "access_keys"],
        lambda w: ["init", str(w / "new2.yaml"), "--models", "no-such-model"],
        lambda w: ["init", str(w / "new3.yaml"), "--gateway", "no-such-gateway"],
    ),
    "lint": (
        lambda w: ["lint", str(w / "strict/generated/iam/trust-policy.json")],
        lambda w: ["lint", str(w / "broken.json")],
        lambda w: ["lint", "--ignore", "NOT_A_CODE", str(w / "policy.json")],
    ),
    "models": (
        lambda w: ["models", "-g", "eu"],
        lambda w: ["models", "--catalog", str(w / "broken.json")],
        lambda w: ["models", "-g", "europe"],
    ),
    "catalog import": (
        lambda w: [
            "catalog",
            "import",
            str(AWS / "list-inference-profiles.us-east-1.json"),
            "-o",
            str(w / "o.json"),
        ],
        lambda w: ["catalog", "import", str(w / "policy.json"), "-o", str(w / "o2.json")],
        lambda w: ["catalog", "import", str(w / "policy.json")],
    ),
    "catalog diff": (
        lambda w: ["catalog", "diff", str(AWS / "get-inference-profile.eu-west-1.json")],
        lambda w: ["catalog", "diff", str(w / "policy.json")],
        lambda w: ["catalog", "diff"],
    ),
    "catalog fetch": (
        None,  # type: ignore[dict-item]  # needs an account: tested with Stubber elsewhere
        None,  # type: ignore[dict-item]
        lambda w: ["catalog", "fetch", "--regions", "mars", "-o", str(w / "o.json")],
    ),
    "diff": (
        lambda w: ["diff", str(w / "strict/generated"), str(w / "strict/generated")],
        lambda w: ["diff", str(w / "strict/generated"), str(w / "policy.json")],
        lambda w: ["diff", str(w / "strict/generated")],
    ),
    "simulate": (
        lambda w: [
            "simulate",
            str(w / "strict/generated"),
            "--action",
            "bedrock:InvokeModel",
            "--resource",
            PROFILE,
        ],
        lambda w: [
            "simulate",
            str(w / "strict/generated"),
            "--action",
            "bedrock:InvokeModel",
            "--resource",
            PROFILE.replace("eu-west-1", "us-east-1").replace("/eu.", "/us."),
        ],
        lambda w: [
            "simulate",
            str(w / "strict/generated"),
            "--action",
            "bedrock:Converse",
            "--resource",
            PROFILE,
        ],
    ),
    "explain": (
        lambda w: ["explain", str(w / "strict/bedrock-gen.yaml")],
        lambda w: ["explain", str(w / "invalid.yaml")],
        lambda w: ["explain"],
    ),
}


def _cases() -> list[tuple[str, int, Args]]:
    out = []
    for command, row in TABLE.items():
        for code, args in enumerate(row):
            if args is not None:
                out.append((command, code, args))
    return out


@pytest.mark.parametrize(
    ("command", "code", "args"), _cases(), ids=lambda v: v if isinstance(v, (str, int)) else ""
)
def test_every_command_exits_by_the_one_table(
    command: str, code: int, args: Args, work: Path, run_cli: RunCli
) -> None:
    result = run_cli(*args(work), cwd=work)
    assert result.code == code, (command, result.out, result.err)
    assert "internal error" not in result.out + result.err
    if code == 2:
        assert result.err, "a usage error says why on stderr"


def test_the_table_covers_every_command(run_cli: RunCli) -> None:
    from bedrock_gen.cli.main import COMMANDS

    listed = {c for c in TABLE if " " not in c} | {"catalog"}
    assert listed == set(COMMANDS)


FORMATS = ["text", "json", "github", "sarif", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "command",
    [
        c
        for c, (ok, bad, _) in TABLE.items()
        if ok is not None and c not in ("trust-policy", "schema", "init")
    ],
)
def test_every_reporter_prints_every_command(
    command: str, fmt: str, work: Path, run_cli: RunCli
) -> None:
    for args in (TABLE[command][0], TABLE[command][1]):
        if args is None:
            continue
        argv = args(work)
        result = run_cli(*argv, "--format", fmt, cwd=work)
        assert result.code in (0, 1), (command, fmt, result.out, result.err)
        assert "internal error" not in result.out + result.err
        if fmt in ("json", "sarif"):
            body = json.loads(result.out)
            if fmt == "json":
                assert body["exit_code"] == result.code
            else:
                assert body["version"] == "2.1.0"
        else:
            assert result.out.strip(), (command, fmt)
