"""render's quick answer (``output.freshness``): when the output folder shows that rendering
again would change nothing, ``render`` says so from the manifest, and that answer must always
be the full render's. Anything the render reads must defeat it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bedrock_gen.report import FileResult, Mode, Report
from conftest import EXAMPLES, MINIMAL, RunCli
from test_catalog_import import FILES, import_overlay

MANIFEST = ".bedrock-gen-manifest.json"


@pytest.fixture
def full_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The configs each full render validated (the quick answer validates nothing)."""
    from bedrock_gen import api

    seen: list[str] = []
    real = api.check

    def counting(path: str | Path, catalog: str | None = None) -> api.Checked:
        seen.append(str(path))
        return real(path, catalog)

    monkeypatch.setattr(api, "check", counting)
    yield seen


def _render(cfg: Path, **options: object) -> FileResult:
    from bedrock_gen.api import render_config

    return render_config(cfg, quick=True, **options)  # type: ignore[arg-type]


def _text(result: FileResult) -> str:
    from bedrock_gen.cli.reporters import TextReporter

    lines: list[str] = []
    mode = result.mode or Mode.WRITE
    TextReporter().report(Report("render", [result], mode), lines.append)
    return "\n".join(lines)


def _summary(result: FileResult) -> list[tuple[str, str, bytes | None]]:
    return [(c.path, c.action.value, c.new) for c in result.changes]


@pytest.mark.parametrize("mode", [Mode.WRITE, Mode.CHECK, Mode.DIFF])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_quick_answer_is_the_full_renders(
    example: Path,
    mode: Mode,
    example_copy: Callable[[str], Path],
    full_renders: list[str],
) -> None:
    from bedrock_gen.api import render_config

    cfg = example_copy(example.parent.name)
    full = render_config(cfg, mode=mode)
    quick = _render(cfg, mode=mode)
    assert full.ok and quick.ok
    assert _summary(quick) == _summary(full)
    assert _text(quick) == _text(full)
    replayable = '"source"' in (cfg.parent / "generated" / MANIFEST).read_text()
    # The checked-in examples record a source, except the one whose external ID is read from
    # the environment.
    assert replayable == (example.parent.name != "portkey")
    assert full_renders == [str(cfg)] * (1 if replayable else 2)


def test_an_unchanged_config_is_answered_without_validating(
    example_copy: Callable[[str], Path], full_renders: list[str], run_cli: RunCli
) -> None:
    cfg = example_copy("port-specific-models")
    result = run_cli("render", str(cfg))
    assert result.code == 0 and full_renders == []
    assert result.out == (
        f"{cfg}: up to date in {cfg.parent / 'generated'} (14 files; -v lists them and the "
        "next steps)\n"
    )
    # Comments and line endings are not what a render reads.
    cfg.write_bytes(b"# a comment\r\n" + cfg.read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli("render", "--check", str(cfg)).code == 0 and full_renders == []
    # --force and --adopt always render; JSON reports and --verbose need the documents.
    assert run_cli("render", "--force", str(cfg)).code == 0
    verbose = run_cli("render", "-v", str(cfg)).out
    assert f"{cfg}: up to date in {cfg.parent / 'generated'}\n" in verbose
    assert "  unchanged iam/bedrock-invoke-policy.json  (port-bedrock-bedrock-invoke: " in verbose
    assert "Next steps:" in verbose
    out = json.loads(run_cli("render", "--format", "json", str(cfg)).out)
    assert out["files"][0]["documents"]
    assert len(full_renders) == 3


def _edit(cfg: Path, old: str, new: str) -> None:
    text = cfg.read_text()
    assert old in text
    cfg.write_text(text.replace(old, new))


def _set_in_manifest(cfg: Path, key: str, value: object) -> None:
    path = cfg.parent / "generated" / MANIFEST
    data = json.loads(path.read_text())
    data[key] = value
    path.write_text(json.dumps(data, indent=2) + "\n")


CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "a value in the config": lambda cfg, mp: _edit(cfg, "team: platform", "team: other"),
    "a generated file edited": lambda cfg, mp: (
        cfg.parent / "generated/iam/trust-policy.json"
    ).write_text("{}\n"),
    "a generated file removed": lambda cfg, mp: (
        cfg.parent / "generated/terraform/outputs.tf"
    ).unlink(),
    "a generated file made a symlink": lambda cfg, mp: _symlink(
        cfg.parent / "generated/terraform/outputs.tf"
    ),
    "the manifest reformatted": lambda cfg, mp: (cfg.parent / "generated" / MANIFEST).write_text(
        json.dumps(json.loads((cfg.parent / "generated" / MANIFEST).read_text())) + "\n"
    ),
    "the policy parts edited": lambda cfg, mp: _set_in_manifest(
        cfg, "invoke_policy_parts", {"1": ["a-piece-that-is-not-there"]}
    ),
    "the source edited": lambda cfg, mp: _set_in_manifest(cfg, "source", "sha256:0"),
    "the manifest's file list edited": lambda cfg, mp: _set_in_manifest(
        cfg, "files", _listed(cfg, drop="terraform/README.md")
    ),
    "the manifest's file list and a file removed": lambda cfg, mp: _drop_file(
        cfg, "terraform/README.md"
    ),
    "the manifest's module digest edited": lambda cfg, mp: _set_in_manifest(
        cfg, "inputs", "sha256:0"
    ),
    "a generated file made a FIFO": lambda cfg, mp: _fifo(
        cfg.parent / "generated/iam/trust-policy.json"
    ),
    "another bedrock-gen": lambda cfg, mp: mp.setattr("bedrock_gen.__version__", "9.9.9"),
    "other code, templates or catalog": lambda cfg, mp: mp.setattr(
        "bedrock_gen.resources.code_digest", lambda: "other"
    ),
}


def _listed(cfg: Path, drop: str) -> dict[str, str]:
    files = json.loads((cfg.parent / "generated" / MANIFEST).read_text())["files"]
    return {k: v for k, v in files.items() if k != drop}


def _drop_file(cfg: Path, rel: str) -> None:
    _set_in_manifest(cfg, "files", _listed(cfg, drop=rel))
    (cfg.parent / "generated" / rel).unlink()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _symlink(path: Path) -> None:
    data = path.read_bytes()
    real = path.with_name("real.tf")
    real.write_bytes(data)
    path.unlink()
    path.symlink_to(real)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_anything_a_render_reads_defeats_the_quick_answer(
    change: str,
    example_copy: Callable[[str], Path],
    full_renders: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bedrock_gen.api import render_config

    cfg = example_copy("strict")
    CHANGES[change](cfg, monkeypatch)
    quick = _render(cfg, mode=Mode.CHECK)
    assert full_renders == [str(cfg)], "the full render must answer"
    assert _summary(quick) == _summary(render_config(cfg, mode=Mode.CHECK))


def test_a_config_elsewhere_or_another_output_folder_is_rendered_in_full(
    example_copy: Callable[[str], Path], full_renders: list[str], tmp_path: Path
) -> None:
    cfg = example_copy("strict")
    moved = cfg.parent / "sub" / "bedrock-gen.yaml"
    moved.parent.mkdir()
    moved.write_bytes(cfg.read_bytes())
    result = _render(moved, output=cfg.parent / "generated", mode=Mode.CHECK)
    assert not result.ok and full_renders == [str(moved)]  # the folder belongs to ../
    assert _render(cfg, output=tmp_path / "new").ok  # written in full
    assert _render(cfg, output=tmp_path / "new").ok  # then answered quickly
    assert full_renders == [str(moved), str(cfg)]


def test_a_changed_catalog_overlay_is_noticed(
    example_copy: Callable[[str], Path], full_renders: list[str], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    overlay = cfg.parent / "overlay.json"
    import_overlay(run_cli, overlay, *FILES)
    assert run_cli("render", "--catalog", str(overlay), str(cfg)).code == 0
    before = len(full_renders)
    assert run_cli("render", "--catalog", str(overlay), str(cfg)).code == 0
    assert len(full_renders) == before
    overlay.write_bytes(overlay.read_bytes() + b"\n")
    assert run_cli("render", "--check", "--catalog", str(overlay), str(cfg)).code == 1
    assert len(full_renders) == before + 1


def test_warnings_and_environment_secrets_are_never_replayed(
    write_config: Callable[[str], Path],
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cfg = write_config(MINIMAL)  # no Region for Port: a warning
    assert run_cli("render", str(cfg)).code == 0
    assert '"source"' not in (cfg.parent / "generated" / MANIFEST).read_text()
    assert "warning" in run_cli("render", str(cfg)).out
    portkey = example_copy("portkey")
    assert '"source"' not in (portkey.parent / "generated" / MANIFEST).read_text()
    monkeypatch.setenv("PORTKEY_EXTERNAL_ID", "no spaces allowed here")
    result = run_cli("render", "--check", str(portkey))
    assert result.code == 1 and "PORTKEY_EXTERNAL_ID" in result.out


@pytest.mark.parametrize(
    "tail",
    [
        "name: duplicate\n",  # a duplicate key: the located loader refuses it
        "1: a key YAML reads as a number\n",  # the loader makes it "1": unknown
        "extra: &a [*a]\n",  # an alias inside its own anchor
        "\x07\n",  # a control character
    ],
    ids=["duplicate-key", "number-key", "alias-cycle", "control-char"],
)
def test_a_broken_config_is_reported_not_answered_quickly(
    tail: str, example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    cfg.write_text(cfg.read_text() + tail)
    result = run_cli("render", "--check", str(cfg))
    assert result.code == 1
    assert "internal error" not in result.out + result.err
    assert f"{cfg}:" in result.out


@pytest.mark.parametrize("valid", [True, False])
def test_a_config_is_parsed_once_per_render(
    valid: bool,
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The answer before Click, the quick answer and the full render share one parse (a large
    config must not pay three times), and a changed file is parsed again."""
    from bedrock_gen.load import yaml_source

    calls: list[str] = []
    real = yaml_source.load_bytes
    monkeypatch.setattr(
        yaml_source, "load_bytes", lambda data, file: calls.append(file) or real(data, file)
    )
    cfg = example_copy("strict")
    cfg.write_text(cfg.read_text() + ("" if valid else "unknown_key: 1\n"))
    assert run_cli("render", "--check", "-v", str(cfg)).code == (0 if valid else 1)
    assert run_cli("render", "--check", str(cfg)).code == (0 if valid else 1)
    assert calls == [str(cfg)]
    cfg.write_text(cfg.read_text() + "# changed\n")
    assert run_cli("render", "--check", str(cfg)).code == (0 if valid else 1)
    assert calls == [str(cfg)] * 2


def test_a_value_unquoted_into_ambiguity_is_noticed(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    """YAML 1.1 and 1.2 agree that "012345678901" is a string; unquoted, PyYAML still reads the
    same string (it has an 8: not octal), but YAML 1.2 tools read a number. The parsed config is
    the same, so the digest must record the writing too."""
    cfg = example_copy("strict")
    _edit(cfg, "team: platform", 'team: "012345678901"')
    assert run_cli("render", str(cfg)).code == 0
    _edit(cfg, '"012345678901"', "012345678901")
    result = run_cli("render", "--check", str(cfg))
    assert result.code == 1 and "[yaml-ambiguous]" in result.out


@pytest.mark.parametrize(
    ("key", "value"), [("legacy_layout", []), ("catalog_overlay", 5), ("source", False)]
)
def test_hostile_manifest_fields_are_refused_the_same_either_way(
    key: str,
    value: object,
    example_copy: Callable[[str], Path],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bedrock_gen.cli import fast_render

    cfg = example_copy("strict")
    _set_in_manifest(cfg, key, value)
    fast = run_cli("render", "--check", str(cfg))
    monkeypatch.setattr(fast_render, "answer", lambda args: None)
    full = run_cli("render", "--check", "-v", str(cfg))
    assert fast == full and fast.code == 1 and "not a bedrock-gen manifest" in fast.out
    assert "internal error" not in fast.out + fast.err


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere"
)
def test_a_read_only_output_folder_is_reported_as_the_full_render_does(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    out = cfg.parent / "generated"
    out.chmod(0o555)
    try:
        result = run_cli("render", str(cfg))
        assert result.code == 1 and "not readable and writable" in result.out
        assert run_cli("render", "--check", str(cfg)).code == 0  # comparing needs no writing
    finally:
        out.chmod(0o755)


@pytest.mark.parametrize("where", [MANIFEST, "terraform/main.tf"])
def test_a_fifo_in_the_output_folder_never_blocks_a_render(
    where: str, example_copy: Callable[[str], Path]
) -> None:
    import subprocess
    import sys

    cfg = example_copy("strict")
    _fifo(cfg.parent / "generated" / where)
    for args in (["--check"], ["--check", "-v"], []):
        done = subprocess.run(
            [sys.executable, "-m", "bedrock_gen", "render", *args, str(cfg)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert "internal error" not in done.stdout + done.stderr


@pytest.mark.parametrize("layout", ["split:abc", "split:99999999", "split:1", "double"])
def test_a_hostile_legacy_layout_is_refused(
    layout: str, example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    _set_in_manifest(cfg, "legacy_layout", layout)
    for args in (["--check"], ["-v"]):
        result = run_cli("render", *args, str(cfg))
        assert result.code == 1 and "not a bedrock-gen manifest" in result.out


def test_a_file_dropped_from_the_manifest_is_rendered_again(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    """The module is reused only when its inputs are sealed with the same file list."""
    cfg = example_copy("strict")
    _drop_file(cfg, "terraform/README.md")
    result = run_cli("render", str(cfg))
    assert result.code == 0 and "  create    terraform/README.md" in result.out
    assert run_cli("render", "--check", "-v", str(cfg)).code == 0


def test_a_killed_renders_leftover_is_removed_by_the_next_render(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    junk = cfg.parent / "generated/iam/.trust-policy.json.bedrock-gen-tmp-1a2b3c4d"
    junk.write_text("half")
    assert run_cli("render", "--check", str(cfg)).code == 0 and junk.exists()
    result = run_cli("render", str(cfg))
    assert result.code == 0 and "up to date" in result.out and not junk.exists()
