"""A yes/no JSON Schema check for the keywords bedrock-gen's own schemas use.

Why: importing ``jsonschema`` costs about 50 ms, more than the rest of a render, and a
pre-commit hook pays it on every commit. A valid config only needs a yes. So this module answers
"valid?" from the same schema file; only when the answer is no does ``validation`` import
jsonschema to explain every error. The tests check that both always agree, and that the schema
uses no keyword this module does not know.
"""

from __future__ import annotations

import functools
import re
from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default", "examples"})
KEYWORDS = frozenset(
    {
        "type",
        "const",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "minItems",
        "uniqueItems",
        "items",
        "required",
        "properties",
        "additionalProperties",
        "maxProperties",
        "propertyNames",
        "oneOf",
    }
)


def ecma(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern as a Python regex with the same meaning: ECMA's ``$``
    matches only at the end of the input, Python's also before a final newline (so
    ``name: "gw\n"`` would pass ``^[A-Za-z0-9_+=,.@-]+$``)."""
    out = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "$" and not in_class:
            ch = r"\Z"
        out.append(ch)
        i += 1
    return "".join(out)


@functools.cache
def regex(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma(pattern), re.ASCII)  # ECMA-262: \d and \w are ASCII


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float))
    raise ValueError(f"unknown JSON Schema type {kind!r}")


def _same(a: Any, b: Any) -> bool:
    """JSON equality: booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return (type(a) in (int, float) and type(b) in (int, float) and a == b) or (
        type(a) is type(b) and a == b
    )


def unsupported(schema: Any) -> set[str]:
    """Keywords in ``schema`` (recursively) that this module cannot check."""
    found: set[str] = set()
    if isinstance(schema, dict):
        found |= set(schema) - KEYWORDS - ANNOTATIONS
        for key in ("items", "additionalProperties", "propertyNames"):
            found |= unsupported(schema.get(key))
        for sub in schema.get("properties", {}).values():
            found |= unsupported(sub)
        for sub in schema.get("oneOf", []):
            found |= unsupported(sub)
    return found


def _string(schema: dict[str, Any], value: str) -> bool:
    if len(value) < schema.get("minLength", 0):
        return False
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return False
    return "pattern" not in schema or regex(schema["pattern"]).search(value) is not None


def _number(schema: dict[str, Any], value: float) -> bool:
    return not ("minimum" in schema and value < schema["minimum"]) and not (
        "maximum" in schema and value > schema["maximum"]
    )


def _array(schema: dict[str, Any], value: list[Any]) -> bool:
    if len(value) < schema.get("minItems", 0):
        return False
    if schema.get("uniqueItems") and any(
        _same(value[i], value[j]) for i in range(len(value)) for j in range(i + 1, len(value))
    ):
        return False
    return "items" not in schema or all(valid(schema["items"], v) for v in value)


def _object(schema: dict[str, Any], value: dict[str, Any]) -> bool:
    if any(k not in value for k in schema.get("required", ())):
        return False
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        return False
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames")
    return all(
        (names is None or valid(names, k)) and valid(props.get(k, extra), v)
        for k, v in value.items()
    )


def _shape(schema: dict[str, Any], value: Any) -> bool:
    """The keywords of the value's own JSON type."""
    if isinstance(value, str):
        return _string(schema, value)
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return _number(schema, value)
    if isinstance(value, list):
        return _array(schema, value)
    if isinstance(value, dict):
        return _object(schema, value)
    return True


def valid(schema: Any, value: Any) -> bool:
    if schema is True or schema == {}:
        return True
    if schema is False:
        return False
    kind = schema.get("type")
    if kind is not None and not any(
        _type_ok(k, value) for k in (kind if isinstance(kind, list) else [kind])
    ):
        return False
    if "const" in schema and not _same(value, schema["const"]):
        return False
    if "enum" in schema and not any(_same(value, e) for e in schema["enum"]):
        return False
    if not _shape(schema, value):
        return False
    return not ("oneOf" in schema and sum(valid(s, value) for s in schema["oneOf"]) != 1)
