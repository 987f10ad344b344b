"""Validation pass 1: structure. Every JSON Schema error of a config as one plain, located
sentence, plus the YAML readings other tools would disagree with.

A valid document is recognised by ``schema_fast`` without importing jsonschema; jsonschema runs
only to explain what is wrong.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.gateways.presets.port import SECRET_SOURCE
from bedrock_gen.load.document import Document, PathKey, show, type_name
from bedrock_gen.load.yaml_source import (
    ambiguous_plain_scalars,
    disagreement,
    yaml11_value,
    yaml12_value,
)
from bedrock_gen.printable import quoted
from bedrock_gen.suggest import did_you_mean

_NAME_HINT = "letters, digits and + = , . @ _ - (IAM name rules)"
_PORT_SECRET_NAME = (
    f"may contain only letters, digits, _ and - (Port's secret names; source: {SECRET_SOURCE})"
)
_PATTERN_HINTS: dict[str, str] = {
    "name": f"may contain only {_NAME_HINT}",
    "role_name": f"may contain only {_NAME_HINT}",
    "user_name": f"may contain only {_NAME_HINT}",
    "account_id": 'must be exactly 12 digits, quoted ("012345678901")',
    "regions": "is not an AWS Region code (like eu-west-1)",
    "allowed_regions": "is not an AWS Region code (like eu-west-1)",
    "guardrails": "must be a guardrail ARN without a version, like "
    "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123def456",
    "marketplace_product_id": "must be an AWS Marketplace product ID like prod-abc123",
    "permissions_boundary": "must be a managed policy ARN, like "
    "arn:aws:iam::123456789012:policy/boundary",
    "env": "must be an environment variable name (letters, digits, _; not starting with a digit)",
    "external_id_secret_name": _PORT_SECRET_NAME,
    "access_key_id_secret_name": _PORT_SECRET_NAME,
    "secret_access_key_secret_name": _PORT_SECRET_NAME,
    "geographies": "is not an inference-profile geography (like eu or global)",
}


def structure(doc: Document) -> list[Diagnostic]:
    """Every JSON Schema error of the document, each as one located sentence; the unquoted
    values YAML 1.1 and YAML 1.2 tools read differently; and the paths that no file system
    takes (``output_dir``, ``catalog``)."""
    from bedrock_gen.resources import load_schema
    from bedrock_gen.validate import schema_fast
    from bedrock_gen.validate.sections.settings import paths

    schema = load_schema()
    readings = _readings(doc, schema)
    if schema_fast.valid(schema, doc.data):
        return [*readings.values(), *paths(doc)]
    out: list[Diagnostic] = list(readings.values())
    for error in _validator().iter_errors(doc.data):
        if tuple(error.absolute_path) not in readings:  # the YAML reading says it better
            out.extend(_explain(doc, error))
    return [*out, *paths(doc)]


def _readings(doc: Document, schema: Any) -> dict[PathKey, Diagnostic]:
    """Values written unquoted that YAML 1.1 and YAML 1.2 tools read differently: refused,
    each with what to write instead.

    PyYAML (YAML 1.1, and so bedrock-gen) reads ``in_region: yes`` as true, ``017`` as 15 and
    ``3_600`` as 3600; yq, Go and JavaScript parsers (YAML 1.2) read the string "yes", 17 and
    the string "3_600", and ``account_id: 012345678901`` as the number 12345678901. A
    ``%YAML 1.2`` header changes nothing in PyYAML. A config must mean the same to every tool
    that reads it, so each such value must be written in the form both read alike.
    """
    out: dict[PathKey, Diagnostic] = {}
    for path, raw, _reading in ambiguous_plain_scalars(doc):
        found = disagreement(raw)
        assert found is not None
        if path == ("account_id",) and type(doc.data.get("account_id")) is int:
            continue  # the schema's account-id-number explains it, with the quoted form
        advice = _write_instead(raw, _expected_types(schema, path))
        out[path] = doc.diagnostic(
            "yaml-ambiguous",
            f"'{show(path)}' is written {raw} without quotes: YAML 1.1 reads {found[0]}, "
            f"YAML 1.2 reads {found[1]}; write {advice}",
            path,
        )
    return out


def _literal(value: Any, raw: str) -> str:
    """A reading written so that YAML 1.1 and 1.2 read it alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value) if value == value and abs(value) != float("inf") else f'"{raw}"'
    return json.dumps(raw, ensure_ascii=False)


def _write_instead(raw: str, types: set[str]) -> str:
    """The form(s) to write: the reading the schema expects, or every reading when it could
    be either (or the key is unknown)."""
    readings = [yaml11_value(raw), yaml12_value(raw)]
    kinds = {
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "null": lambda v: v is None,
    }
    fitting = [v for v in readings if any(kinds.get(t, lambda _v: False)(v) for t in types)]
    if any(isinstance(v, str) for v in fitting) or (not fitting and "string" in types):
        return json.dumps(raw, ensure_ascii=False)
    chosen = fitting or readings
    forms: list[str] = []
    for v in chosen:
        form = _literal(v, raw)
        if form not in forms:
            forms.append(form)
    return " or ".join(forms)


def _expected_types(schema: Any, path: PathKey) -> set[str]:
    """The JSON types the schema allows at ``path`` (empty when it does not say)."""
    nodes = [schema] if isinstance(schema, dict) else []
    for part in path:
        nxt = []
        for node in nodes:
            for option in [node, *node.get("oneOf", [])]:
                if isinstance(part, int):
                    child = option.get("items")
                else:
                    child = option.get("properties", {}).get(part)
                    if child is None:
                        child = option.get("additionalProperties")
                if isinstance(child, dict):
                    nxt.append(child)
        nodes = nxt
    types: set[str] = set()
    for node in nodes:
        for option in [node, *node.get("oneOf", [])]:
            kind = option.get("type")
            types.update(kind if isinstance(kind, list) else [kind] if kind else [])
            if "enum" in option:
                types.update(
                    "boolean"
                    if isinstance(v, bool)
                    else "string"
                    if isinstance(v, str)
                    else "number"
                    for v in option["enum"]
                )
    return types


@functools.cache
def _validator() -> Any:
    """jsonschema's draft 2020-12 validator, with ECMA-262 patterns (``$`` is the end of the
    input, as JSON Schema means it; Python's ``$`` also matches before a final newline)."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    from bedrock_gen.resources import load_schema
    from bedrock_gen.validate.schema_fast import regex

    def pattern(validator: Any, value: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not regex(value).search(instance):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    checker = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": pattern}
    )
    return checker(load_schema())


def _expected(types: Any) -> str:
    names = {
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list",
        "object": "a mapping",
        "null": "null",
    }
    seq = types if isinstance(types, list) else [types]
    return " or ".join(str(names.get(t, t)) for t in seq)


def _yaml_hint(doc: Document, path: PathKey, instance: Any) -> str:
    raw = doc.raw.get(path)
    if raw is None or isinstance(instance, str):
        return ""
    if isinstance(instance, bool):
        return f'; YAML read {raw} as a boolean: quote it ("{raw}")'
    if isinstance(instance, (int, float)):
        return f'; YAML read {raw} as a number: quote it ("{raw}")'
    if instance is None:
        return f"; YAML read {raw or 'an empty value'} as null"
    return ""


class _Error:
    """One jsonschema error, with what every explanation needs."""

    def __init__(self, doc: Document, error: Any) -> None:
        self.doc = doc
        self.error = error
        self.path: PathKey = tuple(error.absolute_path)
        self.inst = error.instance
        self.value = error.validator_value
        self.name = show(self.path)
        self.where = "the top level" if not self.path else f"'{self.name}'"

    def diag(
        self, code: str, message: str, at: PathKey | None = None, key: bool = False
    ) -> Diagnostic:
        return self.doc.diagnostic(code, message, self.path if at is None else at, key=key)

    @property
    def hint(self) -> str:
        return _yaml_hint(self.doc, self.path, self.inst)


def _additional(e: _Error) -> list[Diagnostic]:
    allowed = list(e.error.schema.get("properties", {}))
    return [
        e.diag(
            "unknown-key",
            f"unknown key '{k}' in {e.where}{did_you_mean(str(k), allowed)}"
            f" (allowed: {', '.join(allowed)})",
            (*e.path, k),
            key=True,
        )
        for k in e.inst
        if k not in allowed
    ]


def _required(e: _Error) -> list[Diagnostic]:
    return [
        e.diag("missing-key", f"{e.where} is missing the required key '{k}'")
        for k in e.value
        if k not in e.inst
    ]


def _type(e: _Error) -> list[Diagnostic]:
    if e.path == ("account_id",) and isinstance(e.inst, int) and not isinstance(e.inst, bool):
        raw = e.doc.raw.get(e.path, str(e.inst))
        why = (
            f"YAML read {raw} as the number {e.inst} and the leading zero is lost"
            if raw.lstrip("+").startswith("0")
            else f"YAML read {raw} as a number"
        )
        return [
            e.diag(
                "account-id-number",
                f'account_id must be a quoted string: {why}; write account_id: "{raw}"',
            )
        ]
    return [
        e.diag(
            "wrong-type",
            f"'{e.name}' must be {_expected(e.value)}, not {type_name(e.inst)}{e.hint}",
        )
    ]


def _enum(e: _Error) -> list[Diagnostic]:
    options = [str(o) for o in e.value]
    hint = did_you_mean(str(e.inst), options) if isinstance(e.inst, str) else ""
    return [
        e.diag(
            "invalid-value",
            f"'{e.name}' must be one of {', '.join(options)}, not {quoted(e.inst)}{hint}{e.hint}",
        )
    ]


def _const(e: _Error) -> list[Diagnostic]:
    extra = " (without quotes)" if isinstance(e.inst, str) else ""
    return [
        e.diag(
            "invalid-value", f"'{e.name}' must be {quoted(e.value)}{extra}, not {quoted(e.inst)}"
        )
    ]


def _pattern(e: _Error) -> list[Diagnostic]:
    field = next((p for p in reversed(e.path) if isinstance(p, str)), "")
    hint = _PATTERN_HINTS.get(field, f"must match {e.value}")
    return [e.diag("invalid-value", f"'{e.name}' {hint}; got {quoted(e.inst)}")]


def _unique(e: _Error) -> list[Diagnostic]:
    seen: set[str] = set()
    for i, item in enumerate(e.inst):
        marker = repr(item)
        if marker in seen:
            return [
                e.diag(
                    "duplicate-item",
                    f"'{e.name}' lists {quoted(item)} more than once",
                    (*e.path, i),
                )
            ]
        seen.add(marker)
    return []


def _min_items(e: _Error) -> list[Diagnostic]:
    return [
        e.diag(
            "empty-list",
            f"'{e.name}' must list at least {e.value} item{'s' if e.value != 1 else ''}",
        )
    ]


def _min_length(e: _Error) -> list[Diagnostic]:
    return [
        e.diag(
            "invalid-value",
            f"'{e.name}' must not be empty"
            if e.value == 1
            else f"'{e.name}' must be at least {e.value} characters",
        )
    ]


def _max_length(e: _Error) -> list[Diagnostic]:
    return [
        e.diag(
            "invalid-value", f"'{e.name}' is {len(e.inst)} characters long; the limit is {e.value}"
        )
    ]


def _bound(e: _Error) -> list[Diagnostic]:
    word = "at least" if e.error.validator == "minimum" else "at most"
    return [e.diag("invalid-value", f"'{e.name}' must be {word} {e.value}, not {e.inst}")]


def _max_properties(e: _Error) -> list[Diagnostic]:
    return [
        e.diag("invalid-value", f"'{e.name}' has {len(e.inst)} entries; the limit is {e.value}")
    ]


def _property_names(e: _Error) -> list[Diagnostic]:
    return [
        e.diag(
            "invalid-value",
            f"'{e.name}' has a key of invalid length: {quoted(e.inst)} (1 to 128 characters)",
        )
    ]


def _one_of(e: _Error) -> list[Diagnostic]:
    if e.path[-1:] == ("external_id",):
        if isinstance(e.inst, dict):
            out: list[Diagnostic] = []
            for sub in _validator().evolve(schema=e.error.schema["oneOf"][1]).iter_errors(e.inst):
                sub.path.extendleft(reversed(e.path))
                out.extend(_explain(e.doc, sub))
            return out
        return [
            e.diag(
                "wrong-type",
                f"'{e.name}' must be a string or a mapping "
                f"{{env: VAR_NAME}}, not {type_name(e.inst)}{e.hint}",
            )
        ]
    return _generic(e)


def _generic(e: _Error) -> list[Diagnostic]:
    return [e.diag("schema", f"'{e.name}': {e.error.message}")]


_EXPLAIN = {
    "additionalProperties": _additional,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "uniqueItems": _unique,
    "minItems": _min_items,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minimum": _bound,
    "maximum": _bound,
    "maxProperties": _max_properties,
    "propertyNames": _property_names,
    "oneOf": _one_of,
}


def _explain(doc: Document, error: Any) -> list[Diagnostic]:
    """One jsonschema error as located sentences (an explainer per keyword)."""
    return _EXPLAIN.get(error.validator, _generic)(_Error(doc, error))
