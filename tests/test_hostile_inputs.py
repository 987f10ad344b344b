"""Inputs built to break the reader get one located line and exit 1, never an internal error
(issue 25, items 3 and 6): JSON nested 100,000 deep, 5,000-digit numbers, lone surrogates and
duplicate keys in every JSON input; NUL bytes, over-long names, the file-system root and the
config's own ancestors as ``output_dir``/``catalog``; non-ASCII paths under the C locale.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_gen.api import render_config, validate_config
from bedrock_gen.catalog import bundled
from bedrock_gen.diagnostics import Location
from bedrock_gen.errors import ConfigError
from bedrock_gen.load.json_source import loads
from conftest import MINIMAL, ROOT, RunCli

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
HOSTILE_JSON = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "deep-object": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "digits": POLICY + '"Resource": "*", "Sid": ' + "9" * 5000 + "}]}",
    "float-digits": POLICY + '"Resource": "*", "Sid": 1.' + "5" * 5000 + "}]}",
    "surrogate": POLICY + '"Resource": "arn:aws:s3:::b\\ud800"}]}',
    "surrogate-key": POLICY + '"Resource": "*", "\\udfff": 1}]}',
    "duplicate": POLICY + '"Resource": "*", "Effect": "Deny"}]}',
    "nan": POLICY + '"Resource": "*", "Sid": NaN}]}',
}
LOCATED = re.compile(r"^[^\n]+:\d+:\d+: error: invalid JSON: [^\n]+  \[JSON_SYNTAX_ERROR\]$")


def _one_located_error(out: str) -> str:
    lines = [line for line in out.splitlines() if not line.startswith("bedrock-gen: ")]
    assert "internal error" not in out and "Traceback" not in out, out[:500]
    assert len(lines) == 1 and LOCATED.match(lines[0]), out[:500]
    return lines[0]


def _as_import(text: str) -> str:
    """The same hostile part, in what looks like a list-foundation-models output."""
    return text.replace('{"Version": "2012-10-17", "Statement": [', '{"modelSummaries": [], "x": [')


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_to_lint_is_one_located_error(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(HOSTILE_JSON[name])
    result = run_cli("lint", str(path))
    assert result.code == 1
    line = _one_located_error(result.out)
    if name == "duplicate":
        assert "duplicate key 'Effect' (first at line 1, column 42)" in line
        assert line.startswith(f"{path}:1:104: ")


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_to_import_is_one_located_error_and_writes_nothing(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(_as_import(HOSTILE_JSON[name]))
    out = tmp_path / "overlay.json"
    result = run_cli("catalog", "import", str(path), "-o", str(out))
    assert result.code == 1
    first = result.out.splitlines()[0]
    _one_located_error(re.sub(r" \(the file should be .*\)(?=  \[)", "", first))
    assert not out.exists()
    diff = run_cli("catalog", "diff", str(path))  # an unusable input: exit 1, as everywhere
    assert diff.code == 1 and "internal error" not in diff.out + diff.err


def test_duplicate_keys_in_import_json_are_refused_with_both_places(
    tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "models.json"
    path.write_text('{"modelSummaries": [],\n "modelSummaries": []}')
    result = run_cli("catalog", "import", str(path), "-o", str(tmp_path / "o.json"))
    assert result.code == 1
    assert (
        f"{path}:2:2: error: invalid JSON: duplicate key 'modelSummaries' (first at line 1, "
        in (result.out)
    )


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_as_an_overlay_is_one_located_error(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    overlay = tmp_path / "overlay.json"
    overlay.write_text(_as_import(HOSTILE_JSON[name]))
    policy = tmp_path / "p.json"
    policy.write_text(POLICY + '"Resource": "*"}]}')
    result = run_cli("lint", "--catalog", str(overlay), str(policy))
    assert result.code == 1
    _one_located_error(result.out)
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(MINIMAL + "catalog: overlay.json\n")
    checked = validate_config(config)
    assert not checked.ok and all(d.location for d in checked.failures)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"gen\\0erated"', "output_dir: the path holds a NUL byte at position 4"),
        ('"gen\\nerated"', "output_dir: the path holds the control character U+000A"),
        ("a" * 5000, "output_dir: the path is 5,"),
        ("a" * 300, "output_dir: a folder or file name in the path is 300 bytes long"),
        ("/", "output_dir / is the root of the file system"),
        ("../../../../../../../../../../../..", "is the root of the file system"),
        (".", "output_dir . is the config's own folder"),
        ("..", "output_dir .. is a folder above the config"),
        ("sub/../..", "is a folder above the config"),
    ],
)
def test_output_dir_that_no_render_may_write_is_refused_with_its_place(
    value: str, message: str, tmp_path: Path
) -> None:
    work = tmp_path / "repo" / "configs"
    work.mkdir(parents=True)
    config = work / "bedrock-gen.yaml"
    config.write_text(MINIMAL + f"output_dir: {value}\n")
    result = validate_config(config)
    assert not result.ok
    (failure,) = result.failures
    assert failure.location == Location(9, 13)
    assert message in failure.message
    before = sorted(p.name for p in tmp_path.rglob("*"))
    rendered = render_config(config)
    assert not rendered.ok and rendered.failures == result.failures
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


@pytest.mark.parametrize("value", ['"over\\0lay.json"', "x" * 5000, "y" * 256 + "/o.json"])
def test_a_catalog_path_that_no_file_system_takes_is_refused_before_it_is_read(
    value: str, tmp_path: Path
) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(MINIMAL + f"catalog: {value}\n")
    result = validate_config(config)
    (failure,) = result.failures
    assert failure.code == "invalid-path" and failure.location == Location(9, 10)


def test_output_outside_the_work_tree_is_a_warning(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "configs").mkdir()
    config = repo / "configs" / "bedrock-gen.yaml"
    for value, warned in (("../generated", False), ("../../elsewhere", True), ("/tmp/x", True)):
        config.write_text(MINIMAL + f"output_dir: {value}\n")
        result = validate_config(config)
        assert result.ok
        found = [d for d in result.diagnostics if d.code == "output-dir-outside"]
        assert bool(found) is warned, (value, result.diagnostics)
        if found:
            assert "outside the config's git work tree" in found[0].message


def test_output_outside_the_config_folder_is_a_warning_without_a_work_tree(tmp_path: Path) -> None:
    config = tmp_path / "a" / "bedrock-gen.yaml"
    config.parent.mkdir()
    config.write_text(MINIMAL + "output_dir: ../b\n")
    (warning,) = [d for d in validate_config(config).diagnostics if d.code == "output-dir-outside"]
    assert "outside the config's folder" in warning.message


def test_a_non_ascii_output_dir_under_the_c_locale_is_an_error_not_a_crash(tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(MINIMAL + "output_dir: générés\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from bedrock_gen.api import render_config, validate_config\n"
        "for r in (validate_config(sys.argv[1]), render_config(sys.argv[1])):\n"
        "    print(ascii([(d.code, d.message) for d in r.failures]))\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    proc = subprocess.run(
        [sys.executable, "-c", script, str(config)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    for line in proc.stdout.splitlines():
        assert "'invalid-path'" in line and "file-name encoding (ascii)" in line
    assert not (tmp_path / "générés").exists()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_a_manifest_nested_100000_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(MINIMAL)
    out = tmp_path / "generated"
    out.mkdir()
    (out / ".bedrock-gen-manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    result = render_config(config)
    assert not result.ok and result.failures[0].code == "output-unsafe"


def test_a_committed_policy_nested_100000_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    from bedrock_gen.api import policies_at_ref

    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(MINIMAL)
    (tmp_path / "generated/iam").mkdir(parents=True)
    (tmp_path / "generated/iam/p.json").write_text("[" * 100_000 + "]" * 100_000)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "x")
    policies, problems = policies_at_ref(config, "HEAD")
    assert policies == [] and problems and problems[0].location is not None


# -- the JSON reader itself -------------------------------------------------------------------


def test_depth_is_counted_alike_by_both_parsers() -> None:
    from bedrock_gen.load.json_source import MAX_DEPTH, parse

    ok = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    deep = "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)
    assert parse(ok, "f") == loads(ok, "f").data
    for parser in (parse, loads):
        with pytest.raises(ConfigError) as info:
            parser(deep, "f")  # type: ignore[operator]
        assert "deeper than 64 levels" in info.value.diagnostics[0].message


def test_surrogate_pairs_are_characters_and_lone_halves_are_not() -> None:
    from bedrock_gen.load.json_source import parse

    assert parse('["\\ud83d\\ude00"]', "f") == ["\U0001f600"]
    for text in ('["\\ud83d"]', '["\\ude00\\ud83d"]', '{"\\ud800x": 1}'):
        with pytest.raises(ConfigError) as info:
            parse(text, "f")
        assert "lone UTF-16 surrogate" in info.value.diagnostics[0].message
        assert info.value.diagnostics[0].location is not None


def test_a_generated_file_locates_each_of_its_values() -> None:
    from bedrock_gen.load.json_source import locate

    text = json.dumps({"Statement": [{"Sid": "A", "Resource": ["x", "y"]}]}, indent=2)
    assert locate(text, ("Statement", 0, "Resource", 1)) == Location(7, 9)
    assert locate(text, ("Statement", 0, "Sid"), key=True) == Location(4, 7)
    assert locate(text, ("Statement", 3)) is None
    assert locate("{", ()) is None


def test_self_lint_findings_carry_the_generated_files_line_and_column() -> None:
    from bedrock_gen.lint.engine import lint_text

    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "bedrock:Converse", "Resource": "*"}],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    findings = lint_text(text, "iam/p.json", bundled.load(), "identity")
    invalid = [d for d in findings if d.code == "INVALID_ACTION"]
    assert invalid and invalid[0].file == "iam/p.json"
    assert invalid[0].location == Location(6, 17)


def test_large_api_outputs_are_read_at_the_c_parsers_speed() -> None:
    import time

    from bedrock_gen.load.json_source import parse

    summaries = [
        {"modelArn": f"arn:aws:bedrock:eu-west-1::foundation-model/m{i}", "modelId": f"m{i}"}
        for i in range(20_000)
    ]
    text = json.dumps({"modelSummaries": summaries})
    start = time.perf_counter()
    parse(text, "f")
    fast = time.perf_counter() - start
    start = time.perf_counter()
    loads(text, "f")
    located = time.perf_counter() - start
    assert fast < located / 2, (fast, located)


def test_every_json_reader_goes_through_the_one_loader() -> None:
    """No module parses untrusted JSON with json.loads behind load.json_source's back (the
    bundled data, the build tools and our own templates are trusted and may)."""
    trusted = {
        "catalog/bundled.py",
        "catalog/build.py",
        "resources.py",
        "iam/actions.py",
        "load/json_source.py",
        "gateways/presets/port/api.py",
    }
    package = ROOT / "generator" / "bedrock_gen"
    offenders = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if "compiled" not in p.parts
        and re.search(r"\bjson\.loads?\(", p.read_text(encoding="utf-8"))
        and p.relative_to(package).as_posix() not in trusted
    ]
    assert offenders == []
