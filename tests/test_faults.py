"""Faults: a render killed with SIGKILL at any moment, concurrent renders, shared folders."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bedrock_gen.output.manifest import MANIFEST
from bedrock_gen.output.write import TMP_MARK
from conftest import MINIMAL, RunCli

pytestmark = pytest.mark.slow


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _render(cfg: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bedrock_gen", "render", str(cfg)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_kill_9_at_any_moment_leaves_whole_files_and_no_temporary_files(tmp_path: Path) -> None:
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(MINIMAL)
    subprocess.run(
        [sys.executable, "-m", "bedrock_gen", "render", str(cfg)], check=True, capture_output=True
    )
    out = tmp_path / "generated"
    old = _snapshot(out)
    new_text = MINIMAL.replace("claude-sonnet-4-5", "claude-sonnet-4-5, claude-haiku-4-5")
    cfg.write_text(new_text)
    subprocess.run(
        [sys.executable, "-m", "bedrock_gen", "render", str(cfg), "-o", str(tmp_path / "ref")],
        check=True,
        capture_output=True,
    )
    new = _snapshot(tmp_path / "ref")
    rng = random.Random(1234)
    for _ in range(12):
        proc = _render(cfg)
        time.sleep(rng.uniform(0.0, 0.35))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _snapshot(out)
        assert not [p for p in now if TMP_MARK in p], "temporary files left behind"
        for path, data in now.items():
            assert data in (old.get(path), new.get(path)), f"{path} is neither old nor new"
        # restore the previous output for the next round
        cfg.write_text(MINIMAL)
        subprocess.run(
            [sys.executable, "-m", "bedrock_gen", "render", str(cfg)],
            check=True,
            capture_output=True,
        )
        assert _snapshot(out) == old
        cfg.write_text(new_text)


def test_concurrent_renders_into_one_folder_do_not_mix(tmp_path: Path) -> None:
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(
        MINIMAL.replace("external_id: gw-7f3a9c2e5b1d4086", "external_id: {env: BG_XID}")
    )
    procs = [_render(cfg, {"BG_XID": f"concurrent-{i}"}) for i in range(6)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    out = tmp_path / "generated"
    manifest = json.loads((out / MANIFEST).read_text())
    import hashlib

    for rel, digest in manifest["files"].items():
        assert "sha256:" + hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
    assert not [p for p in _snapshot(out) if TMP_MARK in p]
    winner = json.loads((out / "iam/trust-policy.json").read_text())
    assert winner["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] == "${BG_XID}"


def test_two_configs_cannot_share_an_output_folder(tmp_path: Path, run_cli: RunCli) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(MINIMAL)
    b.write_text(MINIMAL.replace("name: gw", "name: other"))
    assert run_cli("render", str(a)).code == 0
    before = _snapshot(tmp_path / "generated")
    result = run_cli("render", str(b))
    assert result.code == 1
    assert "belongs to another config (../a.yaml)" in result.out
    assert _snapshot(tmp_path / "generated") == before
