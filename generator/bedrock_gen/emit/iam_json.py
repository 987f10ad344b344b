"""IAM documents as the JSON files people paste into the console or apply with the CLI."""

from __future__ import annotations

import json
from typing import Any

from bedrock_gen.access.resolve import Documents

IAM_DIR = "iam"


def dumps(document: Any) -> bytes:
    """Two-space JSON with a final newline: stable bytes, readable diffs."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render(documents: Documents) -> dict[str, bytes]:
    """``iam/<file>.json`` for every document."""
    docs = [*documents.all(), *((documents.scp,) if documents.scp else ()), *documents.batch]
    return {f"{IAM_DIR}/{doc.filename}": dumps(doc.document) for doc in docs}
