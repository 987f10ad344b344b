"""The wheel works on its own: schemas inside, installed into a fresh venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = dist.glob("bedrock_gen-*.whl")
    return path


def test_wheel_ships_schemas_and_the_catalog(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bedrock_gen/schemas/bedrock-gen.schema.json" in names
    assert "bedrock_gen/schemas/catalog.schema.json" in names
    assert "bedrock_gen/data/catalog.json" in names
    assert not any(n.startswith("bedrock_gen/templates/") for n in names)
    assert "bedrock_gen/py.typed" in names


def test_wheel_installs_into_a_fresh_venv_and_validates_an_example(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "examples" / "strict", work)
    exe = str(bindir / "bedrock-gen")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [exe, "validate", "bedrock-gen.yaml"], cwd=work, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check = subprocess.run(
        [exe, "render", "--check", "bedrock-gen.yaml"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    schema = subprocess.run([exe, "schema"], cwd=work, capture_output=True, text=True, env=env)
    assert schema.returncode == 0 and '"$schema"' in schema.stdout
    where = subprocess.run(
        [
            str(bindir / "python"),
            "-c",
            "import bedrock_gen.resources as r; print(r.folder('schemas'))",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert str(env_dir) in where.stdout  # the installed copy, not the source tree
