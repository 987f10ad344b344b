"""Lint a render's documents as the identity holds them.

Each document is linted alone, as ``bedrock-gen lint`` would. A split invoke policy is also
linted as the one policy its parts make together: they are attached to one identity, so a
profile granted in one part whose destinations sit in another is whole. The checks that need
the whole policy (``SET_LEVEL``) run only on that union; every other check on each part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bedrock_gen.access.resolve import Documents
from bedrock_gen.catalog.model import Catalog
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.lint.engine import ignore, lint_data, lint_text
from bedrock_gen.lint.rules import RULES

SET_LEVEL = frozenset(
    {"BEDROCK_MISSING_DESTINATION_MODELS", "BEDROCK_FOUNDATION_MODEL_WITHOUT_PROFILE"}
)
TOGETHER = "iam/bedrock-invoke-policy*.json (together)"


def _union(docs: Documents) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {**st, "Sid": f"{st.get('Sid', '')}Part{n}"}
            for n, d in enumerate(docs.invoke, 1)
            for st in d.document["Statement"]
        ],
    }


def lint_generated(
    docs: Documents,
    catalog: Catalog,
    trust_limit: int,
    ignored: frozenset[str] = frozenset(),
    text_of: Callable[[Any], str] | None = None,
) -> list[Diagnostic]:
    """Every finding on the generated documents. With ``text_of`` (the JSON text render writes
    for a document), each finding is located at its line and column in that file; the parts
    taken together are named ``TOGETHER``."""
    split = len(docs.invoke) > 1
    runs: list[tuple[str, Any, str, frozenset[str]]] = []
    batch_trust = docs.batch[0] if docs.batch else None
    for doc in [*docs.all(), *((docs.scp,) if docs.scp else ()), *docs.batch]:
        trust = doc is docs.trust or doc is batch_trust
        kind = "trust" if trust else "scp" if doc is docs.scp else "identity"
        part = split and doc in docs.invoke
        runs.append(
            (f"iam/{doc.filename}", doc.document, kind, ignored | SET_LEVEL if part else ignored)
        )
    if split:
        runs.append((TOGETHER, _union(docs), "identity", (frozenset(RULES) - SET_LEVEL) | ignored))
    out: list[Diagnostic] = []
    for name, document, kind, skipped in runs:
        if text_of is not None and name != TOGETHER:
            found = lint_text(text_of(document), name, catalog, kind, trust_limit)
        else:
            found = lint_data(document, name, catalog, kind, trust_limit)
        out += ignore(found, skipped)
    return out
