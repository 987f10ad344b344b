"""``render``: atomic, owned output; ``--check``/``--diff``; examples stay up to date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bedrock_gen.output.manifest import MANIFEST
from conftest import EXAMPLES, MINIMAL, ROOT, RunCli


def test_checked_in_examples_are_up_to_date(run_cli: RunCli) -> None:
    result = run_cli("render", "--check", *map(str, EXAMPLES))
    assert result.code == 0, result.out
    assert f"{len(EXAMPLES)} configs up to date" in result.out


def test_render_writes_iam_files_and_a_manifest(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    result = run_cli("render", str(cfg))
    assert result.code == 0, result.out
    out = cfg.parent / "generated"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        MANIFEST,
        "iam/bedrock-invoke-policy.json",
        "iam/trust-policy.json",
        "terraform/.gitignore",
        "terraform/README.md",
        "terraform/examples/complete/main.tf",
        "terraform/main.tf",
        "terraform/outputs.tf",
        "terraform/policies.tf",
        "terraform/tests/bedrock_gen.tftest.hcl",
        "terraform/variables.tf",
        "terraform/versions.tf",
    ]
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == [w for w in written if w != MANIFEST]
    assert "Next steps:" in result.out
    assert "roleArn arn:aws:iam::ACCOUNT_ID:role/gw" in result.out


def test_render_is_byte_identical_across_runs_and_hash_seeds(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    cfg = write_config((ROOT / "examples/strict/bedrock-gen.yaml").read_text())
    outputs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": "C"}
        subprocess.run(
            [sys.executable, "-m", "bedrock_gen", "render", str(cfg), "-o", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]


def test_unchanged_files_are_not_rewritten(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    run_cli("render", str(cfg))
    target = cfg.parent / "generated/iam/trust-policy.json"
    os.utime(target, (1, 1))
    result = run_cli("render", str(cfg))
    assert f"{cfg}: up to date in {cfg.parent / 'generated'} (11 files;" in result.out
    assert "warning" in result.out  # said again: a render with warnings is never replayed
    assert target.stat().st_mtime == 1


def test_check_reports_missing_stale_and_extra_files(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("strict")
    out = cfg.parent / "generated"
    assert run_cli("render", "--check", str(cfg)).code == 0
    cfg.write_text(cfg.read_text().replace("gateway_regions: [eu]", "gateway_regions: [eu, us]"))
    (out / "iam/bedrock-invoke-policy-2.json").write_text("{}\n")
    (out / "iam/bedrock-invoke-policy.json").unlink()
    result = run_cli("render", "--check", str(cfg))
    assert result.code == 1
    assert "iam/trust-policy.json: stale" in result.out
    assert "iam/bedrock-invoke-policy.json: missing" in result.out
    assert "iam/bedrock-invoke-policy-2.json: edited by hand" in result.out
    assert "1 config would be re-rendered" in result.out
    assert (out / "iam/bedrock-invoke-policy-2.json").read_text() == "{}\n"  # nothing written


def test_a_hand_edited_file_is_reported_and_kept_unless_forced(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("port-specific-models")
    target = cfg.parent / "generated/iam/bedrock-invoke-policy.json"
    target.write_text(target.read_text().replace("haiku", "HAIKU"))
    refused = run_cli("render", str(cfg))
    assert refused.code == 1
    assert (
        "edited by hand since bedrock-gen wrote them: iam/bedrock-invoke-policy.json" in refused.out
    )
    assert "HAIKU" in target.read_text()
    forced = run_cli("render", "--force", str(cfg))
    assert forced.code == 0 and "HAIKU" not in target.read_text()


def test_adopt_takes_over_the_files_of_a_lost_manifest_after_saying_which(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("port-specific-models")
    out = cfg.parent / "generated"
    (out / MANIFEST).unlink()
    stuck = run_cli("render", str(cfg))
    assert stuck.code == 1 and "render --adopt" in stuck.out
    shown = run_cli("render", "--check", "--adopt", str(cfg))
    assert "would take over" in shown.out and "iam/trust-policy.json" in shown.out
    assert not (out / MANIFEST).exists()
    adopted = run_cli("render", "--adopt", str(cfg))
    assert adopted.code == 0 and "took over" in adopted.out
    assert (out / MANIFEST).exists()
    assert run_cli("render", "--check", str(cfg)).code == 0


def test_diff_prints_a_unified_diff(example_copy: Callable[[str], Path], run_cli: RunCli) -> None:
    cfg = example_copy("port-specific-models")
    cfg.write_text(cfg.read_text().replace("    - claude-opus-4-6\n", ""))
    result = run_cli("render", "--diff", str(cfg))
    assert result.code == 1
    assert "--- a/iam/bedrock-invoke-policy.json" in result.out
    assert (
        '-        "arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1",' in result.out
    )


def test_files_no_longer_generated_are_removed(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = example_copy("port-specific-models")
    out = cfg.parent / "generated"
    cfg.write_text(
        cfg.read_text()
        .replace("mode: assume_role", "mode: access_keys")
        .replace("  external_id: port-bedrock-3f9c2a71\n", "")
    )
    check = run_cli("render", "--check", str(cfg))
    assert "iam/trust-policy.json: no longer generated" in check.out
    assert run_cli("render", str(cfg)).code == 0
    assert not (out / "iam/trust-policy.json").exists()
    assert "iam/trust-policy.json" not in (out / MANIFEST).read_text()


def test_files_bedrock_gen_did_not_write_are_never_touched(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    mine = cfg.parent / "generated/iam/trust-policy.json"
    mine.parent.mkdir(parents=True)
    mine.write_text("hand-written\n")
    result = run_cli("render", str(cfg))
    assert result.code == 1
    assert "iam/trust-policy.json exists but was not generated by bedrock-gen" in result.out
    assert mine.read_text() == "hand-written\n"
    assert not (cfg.parent / "generated/iam/bedrock-invoke-policy.json").exists()


def test_other_files_in_the_output_directory_survive(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    keep = cfg.parent / "generated/NOTES.md"
    keep.parent.mkdir()
    keep.write_text("mine\n")
    assert run_cli("render", str(cfg)).code == 0
    assert keep.read_text() == "mine\n"


def test_symlinked_targets_are_refused(
    write_config: Callable[[str], Path], run_cli: RunCli, tmp_path: Path
) -> None:
    cfg = write_config(MINIMAL)
    assert run_cli("render", str(cfg)).code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    target = cfg.parent / "generated/iam/trust-policy.json"
    target.unlink()
    target.symlink_to(victim)
    cfg.write_text(MINIMAL.replace("gw-7f3a9c2e5b1d4086", "gw-8e4b0d3f6c2e5197"))
    result = run_cli("render", str(cfg))
    assert result.code == 1
    assert "iam/trust-policy.json is a symlink; refusing to write through it" in result.out
    assert victim.read_text() == "precious\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_directory_is_a_clear_error(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    out = cfg.parent / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = run_cli("render", str(cfg), "-o", str(out))
    finally:
        out.chmod(0o700)
    assert result.code == 1 and "not readable and writable" in result.out


def test_leftover_temporary_files_are_cleaned_up(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL)
    assert run_cli("render", str(cfg)).code == 0
    junk = cfg.parent / "generated/iam/.trust-policy.json.bedrock-gen-tmp-deadbeef"
    junk.write_text("half")
    assert run_cli("render", str(cfg)).code == 0
    assert not junk.exists()


def test_invalid_config_writes_nothing(
    write_config: Callable[[str], Path], run_cli: RunCli
) -> None:
    cfg = write_config(MINIMAL.replace("claude-sonnet-4-5", "claude-nope"))
    result = run_cli("render", str(cfg))
    assert result.code == 1
    assert not (cfg.parent / "generated").exists()
    assert "nothing written" in result.out


def test_external_id_from_the_environment(
    write_config: Callable[[str], Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write_config(
        MINIMAL.replace("external_id: gw-7f3a9c2e5b1d4086", "external_id: {env: BG_TEST_XID}")
    )
    monkeypatch.setenv("BG_TEST_XID", "s3cr3t-value-xyz")
    ok = run_cli("render", str(cfg))
    assert ok.code == 0
    assert "s3cr3t-value-xyz" not in ok.out + ok.err
    out = cfg.parent / "generated"
    for path in out.rglob("*"):
        if path.is_file():
            assert b"s3cr3t" not in path.read_bytes(), path
    trust = (out / "iam/trust-policy.json").read_text()
    assert '"sts:ExternalId": "${BG_TEST_XID}"' in trust
    assert 'TF_VAR_bedrock_external_id="$BG_TEST_XID"' in ok.out
    printed = run_cli("trust-policy", str(cfg))
    assert printed.code == 0
    assert json.loads(printed.out)["Statement"][0]["Condition"]["StringEquals"] == {
        "sts:ExternalId": "s3cr3t-value-xyz"
    }
    monkeypatch.delenv("BG_TEST_XID")
    assert run_cli("validate", str(cfg)).code == 0
    assert run_cli("render", "--check", str(cfg)).code == 0, "CI has no secret"
    missing = run_cli("trust-policy", str(cfg))
    assert missing.code == 1 and "BG_TEST_XID (auth.external_id) is not set" in missing.err
    monkeypatch.setenv("BG_TEST_XID", "s3cr3t-value-xyz\n")
    bad = run_cli("render", str(cfg))
    assert bad.code == 1 and "ends with a newline" in bad.out
    assert "s3cr3t" not in bad.out + bad.err


def test_output_option_needs_a_single_config(run_cli: RunCli) -> None:
    result = run_cli("render", "-o", "x", str(EXAMPLES[0]), str(EXAMPLES[1]))
    assert result.code == 2
    assert "--output takes a single config" in result.err


def test_check_and_render_take_many_configs_and_report_each(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    a = example_copy("strict")
    b = example_copy("access-keys")
    b.write_text(b.read_text().replace("claude-haiku-4-5", "claude-opus-4-5"))
    result = run_cli("render", "--check", str(a), str(b))
    assert result.code == 1
    assert str(b.parent / "generated/iam/bedrock-invoke-policy.json") + ": stale" in result.out
    assert str(a.parent) not in result.out


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_config_named_twice_is_rendered_once(
    example_copy: Callable[[str], Path], run_cli: RunCli
) -> None:
    """pre-commit may pass a config and files it generated, and a person may mix relative and
    absolute names: each config is checked once."""
    cfg = example_copy("strict")
    generated = cfg.parent / "generated/iam/trust-policy.json"
    for fast in (True, False):
        args = ["--check", "-v"] if not fast else ["--check"]
        result = run_cli(
            "render", *args, "bedrock-gen.yaml", str(generated), str(cfg), cwd=cfg.parent
        )
        assert (result.code, result.out) == (0, "bedrock-gen: 1 config up to date\n")
