"""Where the public data files live: ``schemas/`` and ``templates/``.

In the wheel they are copied into the package (``bedrock_gen/schemas``); in a source checkout
(editable install, tests) they are the top-level folders next to ``generator/``. Either way
there is exactly one copy that is edited: the top-level one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from bedrock_gen.errors import BedrockGenError

_PACKAGE = Path(__file__).resolve().parent

CONFIG_SCHEMA = "bedrock-gen.schema.json"
CATALOG_SCHEMA = "catalog.schema.json"


@functools.cache
def folder(name: str) -> Path:
    """The installed copy of a public folder (``schemas`` or ``templates``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bedrock-gen is installed without its {name}/ folder")


def schema_path(name: str = CONFIG_SCHEMA) -> Path:
    return folder("schemas") / name


@functools.cache
def load_schema(name: str = CONFIG_SCHEMA) -> dict[str, Any]:
    with open(schema_path(name), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def data_path(name: str) -> Path:
    return _PACKAGE / "data" / name


RECORDED_DIGEST = "CODE_DIGEST"  # in a wheel: code_digest(), computed when it was built


@functools.cache
def code_digest() -> str:
    """Of everything bedrock-gen ships: its Python code, data, templates and schemas.

    Part of what a render's output depends on, so that a render recorded by other code is never
    taken as current (a pre-commit ``rev:`` between two releases has the same version). The
    same in a source checkout and an installed wheel (paths relative to their folders, sorted
    as text), and on every platform (line endings normalised). A wheel records it when it is
    built (``hatch_build.py``), so an installed bedrock-gen does not hash itself on every run.
    """
    recorded = _PACKAGE / RECORDED_DIGEST
    if recorded.is_file():  # a wheel, built with hatch_build.py
        return recorded.read_text(encoding="utf-8").strip()
    parts: list[tuple[str, str]] = []
    roots = [("bedrock_gen", str(_PACKAGE), (".py", ".json"))]
    roots += [(name, str(folder(name)), (".j2", ".json")) for name in ("templates", "schemas")]

    def unreadable(exc: OSError) -> None:  # a folder skipped would change the digest
        raise BedrockGenError.one(
            "install-unreadable",
            f"bedrock-gen's own files cannot be read ({exc.filename}: {exc.strerror}); "
            "reinstall it",
        )

    for label, root, suffixes in roots:
        for base, dirs, names in os.walk(root, onerror=unreadable):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "templates", "schemas")]
            rel = os.path.relpath(base, root).replace(os.sep, "/")
            prefix = label if rel == "." else f"{label}/{rel}"
            parts += [
                (f"{prefix}/{n}", os.path.join(base, n)) for n in names if n.endswith(suffixes)
            ]
    h = hashlib.sha256()
    for name, path in sorted(parts):
        try:
            with open(path, "rb") as fh:
                data = fh.read().replace(b"\r\n", b"\n")
        except OSError as exc:
            unreadable(exc)
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()
