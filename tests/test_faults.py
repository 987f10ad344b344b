"""Faults: a render stopped at every step it takes (SIGKILL and Ctrl-C), read-only folders,
concurrent renders, shared folders. A render is all-or-nothing, and the same render run again
always finishes the job."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bedrock_gen.output.manifest import MANIFEST
from bedrock_gen.output.write import JOURNAL, TMP_MARK
from conftest import MINIMAL, RunCli

pytestmark = pytest.mark.slow

GROWN = MINIMAL.replace("claude-sonnet-4-5", "claude-sonnet-4-5, claude-haiku-4-5")
# Port's gateway writes port/ (three files): going from PORT to GROWN replaces files, removes
# those three and prunes their folder.
PORT = "gateway: port\nport: {region: eu-west-1, account_id: '123456789012'}\n" + MINIMAL


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _visible(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in snapshot.items() if TMP_MARK not in k and k != JOURNAL}


def _render(cfg: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bedrock_gen", "render", str(cfg)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


MUTATORS = ("open", "write", "replace", "unlink", "rmdir", "mkdir", "link")


def _stopping_at(step: int, how: str) -> Iterator[None]:
    """Patch every call that changes the file system to stop the process at call ``step``:
    SIGKILL (nothing of ours runs after it) or KeyboardInterrupt (Ctrl-C)."""
    count = [0]
    saved = {name: getattr(os, name) for name in MUTATORS}

    def wrap(name: str) -> Callable[..., object]:
        real = saved[name]

        def call(*args: object, **kwargs: object) -> object:
            if name == "open" and not (int(args[1]) & (os.O_WRONLY | os.O_RDWR)):  # type: ignore[call-overload]
                return real(*args, **kwargs)
            count[0] += 1
            if count[0] == step:
                if how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        return call

    for name in MUTATORS:
        setattr(os, name, wrap(name))
    try:
        yield
    finally:
        for name, real in saved.items():
            setattr(os, name, real)


def _render_stopped_at(cfg: Path, step: int, how: str) -> int:
    """Render ``cfg`` in a forked child stopped at ``step``: its wait status."""
    from bedrock_gen.api import render_config

    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            patched = _stopping_at(step, how)
            next(patched)  # kept referenced: closing it would undo the patches
            code = 0 if render_config(cfg).ok else 1
        except KeyboardInterrupt:
            code = 130
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


@pytest.mark.parametrize("how", ["kill", "interrupt"])
def test_a_render_stopped_at_every_step_is_old_or_finished_by_the_next_render(
    tmp_path: Path, how: str
) -> None:
    """At every file-system call of a render (staging, the journal, each rename, each
    removal, pruning folders): the folder shows the old complete set or holds a journal, and
    the same render run again leaves exactly the new set and nothing else."""
    from bedrock_gen.api import render_config
    from bedrock_gen.report import Mode

    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(GROWN)
    assert render_config(cfg, output=tmp_path / "ref").ok
    new = _snapshot(tmp_path / "ref")
    cfg.write_text(PORT)
    out = tmp_path / "generated"
    assert render_config(cfg).ok
    old = _snapshot(out)
    assert "port/llm-provider.json" in old and "port/llm-provider.json" not in new
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine)
    cfg.write_text(GROWN)
    step = 0
    while True:
        step += 1
        shutil.rmtree(out)
        shutil.copytree(pristine, out)
        status = _render_stopped_at(cfg, step, how)
        stopped = os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 130
        now = _snapshot(out)
        if not stopped:
            assert os.WEXITSTATUS(status) == 0
            assert now == new
            break
        committed = JOURNAL in now
        if not committed:
            assert _visible(now) == old, f"step {step}: changed before the journal"
            if how == "interrupt":
                assert now == old, f"step {step}: Ctrl-C left staged files"
        assert not render_config(cfg, mode=Mode.CHECK).ok  # the check sees it unfinished
        assert render_config(cfg).ok, f"step {step}: the same render did not finish"
        assert _snapshot(out) == new, f"step {step}: not the new set"
        assert step < 500
    assert not (out / "port").exists()
    assert step > 12  # each changed file staged and renamed, the journal, the removals


def test_a_killed_render_is_finished_by_the_next_one_even_after_the_config_changed_back(
    tmp_path: Path,
) -> None:
    from bedrock_gen.api import render_config

    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(MINIMAL)
    assert render_config(cfg).ok
    old = _snapshot(tmp_path / "generated")
    cfg.write_text(GROWN)
    for step in range(30, 40):  # within the renames
        _render_stopped_at(cfg, step, "kill")
        cfg.write_text(MINIMAL)
        assert render_config(cfg).ok
        assert _snapshot(tmp_path / "generated") == old
        cfg.write_text(GROWN)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this process: by its mode, or, for root (whom modes do not
    stop), by the immutable attribute."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("root ignores folder modes and chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"root ignores folder modes and chattr +i failed: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_fails_the_render_before_any_file_changes(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A folder the render cannot write in (here port/, which loses a file and gains one) is
    found while staging: nothing is replaced or removed, no folder is left, and the message
    says so."""
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(PORT)
    assert run_cli("render", str(cfg)).code == 0
    out = tmp_path / "generated"
    before = _snapshot(out)
    cfg.write_text(GROWN)  # port/ files go, the policy grows
    with _read_only(out / "port"):
        result = run_cli("render", str(cfg))
    assert result.code == 1
    assert "nothing written" in result.out + result.err
    assert "port" in result.out + result.err
    assert _snapshot(out) == before


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
    assert not [p for p in _snapshot(out) if TMP_MARK in p or p == JOURNAL]
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
