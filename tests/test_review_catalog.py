"""Catalog facts a reviewer can trust: a listing that looks filtered is said to look so (its
absences are not reported as removals), and every error an overlay causes names the overlay
with the line to look at."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bedrock_gen.catalog import bundled
from conftest import ROOT, RunCli, report_data

DATA = ROOT / "tests/data/aws"
ACCOUNT = "111122223333"


def _listing(region: str, keep: int | None = None) -> dict[str, Any]:
    """A list-inference-profiles output of ``region`` as the bundled catalog has it (every
    profile callable from there, or the first ``keep``)."""
    summaries = []
    for m in bundled.load().models:
        for geo, profile in sorted(m.profiles.items()):
            if region not in profile.routes:
                continue
            pid = f"{geo}.{m.id}"
            dests = [""] if profile.is_global else list(profile.routes[region])
            if profile.is_global:
                dests.append(region)
            summaries.append(
                {
                    "inferenceProfileName": pid,
                    "inferenceProfileArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:"
                    f"inference-profile/{pid}",
                    "inferenceProfileId": pid,
                    "models": [
                        {"modelArn": f"arn:aws:bedrock:{d}::foundation-model/{m.id}"} for d in dests
                    ],
                    "status": "ACTIVE",
                    "type": "SYSTEM_DEFINED",
                }
            )
    return {"inferenceProfileSummaries": summaries[:keep]}


def test_a_listing_that_lacks_most_profiles_is_asked_about_not_reported_as_removals(
    run_cli: RunCli, tmp_path: Path
) -> None:
    listing = tmp_path / "eu-west-1.profiles.json"
    listing.write_text(json.dumps(_listing("eu-west-1", keep=4)))
    result = run_cli("catalog", "diff", str(listing))
    assert result.code == 1  # cannot say the catalog agrees
    assert "Routes (per source Region)" not in result.out  # no table of "removed" routes
    assert "The listing looks filtered" in result.out
    assert re.search(
        r"note: The list-inference-profiles listing of eu-west-1 names 4 of the \d+ profiles "
        r"callable from eu-west-1 in the bundled catalog: was it filtered",
        result.out,
    ), result.out
    data = report_data(run_cli("catalog", "diff", "--format", "json", str(listing)).out)
    assert data["routes"] == [] and data["profiles_removed"] == []
    (suspect,) = data["looks_filtered"]
    assert suspect["region"] == "eu-west-1" and suspect["listed"] == 4
    assert data["not_reported"] > 20

    # --complete: the user says it is the whole listing, so what it lacks is gone
    complete = report_data(
        run_cli("catalog", "diff", "--complete", "--format", "json", str(listing)).out
    )
    assert "looks_filtered" not in complete
    assert len([r for r in complete["routes"] if r["change"] == "removed"]) > 20


def test_a_complete_listing_is_compared_without_a_question(run_cli: RunCli, tmp_path: Path) -> None:
    listing = tmp_path / "eu-west-1.profiles.json"
    listing.write_text(json.dumps(_listing("eu-west-1")))
    result = run_cli("catalog", "diff", str(listing))
    assert (result.code, result.out) == (0, "The bundled catalog agrees with these outputs.\n")


def test_a_filtered_model_listing_is_asked_about(run_cli: RunCli) -> None:
    result = run_cli("catalog", "diff", str(DATA / "list-foundation-models.us-east-1.json"))
    assert result.code == 1
    assert "The list-foundation-models listing of us-east-1 names" in result.out
    # nothing it lacks is reported as removed on-demand support (a row it adds may remain)
    assert not re.search(r"\byes +no *$", result.out, re.M), result.out


def test_a_malformed_overlay_error_points_into_the_overlay(run_cli: RunCli, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.json"
    overlay.write_text(
        '{\n  "bedrock_gen_overlay": 1,\n  "models": {\n    "acme.x-v1:0": {\n'
        '      "profiles": {"us": {"us-east-1": ["*"]}}\n    }\n  }\n}\n'
    )
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        "version: 1\nname: gw\ncatalog: overlay.json\nmodels:\n  ids: [claude-sonnet-4-5]\n"
        "  geographies: [eu]\nauth:\n  mode: assume_role\n  external_id: abc-123\n"
    )
    result = run_cli("validate", str(config))
    assert result.code == 1
    line = result.out.splitlines()[0]
    column = '      "profiles": {"us": {"us-east-1": ["*"]}}'.index('"*"') + 1
    assert line.startswith(
        f"{overlay}:5:{column}: error: catalog overlay overlay.json (of {config}): "
        "malformed overlay: models.acme.x-v1:0.profiles.us.us-east-1[0]: '*' is not a valid name"
    ), line


def test_an_error_only_the_overlay_causes_names_it_and_its_entry(
    run_cli: RunCli, tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay.json"
    imported = run_cli(
        "catalog",
        "import",
        str(DATA / "list-inference-profiles.us-east-1.json"),
        "-o",
        str(overlay),
    )
    assert imported.code == 0
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        "version: 1\nname: gw\ncatalog: overlay.json\nregions: [us-east-1]\nmodels:\n"
        "  ids: [claude-haiku-4-5]\n  geographies: [us]\nauth:\n  mode: assume_role\n"
        "  external_id: abc-123\n"
    )
    result = run_cli("validate", str(config))
    assert result.code == 1
    text = overlay.read_text()
    listed = text[: text.index('"us-east-1"', text.index('"inference_profiles"'))]
    where = f"{listed.count(chr(10)) + 1}:{len(listed) - listed.rindex(chr(10))}"
    assert f"(this comes from the catalog overlay overlay.json:{where}:" in result.out, result.out
    # the same config without the overlay is valid: the bundled catalog allows it
    config.write_text(config.read_text().replace("catalog: overlay.json\n", ""))
    assert run_cli("validate", str(config)).code == 0
