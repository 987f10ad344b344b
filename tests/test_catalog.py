"""The catalog data file: valid against its schema, consistent, sourced, and exactly what the
maintainer's path (``make catalog``) builds from catalog-src/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bedrock_gen.catalog import build
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.resources import CATALOG_SCHEMA, load_schema
from conftest import ROOT


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return catalog_mod.load_raw()


def test_catalog_matches_its_schema(raw: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(load_schema(CATALOG_SCHEMA)).validate(raw)


def test_catalog_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema(CATALOG_SCHEMA))


def test_shipped_catalog_is_exactly_what_make_catalog_builds() -> None:
    built = build.dumps(build.build(ROOT / "catalog-src"))
    shipped = (ROOT / "generator/bedrock_gen/data/catalog.json").read_text(encoding="utf-8")
    assert shipped == built, "run `make catalog` and commit the result"


def test_every_entry_cites_known_sources(raw: dict[str, Any]) -> None:
    cited = {s for m in raw["models"] for s in m["source"]}
    assert cited <= set(raw["sources"])
    for model in raw["models"]:
        assert model["source"], model["id"]


def test_ids_and_aliases_are_unique_and_do_not_collide(raw: dict[str, Any]) -> None:
    names = [m["id"] for m in raw["models"]] + [a for m in raw["models"] for a in m["aliases"]]
    assert len(names) == len(set(names))


def test_route_regions_exist_and_belong_to_the_geography_partition(raw: dict[str, Any]) -> None:
    regions = raw["regions"]
    for m in raw["models"]:
        for gid, table in m.get("profiles", {}).items():
            part = raw["geographies"][gid]["partition"]
            for group in raw["route_tables"][table]:
                for r in group["from"] + group["to"]:
                    assert regions[r]["partition"] == part, (m["id"], gid, r)
        for r in m["in_region"]:
            assert r in regions, (m["id"], r)  # never "*": Regions AWS lists


def test_route_tables_are_sorted_shared_and_used(raw: dict[str, Any]) -> None:
    used = {t for m in raw["models"] for t in m.get("profiles", {}).values()}
    assert used == set(raw["route_tables"])
    bodies = [json.dumps(t, sort_keys=True) for t in raw["route_tables"].values()]
    assert len(bodies) == len(set(bodies)), "equal tables must be shared"
    for table in raw["route_tables"].values():
        sources = [s for g in table for s in g["from"]]
        assert len(sources) == len(set(sources)), "a source routes one way"
        for group in table:
            assert group["from"] == sorted(group["from"]) and group["to"] == sorted(group["to"])


def test_global_tables_have_no_destinations_and_geographic_ones_do(raw: dict[str, Any]) -> None:
    for m in raw["models"]:
        for gid, table in m.get("profiles", {}).items():
            is_global = raw["geographies"][gid].get("global", False)
            for group in raw["route_tables"][table]:
                assert (group["to"] == []) == is_global, (m["id"], gid)


@pytest.mark.parametrize(
    ("alias", "geo", "source", "expected"),
    [
        # AWS's model cards, per source Region (catalog-audit A2-A4 and the tables they cite)
        (
            "claude-sonnet-4-5",
            "au",
            "ap-southeast-6",
            ("ap-southeast-2", "ap-southeast-4", "ap-southeast-6"),
        ),
        (
            "claude-haiku-4-5",
            "au",
            "ap-southeast-6",
            ("ap-southeast-2", "ap-southeast-4", "ap-southeast-6"),
        ),
        ("claude-sonnet-4-5", "us-gov", "us-gov-west-1", ("us-gov-east-1", "us-gov-west-1")),
        (
            "claude-sonnet-4-5",
            "us",
            "us-west-1",
            ("us-east-1", "us-east-2", "us-west-1", "us-west-2"),
        ),
        ("claude-sonnet-4-5", "us", "us-east-2", ("us-east-1", "us-east-2", "us-west-2")),
        ("claude-opus-4-8", "jp", "ap-northeast-3", ("ap-northeast-1", "ap-northeast-3")),
        # Grok 4.7 (card @25c01efa): us-west-1 routes to itself too
        ("grok-4-7", "us", "us-west-1", ("us-east-1", "us-east-2", "us-west-1", "us-west-2")),
        # the India geography (Claude Haiku 4.5, card @cd716007)
        ("claude-haiku-4-5", "in", "ap-south-2", ("ap-south-1", "ap-south-2")),
    ],
)
def test_per_source_routes_are_awss_tables(
    alias: str, geo: str, source: str, expected: tuple[str, ...]
) -> None:
    model = catalog_mod.load().lookup(alias)
    assert model is not None
    assert model.profiles[geo].served_in(source) == expected


def test_sources_of_one_profile_may_route_differently() -> None:
    """The design limit of catalog 0.1 (destinations = a set + the source) is gone."""
    nova = catalog_mod.load().lookup("nova-pro")
    assert nova is not None
    eu = nova.profiles["eu"]
    assert "il-central-1" in eu.served_in("il-central-1")
    assert "eu-south-1" in eu.served_in("il-central-1")
    assert "eu-south-1" not in eu.served_in("eu-west-1")


def test_product_ids_found_in_the_audit() -> None:
    cat = catalog_mod.load()
    assert cat.by_id["anthropic.claude-opus-4-6-v1"].marketplace_product_id == "prod-5ukwuglpt66kg"
    assert cat.by_id["anthropic.claude-sonnet-4-6"].marketplace_product_id == "prod-ffvjxvh4ltq64"
    assert cat.by_id["anthropic.claude-opus-4-7"].marketplace_product_id == "prod-d2ik6zgct5hxi"


def test_current_models_are_in_the_catalog() -> None:
    cat = catalog_mod.load()
    for alias in (
        "claude-opus-4-8",
        "claude-opus-5",
        "claude-opus-5-5",
        "claude-sonnet-5",
        "pegasus-1-2",
        "marengo-embed-3-0",
        "stable-image-inpaint",
    ):
        assert cat.lookup(alias) is not None, alias


def test_profiles_aws_publishes_no_table_for_are_kept_apart_and_never_routed() -> None:
    """Kimi K3 (card @07f049df) names us.moonshotai.kimi-k3 without a per-source table."""
    cat = catalog_mod.load()
    kimi = cat.lookup("kimi-k3")
    assert kimi is not None
    assert "us" not in kimi.profiles and "global" in kimi.profiles
    assert kimi.unpublished["us"].profile_id == "us.moonshotai.kimi-k3"
    assert "us-east-1" in kimi.unpublished["us"].marked_sources
    assert "moonshotai.kimi-k3" not in {
        m.id for m in cat.models if any(not p.verified for p in m.profiles.values())
    }


def test_ports_opus_4_6_typo_is_known_and_the_real_id_has_no_suffix() -> None:
    cat = catalog_mod.load()
    assert cat.lookup("claude-opus-4-6").id == "anthropic.claude-opus-4-6-v1"  # type: ignore[union-attr]
    assert "anthropic.claude-opus-4-6-v1:0" in cat.wrong_ids


def test_catalog_src_records_every_disagreement_with_a_choice() -> None:
    extracted = json.loads((ROOT / "catalog-src/models.json").read_text(encoding="utf-8"))
    for record in extracted["models"]:
        for d in record.get("disagreements", []):
            assert d.get("fact") and d.get("says") and d.get("choice"), (record["id"], d)
            assert d.get("why"), (record["id"], d)


def test_every_page_cited_comes_from_an_ordered_snapshot() -> None:
    snapshots = json.loads((ROOT / "catalog-src/snapshots.json").read_text(encoding="utf-8"))
    known = {(s["repo"], s["commit"]) for s in [*snapshots["order"], *snapshots["unplaced"]]}
    for s in [*snapshots["order"], *snapshots["unplaced"]]:
        assert s["why"], s
    extracted = json.loads((ROOT / "catalog-src/models.json").read_text(encoding="utf-8"))
    for record in extracted["models"]:
        assert record["pages"], record["id"]
        for page in record["pages"].values():
            assert (page["repo"], page["commit"]) in known, (record["id"], page)


def test_catalog_src_is_what_the_extractor_makes_of_the_pages_when_they_are_here() -> None:
    """The page copies live outside the repository (/work/aws-pages, or a checkout); where
    they are, extracting again gives the committed file byte for byte."""
    pages = Path("/work/aws-pages")
    if not (pages / "c2hans+aws-docs").is_dir():
        pytest.skip("the AWS page snapshots are not on this machine")
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, str(ROOT / "tools/extract_model_cards.py"), str(pages), "-o", "-"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == (ROOT / "catalog-src/models.json").read_text(encoding="utf-8")


def test_catalog_is_reasonably_small() -> None:
    size = Path(catalog_mod.data_path("catalog.json")).stat().st_size
    assert size < 256 * 1024, size
