"""checkov (Bridgecrew's Terraform scanner, which platform teams run in CI) passes on every
example module in both flavours: the module's own skips, each with its reason in the files,
are the only findings it may leave.

checkov has its own dependency tree, so it runs from its own venv: `make checkov` creates
`.venv-checkov` (or set CHECKOV to a checkov executable). Skipped, with that reason, where
neither exists.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedrock_gen.api import render_config
from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def _checkov() -> str | None:
    for candidate in (os.environ.get("CHECKOV"), str(ROOT / ".venv-checkov/bin/checkov")):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("checkov")


CHECKOV = _checkov()


@pytest.mark.skipif(
    CHECKOV is None,
    reason="checkov is not installed: `make checkov` creates .venv-checkov (or set CHECKOV)",
)
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_checkov_passes_every_example_module(flavour: str, tmp_path: Path) -> None:
    assert CHECKOV is not None
    modules = []
    for example in EXAMPLES:
        data = yaml.safe_load(example.read_text())
        data.setdefault("terraform", {})["format"] = flavour
        folder = tmp_path / example.parent.name
        folder.mkdir()
        (folder / "bedrock-gen.yaml").write_text(yaml.safe_dump(data))
        assert render_config(folder / "bedrock-gen.yaml", output=folder / "out").ok
        modules.append(folder / "out" / "terraform")
    args = [
        CHECKOV,
        "--quiet",
        "--compact",
        "--output",
        "json",
        "--framework",
        "terraform",
        "--skip-download",
    ]
    for module in modules:
        args += ["--directory", str(module)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    reports = _reports(proc.stdout)
    assert len(reports) == len(modules), proc.stdout[-4000:]
    failed = [
        (c["check_id"], c["file_path"], c["resource"])
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]
    assert failed == []
    assert all(r["summary"]["parsing_errors"] == 0 for r in reports), proc.stderr[-2000:]
    assert all(r["summary"]["passed"] > 0 for r in reports), "a module checkov read nothing in"


def _reports(text: str) -> list[dict[str, Any]]:
    """checkov prints one JSON document per --directory, one after another."""
    decoder = json.JSONDecoder()
    out, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        value, pos = decoder.raw_decode(text, pos)
        out += value if isinstance(value, list) else [value]
    return out
