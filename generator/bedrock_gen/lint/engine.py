"""``bedrock-gen lint``: the engine that runs the rule sets over one IAM JSON document.

A document is an identity policy, a role trust policy or an SCP (``kind``; ``auto`` tells a
trust policy by its Principal). ``grammar`` runs on every kind; ``access`` and ``bedrock`` on
identity policies; ``trust`` on trust policies; ``scp`` on SCPs. Each finding is located at the
JSON value it concerns and carries its rule's severity and fix (``rules``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.diagnostics import Diagnostic, Severity
from bedrock_gen.iam.limits import MANAGED_POLICY_SIZE, TRUST_POLICY_SIZE
from bedrock_gen.lint import access, bedrock, grammar, scp, trust
from bedrock_gen.lint.context import Context, as_list
from bedrock_gen.load.document import Document

SCP_SIZE = 5120


def kind_of(data: Any, kind: str) -> str:
    if kind != "auto":
        return kind
    raw = data.get("Statement") if isinstance(data, dict) else None
    stmts = [s for s in as_list(raw) if isinstance(s, dict)] if raw is not None else []
    with_principal = [s for s in stmts if "Principal" in s or "NotPrincipal" in s]
    trust = (
        bool(stmts)
        and len(with_principal) == len(stmts)
        and not any("Resource" in s or "NotResource" in s for s in stmts)
    )
    return "trust" if trust else "identity"


def lint_document(
    doc: Document,
    catalog: Catalog,
    kind: str = "auto",
    trust_limit: int = TRUST_POLICY_SIZE,
    routes: scp.Routes | None = None,
) -> list[Diagnostic]:
    """Findings for one document; ``routes`` (an SCP's check): the config's chosen routes."""
    resolved = kind_of(doc.data, kind)
    ctx = Context(
        doc,
        catalog,
        resolved,
        {"managed": MANAGED_POLICY_SIZE, "trust": trust_limit, "scp": SCP_SIZE},
    )
    if not grammar.check(ctx):
        return ctx.out
    if resolved == "trust":
        trust.check(ctx)
    elif resolved == "scp":
        scp.check(ctx, routes)
    else:
        access.check(ctx)
        bedrock.check(ctx)
    grammar.size(ctx)
    return ctx.out


def lint_data(
    data: Any, file: str, catalog: Catalog, kind: str = "auto", trust_limit: int = TRUST_POLICY_SIZE
) -> list[Diagnostic]:
    """Lint an in-memory document, without locations (``lint_text`` has them)."""
    return lint_document(Document(file, data), catalog, kind, trust_limit)


def lint_text(
    text: str,
    file: str,
    catalog: Catalog,
    kind: str = "auto",
    trust_limit: int = TRUST_POLICY_SIZE,
    routes: scp.Routes | None = None,
) -> list[Diagnostic]:
    """Lint a document as the JSON text it is written as (the generator's own files, before
    they are written): every finding carries ``file`` and its line and column in ``text``.
    Raises ``ConfigError`` when ``text`` is not JSON that ``load.json_source`` accepts."""
    from bedrock_gen.load.json_source import loads

    return lint_document(loads(text, file), catalog, kind, trust_limit, routes)


# What makes a document unreadable, not merely wrong: a JSON type IAM's grammar does not allow.
UNREADABLE = frozenset({"DATA_TYPE_MISMATCH", "INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY"})


def unreadable(doc: Document, catalog: Catalog, kind: str = "auto") -> list[Diagnostic]:
    """The findings that make ``doc`` a document IAM would refuse to read at all (a Statement
    that is a number, a Condition value that is an object...), located. ``diff``, ``simulate``
    and ``explain`` refuse such a document instead of guessing what it grants; an unknown
    action or a malformed ARN is still read (it matches nothing)."""
    ctx = Context(doc, catalog, kind_of(doc.data, kind), {})
    grammar.check(ctx)
    return [d for d in ctx.out if d.code in UNREADABLE]


def failing(diagnostics: Iterable[Diagnostic], threshold: Severity) -> list[Diagnostic]:
    """Findings at least as severe as ``threshold`` (``--fail-on``)."""
    return [d for d in diagnostics if d.severity.at_least(threshold)]


def ignore(diagnostics: Iterable[Diagnostic], codes: frozenset[str]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code not in codes]
