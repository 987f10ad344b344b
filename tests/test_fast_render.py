"""``render`` answered before Click loads (``cli.fast_render``): it must print exactly what
Click's render prints, answer in the pre-commit cases, and leave everything else to Click."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from bedrock_gen.cli import fast_render
from bedrock_gen.cli.config_commands import render
from conftest import RunCli
from test_catalog_import import FILES, import_overlay


def _option(opt: str) -> click.Option:
    found = [p for p in render.params if isinstance(p, click.Option) and opt in p.opts]
    assert len(found) == 1, opt
    return found[0]


def test_every_option_read_before_click_is_renders_own() -> None:
    for opt, (key, value) in fast_render.FLAGS.items():
        param = _option(opt)
        assert param.is_flag
        if key == "mode":
            assert param.name == "mode" and param.flag_value == value
        else:
            assert param.name == "only_owned"
    for opt, key in fast_render.VALUES.items():
        param = _option(opt)
        assert not param.is_flag and param.name == key and param.nargs == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--format", "json", "a.yaml"],
        ["--check", "--check", "a.yaml"],
        ["--check", "--diff", "a.yaml"],
        ["-oout", "a.yaml"],
        ["--output=", "a.yaml"],
        ["-o", "out", "a.yaml", "b.yaml"],
        ["-o", "--check", "a.yaml"],
        ["a.yaml", "-o"],
        ["--", "a.yaml"],
        ["-"],
        ["--force", "a.yaml"],
        ["--adopt", "a.yaml"],
        ["-v", "a.yaml"],
        [],
    ],
)
def test_anything_but_the_plain_forms_is_left_to_click(args: list[str]) -> None:
    assert fast_render.parse(args) is None


def test_the_plain_forms_are_read_as_click_reads_them() -> None:
    parsed = fast_render.parse(["a.yaml", "--check", "-o", "out", "--catalog=o.json"])
    assert parsed == fast_render.Arguments(("a.yaml",), "check", False, "out", "o.json")
    parsed = fast_render.parse(["--only-owned", "--diff", "a.yaml", "b/iam/x.json"])
    assert parsed == fast_render.Arguments(("a.yaml", "b/iam/x.json"), "diff", True, None, None)


def _cases(cfg: Path, tmp_path: Path) -> list[list[str]]:
    gen = cfg.parent / "generated"
    other = tmp_path / "elsewhere"
    return [
        [str(cfg)],
        ["--check", str(cfg)],
        ["--diff", str(cfg)],
        ["--check", "--only-owned", str(cfg), str(gen / "iam/trust-policy.json"), str(tmp_path)],
        ["--check", "--only-owned", str(gen / "terraform/main.tf")],
        ["--check", "--only-owned", str(tmp_path / "README.md")],
        [str(cfg), "-o", str(other)],
        [str(cfg), f"--output={other}"],
        ["--check", str(cfg), str(tmp_path / "missing.yaml")],
        ["--check", str(tmp_path / "not-a-config.txt")],
        ["--format", "github", "--check", str(cfg)],
    ]


def _both(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple:
    fast = run_cli("render", *args)
    with monkeypatch.context() as m:
        m.setattr(fast_render, "answer", lambda args: None)
        full = run_cli("render", *args)
    return fast, full


@pytest.mark.parametrize("example", ["port-specific-models", "strict", "portkey"])
def test_the_answer_before_click_is_clicks_answer(
    example: str,
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cfg = example_copy(example)
    (tmp_path / "README.md").write_text("not ours\n")
    (tmp_path / "not-a-config.txt").write_text("x\n")
    assert run_cli("render", str(cfg), "-o", str(tmp_path / "elsewhere")).code == 0
    for args in _cases(cfg, tmp_path):
        fast, full = _both(run_cli, monkeypatch, args)
        assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err), args
    # and after a change
    cfg.write_text(cfg.read_text().replace("name: ", "name: x", 1))
    for args in (["--check", str(cfg)], ["--diff", str(cfg)]):
        fast, full = _both(run_cli, monkeypatch, args)
        assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err), args


def test_the_pre_commit_cases_are_answered_before_click(
    example_copy: Callable[[str], Path], run_cli: RunCli, tmp_path: Path
) -> None:
    cfg = example_copy("port-specific-models")
    gen = cfg.parent / "generated"
    overlay = tmp_path / "overlay.json"
    import_overlay(run_cli, overlay, *FILES)
    assert (
        run_cli("render", "--catalog", str(overlay), str(cfg), "-o", str(tmp_path / "o")).code == 0
    )
    for args in (
        [str(cfg)],
        ["--check", "--only-owned", str(cfg), str(gen / "iam/trust-policy.json"), str(overlay)],
        ["--check", "--only-owned", str(tmp_path / "unrelated.tf")],
        [str(cfg), "--catalog", str(overlay), "-o", str(tmp_path / "o")],
    ):
        assert fast_render.answer(args) is not None, args
    # Nor does a hook's process import Click for it.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bedrock_gen", "render", "--check", str(cfg)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout == "bedrock-gen: 1 config up to date\n"
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "bedrock_gen.api" in imported
    assert not {"click", "jinja2", "jsonschema", "bedrock_gen.validate.passes"} & imported


def test_a_bug_before_click_costs_only_time(
    example_copy: Callable[[str], Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = example_copy("strict")

    def broken(args: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(fast_render, "answer", broken)
    result = run_cli("render", "--check", str(cfg))
    assert (result.code, result.out, result.err) == (0, "bedrock-gen: 1 config up to date\n", "")


def test_an_interrupt_before_click_is_one_line(
    example_copy: Callable[[str], Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = example_copy("strict")

    def interrupted(args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(fast_render, "answer", interrupted)
    result = run_cli("render", "--check", str(cfg))
    assert (result.code, result.out, result.err) == (130, "", "bedrock-gen: interrupted\n")


def test_a_path_with_escape_codes_is_printed_as_click_prints_it(
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cfg = example_copy("strict")
    odd = tmp_path / "x\x1b[31my"
    cfg.parent.rename(odd)
    moved = odd / "bedrock-gen.yaml"
    assert fast_render.answer([str(moved)]) is None
    fast, full = _both(run_cli, monkeypatch, [str(moved)])
    assert (fast.code, fast.out) == (full.code, full.out) == (0, full.out)
    assert "\x1b" not in fast.out


def test_what_clicks_path_types_refuse_is_left_to_click(
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cfg = example_copy("strict")
    for args in (
        ["--only-owned", "-o", str(cfg), str(tmp_path / "nothere.tf")],
        ["--only-owned", "--catalog", str(tmp_path), str(tmp_path / "nothere.tf")],
        ["-o", str(cfg), str(cfg)],
    ):
        assert fast_render.answer(args) is None, args
        fast, full = _both(run_cli, monkeypatch, args)
        assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)
        assert fast.code == 2, args


def test_an_interrupt_anywhere_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bedrock_gen.cli import main

    def interrupted(args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(main, "_run", interrupted)
    with pytest.raises(SystemExit) as exc:
        main.main(["render", "x.yaml"])
    assert exc.value.code == 130
    assert capsys.readouterr().err == "bedrock-gen: interrupted\n"
