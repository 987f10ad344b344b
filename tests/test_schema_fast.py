"""The fast yes/no schema check agrees with jsonschema, so skipping jsonschema on valid input
changes nothing but speed."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_gen.resources import CATALOG_SCHEMA, load_schema
from bedrock_gen.validate import schema_fast
from conftest import CASES, EXAMPLES

SCHEMA = load_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SEEDS = [yaml.safe_load(p.read_text()) for p in EXAMPLES] + [
    yaml.safe_load(p.read_text())
    for p in sorted((CASES / "positive").glob("*/bedrock-gen.yaml"))
    if p.read_bytes()[:3] != b"\xef\xbb\xbf"
]

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 50_000),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "eu",
            "us",
            "global",
            "assume_role",
            "access_keys",
            "hcl",
            "json",
            "123456789012",
            "claude-sonnet-4-5",
            "/",
            "all",
            "selected",
            1,
        ]
    ),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["env", "id", "ids", "x", "mode"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_fast_check_agrees_with_jsonschema_on_mutated_configs(
    seed: Any, data: st.DataObject
) -> None:
    doc = copy.deepcopy(seed)
    for _ in range(data.draw(st.integers(0, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        if not path:
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=8))] = data.draw(VALUES)
    assert schema_fast.valid(SCHEMA, doc) == VALIDATOR.is_valid(doc)


def test_examples_are_valid_for_both() -> None:
    for seed in SEEDS:
        assert schema_fast.valid(SCHEMA, seed) and VALIDATOR.is_valid(seed)


def test_the_schemas_use_only_keywords_the_fast_check_knows() -> None:
    assert schema_fast.unsupported(SCHEMA) == set()
    assert "$defs" in load_schema(CATALOG_SCHEMA)  # the catalog schema is checked by jsonschema


def test_booleans_are_not_numbers() -> None:
    assert not schema_fast.valid({"const": 1}, True)
    assert not schema_fast.valid({"type": "integer"}, False)
    assert schema_fast.valid({"type": "integer"}, 3.0)
