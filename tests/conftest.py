"""Shared helpers: run the CLI in-process, find examples and cases."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*/bedrock-gen.yaml"))
CASES = Path(__file__).resolve().parent / "cases"


@dataclass
class Run:
    code: int
    out: str
    err: str


RunCli = Callable[..., Run]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Call ``bedrock_gen.cli.main`` in this process, as the console script does."""
    from bedrock_gen.cli.main import main

    def run(*args: str, cwd: Path | None = None) -> Run:
        capsys.readouterr()
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os.chdir(old)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def example_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of an example (config and checked-in output) in a scratch folder."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(ROOT / "examples" / name, dest)
        return dest / "bedrock-gen.yaml"

    return copy


@pytest.fixture
def write_config(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    def write(text: str, name: str = "bedrock-gen.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    yield write


MINIMAL = """\
version: 1
name: gw
models:
  ids: [claude-sonnet-4-5]
  geographies: [eu]
auth:
  mode: assume_role
  external_id: gw-7f3a9c2e5b1d4086
"""


def report_data(out: str, index: int = 0) -> Any:
    """The ``data`` of a result in ``--format json`` output (every command's envelope)."""
    return json.loads(out)["files"][index]["data"]
