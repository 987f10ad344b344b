"""The catalog data file: valid against its schema, consistent, and sourced."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from bedrock_gen import catalog as catalog_mod
from bedrock_gen.resources import CATALOG_SCHEMA, load_schema


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return catalog_mod.load_raw()


def test_catalog_matches_its_schema(raw: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(load_schema(CATALOG_SCHEMA)).validate(raw)


def test_catalog_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema(CATALOG_SCHEMA))


def test_every_entry_cites_known_sources(raw: dict[str, Any]) -> None:
    cited = [s for m in raw["models"] for s in m["source"]]
    cited += [s for g in raw["geographies"].values() for s in g["source"]]
    cited += [s for g in raw["gateways"].values() for s in g["source"]]
    assert set(cited) <= set(raw["sources"])


def test_ids_and_aliases_are_unique_and_do_not_collide(raw: dict[str, Any]) -> None:
    names = [m["id"] for m in raw["models"]] + [a for m in raw["models"] for a in m["aliases"]]
    assert len(names) == len(set(names))


def test_profile_regions_exist_and_belong_to_the_geography_partition(raw: dict[str, Any]) -> None:
    regions = raw["regions"]
    for gid, geo in raw["geographies"].items():
        for r in geo["sources"] + geo["destinations"]:
            assert regions[r]["partition"] == geo["partition"], (gid, r)
    for m in raw["models"]:
        for gid, prof in m["profiles"].items():
            part = raw["geographies"][gid]["partition"]
            for r in prof.get("sources", []) + prof.get("destinations", []):
                assert regions[r]["partition"] == part, (m["id"], gid, r)
        for r in m.get("in_region_regions", []):
            assert r in regions


def test_region_lists_are_sorted_so_diffs_stay_small(raw: dict[str, Any]) -> None:
    lists = [g["sources"] for g in raw["geographies"].values()]
    lists += [g["destinations"] for g in raw["geographies"].values()]
    lists += [p[k] for m in raw["models"] for p in m["profiles"].values() for k in p]
    for value in lists:
        assert value == sorted(value)


def test_config_schema_geography_enum_matches_the_catalog(raw: dict[str, Any]) -> None:
    schema = load_schema()
    enum = schema["properties"]["models"]["properties"]["geographies"]["items"]["enum"]
    assert sorted(enum) == sorted(raw["geographies"])


def test_port_gateway_roles_are_the_documented_ones() -> None:
    port = catalog_mod.load().gateways["port"]
    assert dict(port.roles) == {
        "eu": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-eu-west-1",
        "us": "arn:aws:iam::185657066287:role/port-ai-bring-your-own-llm-us-east-1",
    }
    assert port.default_roles == ("eu", "us")


def test_ports_opus_4_6_typo_is_known_and_the_real_id_has_no_suffix() -> None:
    cat = catalog_mod.load()
    assert cat.lookup("claude-opus-4-6").id == "anthropic.claude-opus-4-6-v1"  # type: ignore[union-attr]
    assert "anthropic.claude-opus-4-6-v1:0" in cat.wrong_ids


def test_destinations_from_a_source_include_the_source() -> None:
    cat = catalog_mod.load()
    haiku3 = cat.lookup("claude-3-haiku")
    assert haiku3 is not None
    us = haiku3.profiles["us"]
    # AWS's own example: from us-east-2 routes to use1/use2/usw2, from us-west-2 to use1/usw2.
    assert us.destinations_from("us-east-2") == ("us-east-1", "us-east-2", "us-west-2")
    assert us.destinations_from("us-west-2") == ("us-east-1", "us-west-2")


def test_catalog_file_is_plain_json_that_loads_fast() -> None:
    text = catalog_mod.data_path("catalog.json").read_text(encoding="utf-8")
    assert json.loads(text)["catalog_version"]
