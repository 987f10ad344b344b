# ruff: noqa: E501 -- the Markdown tables below are AWS page text; keep their width
"""The maintainer's extractor (tools/extract_model_cards.py): AWS's page formats (icon alt
texts, image icons, words, per-endpoint availability tables, GovCloud rows in a us. table),
the newest copy of each page by snapshot order, and the same bytes from the same pages."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("extract", ROOT / "tools/extract_model_cards.py")
assert _spec is not None and _spec.loader is not None
extract = importlib.util.module_from_spec(_spec)
sys.modules["extract"] = extract
_spec.loader.exec_module(extract)

G = "![Green circle with white checkmark icon.](https://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-yes.png)"
R = "![Red circle with white X icon indicating error, cancel, or close action.](https://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-no.png)"
Y = "![supported](http://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-yes.png)"
N = "![not-supported](http://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-no.png)"
OLD = "1111111111111111111111111111111111111111"
NEW = "2222222222222222222222222222222222222222"
LOOSE = "3333333333333333333333333333333333333333"
REPO = "example/aws-docs"

INDEX = """# Models at a glance

| Logo | Provider | Supported models |
| --- | --- | --- |
| Acme logo. | [Acme](model-cards-acme.md "model-cards-acme.md") | [Kestrel 9](model-card-acme-kestrel-9.md "model-card-acme-kestrel-9.md"), [Wren 2](model-card-acme-wren-2.md) |
"""

KESTREL = f"""# Kestrel 9

## Model Details

+ **Model launch date:** 18th Sept 2026
+ **Model EOL date:** No sooner than 4/3/2027
+ **Model lifecycle:** Active
+ **Marketplace product ID:** `prod-abc123`

## Programmatic Access

| **Endpoint** | **Model ID** | **In-Region endpoint URL** | **Geo inference ID** | **Global inference ID** |
| --- | --- | --- | --- | --- |
| bedrock-runtime | acme.kestrel-9 | N/A | `us.acme.kestrel-9`<br />`eu.acme.kestrel-9` | global.acme.kestrel-9 |
| bedrock-mantle | acme.kestrel-9 | https://bedrock-mantle.{{region}}.api.aws/v1 | N/A | N/A |

## Regional Availability

**Availability using the `bedrock-mantle` endpoint**

| **Region** | **In-Region** | **Geo** | **Global** |
| --- | --- | --- | --- |
| us-east-1 (N. Virginia) | {G} | {R} | {R} |

**Availability using the `bedrock-runtime` endpoint**

| **Region** | **In-Region** | **Geo** | **Global** |
| --- | --- | --- | --- |
| us-east-1 (N. Virginia) | {R} | {G} | {G} |
| us-west-2 (Oregon) | {R} | {G} | {G} |
| us-gov-west-1 (GovCloud) | {R} | {R} | {R} |
| eu-west-1 (Ireland) | {R} | {G} | {G} |

***Geo inference details***

**Geo: US**

Geo inference ID: `us.acme.kestrel-9`

| **Source Region** | **Destination Regions** |
| --- | --- |
| us-east-1 (N. Virginia) | us-east-1 (N. Virginia), us-west-2 (Oregon) |
| us-west-2 (Oregon) | us-west-2 (Oregon) |
| us-gov-east-1 (AWS GovCloud (US-East)) | us-gov-east-1 (AWS GovCloud (US-East)), us-gov-west-1 (AWS GovCloud (US-West)) |
| us-gov-west-1 (AWS GovCloud (US-West)) | us-gov-east-1 (AWS GovCloud (US-East)), us-gov-west-1 (AWS GovCloud (US-West)) |
"""

WREN_OLD = f"""# Wren 2

+ **Model lifecycle:** Active

| **Endpoint** | **Model ID** | **In-Region endpoint URL** | **Geo inference ID** | **Global inference ID** |
| --- | --- | --- | --- | --- |
| bedrock-runtime | acme.wren-2-v1:0 | https://bedrock-runtime.{{region}}.amazonaws.com | Not supported | Not supported |

| **Region** | **In-Region** | **Geo** | **Global** |
| --- | --- | --- | --- |
| `us-east-1` (N. Virginia) | {Y} | {N} | {N} |
| `eu-central-1` (Frankfurt) | {Y} | {N} | {N} |
"""

WREN_NEW = """# Wren 2

+ **Model lifecycle:** Legacy
+ **Model EOL date:** March 30, 2027

| **Endpoint** | **Model ID** | **In-Region endpoint URL** | **Geo inference ID** | **Global inference ID** |
| --- | --- | --- | --- | --- |
| bedrock-runtime | acme.wren-2-v1:0 | https://bedrock-runtime.{region}.amazonaws.com | Not supported | Not supported |

| **Source Region** | **In-Region** | **US Geo CRIS** | **Global CRIS** |
| --- | --- | --- | --- |
| us-east-1 | Supported | Not supported | Not supported |

<!-- table continues: rows after us-east-1 were not read -->
"""

LEGACY = """# Model lifecycle (Legacy)

- **Acme**
  - **Model name:** Wren 1
  - **Model ID:** acme.wren-1-v1:0
  - **Regions:** us-east-1, us-west-2
  - **Legacy date:** March 10, 2026
  - **EOL date:** September 10, 2026
  - **Public extended access start date:** June 10, 2026

- **Acme**
  - **Model name:** Wren 2
  - **Model ID:** acme.wren-2-v1:0
  - **Regions:** us-east-1 / **Legacy date:** March 10, 2026 / **EOL date:** September 10, 2026 / **Public extended access start date:** June 10, 2026
  - **Regions:** eu-central-1 / **Legacy date:** March 10, 2026 / **EOL date:** March 30, 2027 / **Public extended access start date:** June 10, 2026

- **Command R**
  - **Model name:** cohere.command-r-v1:0
  - **Model ID:** us-east-1, us-west-2
  - **Regions:** February 19, 2026
  - **Legacy date:** August 19, 2026
  - **EOL date:** May 19, 2026
"""

PRODUCT_IDS = """# Use product ID condition keys to control access

**Note**
Models from the following providers aren't sold through AWS Marketplace and don't have product keys, so you can't scope the `aws-marketplace` actions to them:
Amazon
Meta
You can, however, prevent the usage of these models.

| Model | Product ID |
| --- | --- |
| Acme Wren 0 | prod-wren0 |
"""


def store(root: Path, pages: dict[tuple[str, str], str]) -> Path:
    for (commit, name), text in pages.items():
        path = root / "example+aws-docs" / commit / extract.GUIDE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def snapshots(path: Path, unplaced: tuple[str, ...] = (LOOSE,)) -> Path:
    path.write_text(
        json.dumps(
            {
                "read_on": "2026-12-04",
                "order": [
                    {"repo": REPO, "commit": OLD, "why": "older"},
                    {"repo": REPO, "commit": NEW, "why": "newer"},
                ],
                "unplaced": [{"repo": REPO, "commit": c, "why": "?"} for c in unplaced],
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return store(
        tmp_path / "pages",
        {
            (OLD, "model-cards.md"): INDEX.replace(", [Wren 2](model-card-acme-wren-2.md)", ""),
            (NEW, "model-cards.md"): INDEX,
            (OLD, "model-card-acme-wren-2.md"): WREN_OLD,
            (NEW, "model-card-acme-wren-2.md"): WREN_NEW,
            (LOOSE, "model-card-acme-kestrel-9.md"): KESTREL,
            (NEW, "model-lifecycle-legacy.md"): LEGACY,
            (OLD, "model-access-product-ids.md"): PRODUCT_IDS,
        },
    )


def run(pages: Path, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "models.json"
    code = extract.main(
        [
            str(pages),
            "--snapshots",
            str(snapshots(tmp_path / "snapshots.json")),
            "-o",
            str(out),
            *extra,
        ]
    )
    return (
        code,
        json.loads(out.read_text(encoding="utf-8")) if code == 0 else {},
        (out.read_text(encoding="utf-8") if code == 0 else ""),
    )


def test_routes_profiles_and_in_region_come_from_the_card_exactly(
    pages: Path, tmp_path: Path
) -> None:
    code, data, _ = run(pages, tmp_path)
    assert code == 0
    k = next(m for m in data["models"] if m["id"] == "acme.kestrel-9")
    assert k["pages"]["card"] == {
        "repo": REPO,
        "path": f"{extract.GUIDE}/model-card-acme-kestrel-9.md",
        "commit": LOOSE,
    }
    assert k["marketplace_product_id"] == "prod-abc123"
    assert k["lifecycle"] == {
        "status": "active",
        "launch_date": "2026-09-18",
        "eol_no_sooner_than": "2027-04-03",
    }
    # runtime In-Region URL N/A: no direct calls there; mantle's own table gives its Regions
    assert k["endpoints"]["bedrock-runtime"]["in_region"] == []
    assert k["endpoints"]["bedrock-mantle"]["in_region"] == ["us-east-1"]
    # the us table exactly (us-west-2 routes only to itself)
    assert k["profiles"]["us"]["routes"] == {
        "us-east-1": ["us-east-1", "us-west-2"],
        "us-west-2": ["us-west-2"],
    }
    # GovCloud rows of the us. table: filed under us-gov; us-gov-west-1 is Geo = No in the
    # availability table, so only us-gov-east-1 is a source (the narrower grant)
    assert k["profiles"]["us-gov"]["routes"] == {
        "us-gov-east-1": ["us-gov-east-1", "us-gov-west-1"]
    }
    facts = [d["fact"] for d in k["disagreements"]]
    assert facts == ["profiles.us-gov", "profiles.us-gov.sources"]
    # eu: a profile ID without a table is unpublished, with the Regions the card marks
    assert k["profiles"]["eu"] == {
        "profile_id": "eu.acme.kestrel-9",
        "routes": None,
        "marked_sources": ["eu-west-1"],
        "why": "the card lists the profile ID but no per-source routing table",
    }
    # global: no table, so the availability table's Global column
    assert k["profiles"]["global"]["sources"] == ["eu-west-1", "us-east-1", "us-west-2"]


def test_the_newest_copy_of_each_page_wins(pages: Path, tmp_path: Path) -> None:
    code, data, _ = run(pages, tmp_path)
    assert code == 0
    assert data["index"]["commit"] == NEW and data["index"]["cards"] == 2
    w = next(m for m in data["models"] if m["id"] == "acme.wren-2-v1:0")
    assert w["pages"]["card"]["commit"] == NEW
    assert w["lifecycle"] == {"status": "legacy", "eol_date": "2027-03-30"}
    # the words format, and a partial table noted
    assert w["endpoints"]["bedrock-runtime"]["in_region"] == ["us-east-1"]
    assert w["endpoints"]["bedrock-runtime"]["partial"] == ["rows after us-east-1 were not read"]
    assert w["lifecycle_page"] == [
        {
            "regions": ["us-east-1"],
            "legacy_date": "2026-03-10",
            "eol_date": "2026-09-10",
            "extended_access_date": "2026-06-10",
        },
        {
            "regions": ["eu-central-1"],
            "legacy_date": "2026-03-10",
            "eol_date": "2027-03-30",
            "extended_access_date": "2026-06-10",
        },
    ]
    # a model only the lifecycle page names, and the entry whose labels AWS shifted by one
    w1 = next(m for m in data["models"] if m["id"] == "acme.wren-1-v1:0")
    assert w1["in_index"] is False and w1["pages"] == {"lifecycle": w["pages"]["lifecycle"]}
    r = next(m for m in data["models"] if m["id"] == "cohere.command-r-v1:0")
    assert r["lifecycle_page"] == [
        {
            "regions": ["us-east-1", "us-west-2"],
            "legacy_date": "2026-02-19",
            "eol_date": "2026-08-19",
            "extended_access_date": "2026-05-19",
        }
    ]
    assert "shifted by one" in r["notes"][0]
    assert data["product_ids_page"]["not_marketplace_providers"] == ["Amazon", "Meta"]
    assert data["newest_page_date"] == "2026-09-18"


def test_the_same_pages_give_the_same_bytes(pages: Path, tmp_path: Path) -> None:
    _, _, first = run(pages, tmp_path)
    copy = store(tmp_path / "again", {})
    import shutil

    shutil.copytree(pages / "example+aws-docs", copy / "example+aws-docs", dirs_exist_ok=True)
    _, _, second = run(copy, tmp_path)
    assert first == second and first.endswith("\n")


def test_a_git_checkout_is_read_like_a_store(pages: Path, tmp_path: Path) -> None:
    tree = tmp_path / "checkout"
    (tree / extract.GUIDE).mkdir(parents=True)
    for name in ("model-cards.md", "model-card-acme-wren-2.md"):
        src = pages / "example+aws-docs" / NEW / extract.GUIDE / name
        (tree / extract.GUIDE / name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    kestrel = store(tmp_path / "k", {(LOOSE, "model-card-acme-kestrel-9.md"): KESTREL})
    code, data, _ = run(kestrel, tmp_path, "--checkout", f"{REPO}@{NEW}={tree}")
    assert code == 0
    assert {m["id"] for m in data["models"]} == {"acme.kestrel-9", "acme.wren-2-v1:0"}


def test_unknown_and_unplaced_snapshots_are_refused(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store(pages, {("4444444444444444444444444444444444444444", "model-cards.md"): INDEX})
    code, _, _ = run(pages, tmp_path)
    assert code == 1
    assert "is not in snapshots.json" in capsys.readouterr().err
    fresh = store(
        tmp_path / "p2",
        {
            (NEW, "model-card-acme-kestrel-9.md"): KESTREL,
            (LOOSE, "model-card-acme-kestrel-9.md"): KESTREL,
        },
    )
    code, _, _ = run(fresh, tmp_path)
    assert code == 1
    assert "one of them from an unplaced snapshot" in capsys.readouterr().err


def test_a_card_the_index_lists_but_no_snapshot_holds_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = store(tmp_path / "p", {(NEW, "model-cards.md"): INDEX})
    code, _, _ = run(pages, tmp_path)
    assert code == 1
    assert "lists cards no snapshot holds: model-card-acme-kestrel-9" in capsys.readouterr().err


def test_cell_formats() -> None:
    for cell in (G, Y, "Supported", "Yes", "✅"):
        assert extract.flag(cell) is True
    for cell in (R, N, "Not supported", "No", "N/A", "❌"):
        assert extract.flag(cell) is False
    assert extract.parse_date("Legacy: July 7, 2026") == "2026-07-07"
    assert extract.parse_date("Aug 2024") == "2024-08"
