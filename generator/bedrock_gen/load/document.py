"""A loaded file: plain data plus the line and column of every value and mapping key."""

from __future__ import annotations

import json
from typing import Any

from bedrock_gen.diagnostics import Diagnostic, Location, Severity

PathKey = tuple[str | int, ...]


class Document:
    """Plain data (dicts, lists, scalars) and where each part of it came from.

    ``values`` locate the start of each value, ``keys`` the mapping key that leads to it, and
    ``raw`` keeps the source text of plain (unquoted) YAML scalars, so validation can say what
    YAML did to them.
    """

    def __init__(
        self,
        file: str,
        data: Any,
        values: dict[PathKey, Location] | None = None,
        keys: dict[PathKey, Location] | None = None,
        raw: dict[PathKey, str] | None = None,
    ) -> None:
        self.file = file
        self.data = data
        self.values: dict[PathKey, Location] = {} if values is None else values
        self.keys: dict[PathKey, Location] = {} if keys is None else keys
        self.raw: dict[PathKey, str] = {} if raw is None else raw

    def locate(self, path: PathKey) -> Location:
        """Where the value at ``path`` starts, or its nearest located ancestor."""
        p = tuple(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), Location(1, 1))

    def locate_key(self, path: PathKey) -> Location:
        """Where the mapping key that leads to ``path`` starts (falls back to the value)."""
        p = tuple(path)
        return self.keys.get(p) or self.locate(p)

    def diagnostic(
        self,
        code: str,
        message: str,
        path: PathKey = (),
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        loc = self.locate_key(path) if key else self.locate(path)
        return Diagnostic(severity, code, message, self.file, loc)


def show(path: PathKey) -> str:
    """``models.ids[2]`` for a path; ``the top level`` for the root."""
    if not path:
        return "the top level"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def quoted(value: Any) -> str:
    """A value as a message quotes it: ``'text'`` for a string (its characters as they are:
    the reporters print every message through ``printable.shown``, once), JSON for the rest
    (``1``, ``true``, ``null``, ``["a"]``)."""
    if isinstance(value, str):
        return f"'{value}'"
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return repr(value)


def type_name(value: Any) -> str:
    """``a string``, ``a list``, ... for messages."""
    if value is None:
        return "null"
    for kind, name in (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
        (list, "a list"),
        (dict, "a mapping"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


class Findings:
    """Diagnostics collected while checking one document (config validation, gateways)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: list[Diagnostic] = []

    def error(self, code: str, message: str, path: PathKey = (), key: bool = False) -> None:
        self.items.append(self.doc.diagnostic(code, message, path, key=key))

    def warn(self, code: str, message: str, path: PathKey = (), key: bool = False) -> None:
        self.items.append(
            self.doc.diagnostic(code, message, path, key=key, severity=Severity.WARNING)
        )

    def errors_since(self, mark: int) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items[mark:])

    @property
    def mark(self) -> int:
        return len(self.items)

    @property
    def failed(self) -> bool:
        return self.errors_since(0)
