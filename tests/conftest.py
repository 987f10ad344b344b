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
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on the same examples every time (a red build is reproducible, and
# the whole-suite check below that every registered code is emitted cannot flicker); on a
# developer's machine they explore new examples on each run.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

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


# -- every diagnostic code is registered, and every registered code is emitted by some test ------
#
# Each Diagnostic made while the tests run is recorded; a code that neither bedrock_gen/codes.py
# nor lint/rules.py registers fails the test that made it. When the whole suite ran, a code
# registered there that no test made fails the session (it is dead, or untested).

_EMITTED: set[str] = set()


def _registered() -> frozenset[str]:
    from bedrock_gen.codes import CODES
    from bedrock_gen.lint.rules import RULES

    return frozenset(CODES) | frozenset(RULES)


def _record(code: str) -> None:
    _EMITTED.add(code)
    if code not in _registered():
        raise AssertionError(
            f"diagnostic code {code!r} is not registered: add it to bedrock_gen/codes.py "
            "(or, for a lint rule, lint/rules.py)"
        )


def _install_recorder() -> None:
    from bedrock_gen import diagnostics

    cls = diagnostics.Diagnostic
    if getattr(cls, "_recording", False):
        return
    original_new = cls.__new__
    original_replace = cls._replace

    def new(klass: Any, severity: Any, code: str, *args: Any, **kwargs: Any) -> Any:
        _record(code)
        return original_new(klass, severity, code, *args, **kwargs)

    def replace(self: Any, **kwargs: Any) -> Any:
        if "code" in kwargs:
            _record(kwargs["code"])
        return original_replace(self, **kwargs)

    cls.__new__ = new  # type: ignore[method-assign]
    cls._replace = replace  # type: ignore[method-assign]
    cls._recording = True  # type: ignore[attr-defined]


_install_recorder()


def _whole_suite(config: pytest.Config) -> bool:
    opt = config.option
    narrowed = (
        opt.keyword
        or opt.markexpr
        or getattr(opt, "deselect", None)
        or getattr(opt, "lf", False)
        or getattr(opt, "failedfirst", False)
        or getattr(opt, "exitfirst", False)
    )
    return not narrowed and all(
        Path(a).resolve() == Path(__file__).resolve().parent for a in config.args
    )


def pytest_configure_node(node: Any) -> None:  # xdist: where workers write what they saw
    node.workerinput["bedrock_gen_codes"] = node.config._bedrock_gen_codes_dir


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        import tempfile

        config._bedrock_gen_codes_dir = tempfile.mkdtemp(prefix="bedrock-gen-codes-")  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    worker = getattr(config, "workerinput", None)
    folder = Path(
        worker["bedrock_gen_codes"] if worker else config._bedrock_gen_codes_dir  # type: ignore[attr-defined]
    )
    name = worker["workerid"] if worker else "controller"
    (folder / f"{name}.json").write_text(json.dumps(sorted(_EMITTED)), encoding="utf-8")
    if worker is not None or not _whole_suite(config) or exitstatus != 0:
        return
    emitted: set[str] = set()
    for part in folder.glob("*.json"):
        emitted.update(json.loads(part.read_text(encoding="utf-8")))
    from bedrock_gen.lint.rules import ALIASES

    never = sorted(_registered() - emitted - set(ALIASES))
    if never:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        message = (
            f"{len(never)} registered diagnostic code(s) no test emitted (dead, or untested): "
            + ", ".join(never)
        )
        if reporter is not None:
            reporter.write_line(f"ERROR: {message}", red=True)
        session.exitstatus = 1
