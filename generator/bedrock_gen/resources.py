"""Where the public data files live: ``schemas/``.

In the wheel they are copied into the package (``bedrock_gen/schemas``); in a source checkout
(editable install, tests) they are the top-level folders next to ``generator/``. Either way
there is exactly one copy that is edited: the top-level one.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent

CONFIG_SCHEMA = "bedrock-gen.schema.json"
CATALOG_SCHEMA = "catalog.schema.json"


@functools.cache
def folder(name: str) -> Path:
    """The installed copy of a public folder (``schemas``)."""
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
