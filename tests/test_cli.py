"""The command line: exit codes, reporters, usage errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from bedrock_gen import __version__
from conftest import EXAMPLES, MINIMAL, RunCli, report_data


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert (result.code, result.out) == (0, f"bedrock-gen {__version__}\n")


def test_every_example_validates(run_cli: RunCli) -> None:
    result = run_cli("validate", *map(str, EXAMPLES))
    assert result.code == 0, result.out
    assert ": error:" not in result.out


def test_schema_command_prints_a_valid_draft_2020_12_schema(run_cli: RunCli) -> None:
    result = run_cli("schema")
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _walk(schema: object, path: str = "") -> list[str]:
    """Paths of object properties that lack a description or allow extra keys."""
    bad = []
    if isinstance(schema, dict):
        if "properties" in schema and schema.get("additionalProperties") is not False:
            bad.append(f"{path}: additionalProperties")
        for key, sub in schema.get("properties", {}).items():
            if "description" not in sub:
                bad.append(f"{path}.{key}: description")
            bad += _walk(sub, f"{path}.{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                bad += _walk(schema[key], f"{path}[{key}]")
        for sub in schema.get("oneOf", []):
            bad += _walk(sub, f"{path}|")
    return bad


def test_schema_describes_every_key_and_allows_no_others(run_cli: RunCli) -> None:
    assert _walk(json.loads(run_cli("schema").out)) == []


def test_examples_validate_against_the_schema_alone() -> None:
    import yaml

    schema = json.loads((Path(__file__).parents[1] / "schemas/bedrock-gen.schema.json").read_text())
    for example in EXAMPLES:
        jsonschema.validate(yaml.safe_load(example.read_text()), schema)


def test_models_table_and_json(run_cli: RunCli) -> None:
    table = run_cli("models", "--geography", "jp")
    assert table.code == 0
    assert "anthropic.claude-sonnet-4-5-20250929-v1:0" in table.out
    assert "anthropic.claude-3-opus" not in table.out
    data = report_data(run_cli("models", "--json").out)
    assert {"id", "aliases", "geographies"} <= set(data["models"][0])
    assert report_data(run_cli("models", "--format", "json").out) == data


def test_models_unknown_geography_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("models", "--geography", "europe")
    assert result.code == 2
    assert "unknown geography 'europe'" in result.err


def test_usage_errors_exit_2(run_cli: RunCli) -> None:
    assert run_cli("validate").code == 2
    assert run_cli("frobnicate").code == 2
    assert run_cli("validate", "--format", "xml", "x").code == 2


def test_validate_exit_1_when_any_config_is_invalid(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    good = write_config(MINIMAL, "good.yaml")
    bad = write_config(MINIMAL.replace("version: 1", "version: 3"), "bad.yaml")
    result = run_cli("validate", str(good), str(bad))
    assert result.code == 1
    assert "bedrock-gen: 1 config of 2 invalid" in result.out


def test_json_format(write_config: Callable[[str], Path], run_cli: RunCli) -> None:
    bad = write_config(MINIMAL.replace("claude-sonnet-4-5", "claude-sonet-4-5"))
    data = json.loads(run_cli("validate", "--format", "json", str(bad)).out)
    assert data["ok"] is False
    (diag,) = data["files"][0]["diagnostics"]
    assert diag == {
        "file": str(bad),
        "line": 4,
        "column": 9,
        "severity": "error",
        "code": "unknown-model",
        "message": diag["message"],
    }


def test_github_format_annotates_file_and_line(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    bad = write_config(MINIMAL.replace("version: 1", "version: 3"))
    out = run_cli("validate", "--format", "github", str(bad)).out
    assert out.splitlines()[0] == (
        f"::error file={bad},line=1,col=10,title=bedrock-gen "
        "invalid-value::'version' must be 1, not 3"
    )


def test_github_format_escapes_workflow_command_characters() -> None:
    from bedrock_gen.cli.reporters import _gh_escape

    assert _gh_escape("a%b\nc") == "a%25b\\nc"  # a value's newline cannot forge a line
    assert _gh_escape("a\x1b[31mb\rc") == "a\\x1b[31mb\\rc"
    assert _gh_escape("x:y,z", prop=True) == "x%3Ay%2Cz"


def test_internal_errors_say_bug_without_a_traceback(
    write_config: Callable[[str], Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bedrock_gen.api

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(bedrock_gen.api, "validate_config", boom)
    result = run_cli("validate", str(write_config(MINIMAL)))
    assert result.code == 1
    assert "internal error: RuntimeError: kaboom. This is a bug" in result.err
    assert "Traceback" not in result.err
    with pytest.raises(RuntimeError):
        run_cli("--debug", "validate", str(write_config(MINIMAL)))


def test_console_script_runs_as_a_module(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bedrock_gen", "validate", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{tmp_path / 'missing.yaml'}: error: no such file")
    assert "Traceback" not in proc.stderr


def _drifted(example_copy: Callable[[str], Path]) -> Path:
    cfg = example_copy("strict")
    cfg.write_text(cfg.read_text().replace("gateway_regions: [eu]", "gateway_regions: [eu, us]"))
    return cfg


def test_drift_is_a_result_in_every_format_with_its_diff(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = _drifted(example_copy)
    sarif = json.loads(run_cli("render", "--check", "--format", "sarif", str(cfg)).out)
    results = sarif["runs"][0]["results"]
    drift = [r for r in results if r["ruleId"] == "DRIFT"]
    assert drift and any(
        "iam/trust-policy.json" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in drift
    )
    assert any(
        "+" in r["message"]["text"] and "us-east-1" in r["message"]["text"] for r in drift
    ), "the diff travels with the result"
    github = run_cli("render", "--check", "--format", "github", str(cfg))
    assert github.code == 1
    line = next(
        x
        for x in github.out.splitlines()
        if x.split("::", 2)[1].split(",")[0].endswith("/iam/trust-policy.json")
    )
    assert line.startswith("::error file=") and "%0A" in line and "us-east-1" in line
    data = json.loads(run_cli("render", "--check", "--format", "json", str(cfg)).out)
    assert data["ok"] is False
    (entry,) = data["files"]
    assert entry["ok"] is False and "iam/trust-policy.json" in entry["drift"]


def test_json_report_is_ok_only_when_every_file_is(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    good = example_copy("port-specific-models")
    bad = _drifted(example_copy)
    data = json.loads(run_cli("render", "--check", "--format", "json", str(good), str(bad)).out)
    assert data["ok"] is False
    assert [f["ok"] for f in data["files"]] == [True, False]


def test_version_is_fast_and_needs_no_click(tmp_path: Path) -> None:
    """--version answers before Click is imported (pre-commit asks it often)."""
    import subprocess
    import sys

    code = (
        "import sys; from bedrock_gen.cli.main import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('click' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "False"


def test_every_command_loads_on_demand_and_appears_in_help(run_cli: RunCli) -> None:
    """Commands are imported when run (cli.main.COMMANDS); each must load and be listed."""
    import click

    from bedrock_gen.cli.main import COMMANDS, _group

    group = _group()
    assert isinstance(group, click.Group)
    for name in COMMANDS:
        command = group.get_command(click.Context(group), name)
        assert isinstance(command, click.Command) and command.name == name
    listed = run_cli("--help").out
    assert all(f"  {name} " in listed for name in COMMANDS)
