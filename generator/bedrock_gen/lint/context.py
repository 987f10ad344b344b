"""What every rule set works on: the document's statements, located, and a finding sink."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bedrock_gen.catalog.model import Catalog
from bedrock_gen.diagnostics import Diagnostic, Severity
from bedrock_gen.iam import arn as arns
from bedrock_gen.lint.rules import RULES
from bedrock_gen.load.document import Document, PathKey


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class Stmt:
    """One statement of the document, with its path for locating findings."""

    def __init__(self, index: int, path: PathKey, body: dict[str, Any]) -> None:
        self.index = index
        self.path = path
        self.body = body

    @property
    def allow(self) -> bool:
        return self.body.get("Effect") == "Allow"

    def actions(self, key: str = "Action") -> list[str]:
        return [a for a in as_list(self.body.get(key, [])) if isinstance(a, str)]

    def resources(self, key: str = "Resource") -> list[tuple[int | None, str]]:
        value = self.body.get(key, [])
        if isinstance(value, str):
            return [(None, value)]
        return [
            (i, r)
            for i, r in enumerate(value if isinstance(value, list) else [])
            if isinstance(r, str)
        ]

    def rpath(self, i: int | None, key: str = "Resource") -> PathKey:
        return (*self.path, key) if i is None else (*self.path, key, i)

    def allows_action(self, action: str) -> bool:
        return any(arns.action_match(a, action) for a in self.actions())

    def conditions(self) -> list[tuple[str, str, Any, PathKey]]:
        """(operator, key, value, path) of every condition entry."""
        out = []
        cond = self.body.get("Condition")
        if isinstance(cond, dict):
            for op, block in cond.items():
                if isinstance(block, dict):
                    out += [(op, k, v, (*self.path, "Condition", op, k)) for k, v in block.items()]
        return out

    def condition_keys(self) -> set[str]:
        return {k.lower() for _, k, _, _ in self.conditions()}


class Context:
    """What rule sets share while checking one document."""

    def __init__(
        self, doc: Document, catalog: Catalog, kind: str, limits: Mapping[str, int]
    ) -> None:
        self.doc = doc
        self.cat = catalog
        self.kind = kind
        self.limits = limits
        self.out: list[Diagnostic] = []
        self.statements: list[Stmt] = []

    def add(
        self,
        code: str,
        path: PathKey,
        message: str,
        key: bool = False,
        severity: Severity | None = None,
    ) -> None:
        """One finding of rule ``code`` at ``path``; ``severity`` where the rule's own depends
        on the case (a size over every quota IAM has is an error, over the default one a
        warning)."""
        rule = RULES[code]
        loc = self.doc.locate_key(path) if key else self.doc.locate(path)
        self.out.append(
            Diagnostic(
                severity or rule.severity,
                code,
                f"{message}; fix: {rule.hint}",
                self.doc.file,
                loc,
            )
        )


def statements_of(ctx: Context, raw: Any) -> Sequence[Stmt]:
    """The statements of ``raw`` (an object or a list), reporting the ones that are not."""
    if isinstance(raw, dict):
        return [Stmt(0, ("Statement",), raw)]
    out = []
    for i, s in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(s, dict):
            out.append(Stmt(i, ("Statement", i), s))
        else:
            ctx.add("DATA_TYPE_MISMATCH", ("Statement", i), "a statement must be an object")
    return out
