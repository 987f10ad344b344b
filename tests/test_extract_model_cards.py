# ruff: noqa: E501 -- the Markdown tables below are verbatim AWS page text; keep their width
"""The maintainer's extractor (tools/extract_model_cards.py) on the formats AWS's model cards
have used: padded icon alt texts, image icons, words, per-endpoint availability tables."""

from __future__ import annotations

import datetime
import importlib.util
import sys

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("extract", ROOT / "tools/extract_model_cards.py")
assert _spec is not None and _spec.loader is not None
extract = importlib.util.module_from_spec(_spec)
sys.modules["extract"] = extract
_spec.loader.exec_module(extract)

Y = "Green circle with white checkmark icon."
N = "Red circle with white X icon indicating error, cancel, or close action."
IMG_Y = (
    "![supported](https://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-yes.png)"
)
IMG_N = "![not-supported](https://docs.aws.amazon.com/bedrock/latest/userguide/images/icons/icon-no.png)"

RAW = f"""# Claude Example

## Model Details

- **Model lifecycle:** Active
- **Marketplace product ID:** `prod-abc123`

| **Endpoint**      | **Model ID**                | **In-Region endpoint URL** | **Geo inference ID**                                         | **Global inference ID**            |
| ----------------- | --------------------------- | -------------------------- | ------------------------------------------------------------ | ---------------------------------- |
| `bedrock-runtime` | `anthropic.claude-example`  | N/A                        | `us.anthropic.claude-example``us-gov.anthropic.claude-example` | `global.anthropic.claude-example` |
| `bedrock-mantle`  | `anthropic.claude-example`  | `https://bedrock-mantle.{{region}}.api.aws/anthropic/v1/messages` | N/A | N/A |

| **Region**                     | **In-Region**  | **Geo**   | **Global** |
| ------------------------------ | -------------- | --------- | ---------- |
| `us-east-1` (N. Virginia)      | {Y}            | {Y}       | {Y}        |
| `us-west-1` (N. California)    | {N}            | {Y}       | {Y}        |
| `us-gov-west-1` (GovCloud)     | {N}            | {Y}       | {N}        |

**Geo: US**

Geo Inference ID: `us.anthropic.claude-example`

| **Source Region**         | **Destination Regions**                                                                  |
| ------------------------- | ---------------------------------------------------------------------------------------- |
| us-east-1 (N. Virginia)   | us-east-1 (N. Virginia), us-east-2 (Ohio), us-west-2 (Oregon)                            |
| us-west-1 (N. California) | us-east-1 (N. Virginia), us-east-2 (Ohio), us-west-1 (N. California), us-west-2 (Oregon) |
| us-gov-west-1 (AWS GovCloud (US-West)) | us-gov-east-1 (AWS GovCloud (US-East)), us-gov-west-1 (AWS GovCloud (US-West)) |

| **Global Inference ID** | **Americas** | **EMEA** | **Asia Pacific** |
| --- | --- | --- | --- |
| global.anthropic.claude-example | • us-east-1 (N. Virginia)<br>• us-west-1 (N. California) | • eu-west-1 (Ireland) | • ap-northeast-1 (Tokyo) |
"""

NEW = f"""# New Example

+ **Model lifecycle:** Legacy
+ **Model EOL date:** January 1, 2026

| **Endpoint** | **Model ID** | **In-Region endpoint URL** | **Geo inference ID** | **Global inference ID** |
| --- | --- | --- | --- | --- |
| bedrock-runtime | meta.example-v1:0 | https://bedrock-runtime.{{region}}.amazonaws.com | us.meta.example-v1:0 | Not supported |

Availability differs by endpoint.

**Availability using the `bedrock-runtime` endpoint**


| **Region** | **In-Region** | **Geo** | **Global** |
| --- | --- | --- | --- |
| us-east-2 (Ohio) | {IMG_Y} | {IMG_Y} | {IMG_N} |
| us-west-2 (Oregon) | No | Yes | No |
"""


def test_cards_of_every_known_format_give_routes_in_region_and_status() -> None:
    rec, _probs = extract.parse_card(RAW, "raw.md")
    v = extract.card_view(rec, {}, datetime.date(2026, 11, 28))
    assert rec["id"] == "anthropic.claude-example", rec["id"]
    assert v["marketplace_product_id"] == "prod-abc123"
    assert v["in_region"] == [], v["in_region"]  # runtime URL N/A -> mantle marks ignored
    assert v["profiles"]["us"]["routes"]["us-west-1"] == [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ]
    assert v["profiles"]["us-gov"]["routes"]["us-gov-west-1"] == ["us-gov-east-1", "us-gov-west-1"]
    assert "us-gov-west-1" not in v["profiles"]["us"]["routes"]
    assert v["profiles"]["global"]["sources"] == [
        "ap-northeast-1",
        "eu-west-1",
        "us-east-1",
        "us-west-1",
    ]
    rec2, _ = extract.parse_card(NEW, "new.md")
    v2 = extract.card_view(rec2, {}, datetime.date(2026, 11, 28))
    assert v2["status"] == "eol", v2["status"]  # EOL date passed
    assert v2["in_region"] == ["us-east-2"], v2["in_region"]
    assert v2["profiles"]["us"]["routes"] == {} and v2["profiles"]["us"][
        "sources_from_availability"
    ] == ["us-east-2", "us-west-2"]
    assert extract.cell_flag("supported") is True and extract.cell_flag("not-supported") is False
