#!/usr/bin/env python3
"""A synthetic but realistically sized dump of Amazon Bedrock's catalog APIs for 30 Regions,
to time ``bedrock-gen catalog import`` on what ``aws bedrock ... --output json`` run in every
Region of a real account produces.

    python bench/aws_dump.py OUTDIR
    bedrock-gen catalog import OUTDIR/*.json -o overlay.json

Per Region it writes ``REGION.list-inference-profiles.json`` (``inferenceProfileSummaries``)
and ``REGION.list-foundation-models.json`` (``modelSummaries``), shaped like the AWS CLI's
output (4-space indent, every field ListInferenceProfiles and ListFoundationModels return).
The routes are the bundled catalog's, so the dump agrees with it where both speak, plus
synthetic models up to the sizes real accounts see in 2026 (about 130 system-defined profiles
and 160 foundation-model entries in a large Region). The account ID is the documentation
account 111122223333. The output is deterministic: the same files on every run.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "generator/bedrock_gen/data/catalog.json"
ACCOUNT = "111122223333"
REGIONS = (
    "af-south-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)
SYNTHETIC_MODELS = 40  # extra profile-routed models (new releases the bundled catalog lacks)
VARIANTS = (":28k", ":200k", ":300k", ":mm")  # provisioned-only context-length variants
STAMP = "2026-03-02T17:00:00+00:00"


def routes_of(catalog: dict, spec: object) -> dict[str, list[str]]:
    groups = catalog["route_tables"][spec] if isinstance(spec, str) else spec
    out: dict[str, list[str]] = {}
    for group in groups:  # type: ignore[union-attr]
        for source in group["from"]:
            out[source] = sorted(group["to"])
    return out


def profile_summary(
    region: str, geo: str, model: str, name: str, dests: list[str], is_global: bool
) -> dict:
    fm = "arn:aws:bedrock:{}::foundation-model/" + model
    arns = [fm.format(""), fm.format(region)] if is_global else [fm.format(d) for d in dests]
    return {
        "inferenceProfileName": f"{geo.upper()} {name}",
        "description": (
            f"Routes requests to {name} globally across all supported AWS Regions."
            if is_global
            else f"Routes requests to {name} in {', '.join(dests)}."
        ),
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "inferenceProfileArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:inference-profile/"
        f"{geo}.{model}",
        "models": [{"modelArn": a} for a in arns],
        "inferenceProfileId": f"{geo}.{model}",
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
    }


def model_summary(
    region: str, model: str, name: str, provider: str, types: list[str], status: str
) -> dict:
    return {
        "modelArn": f"arn:aws:bedrock:{region}::foundation-model/{model}",
        "modelId": model,
        "modelName": name,
        "providerName": provider,
        "inputModalities": ["TEXT", "IMAGE"],
        "outputModalities": ["TEXT"],
        "responseStreamingSupported": True,
        "customizationsSupported": [],
        "inferenceTypesSupported": types,
        "modelLifecycle": {"status": status, "startOfLifeTime": STAMP},
    }


def main(out: Path) -> None:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    geos = catalog["geographies"]
    rng = random.Random(20260302)
    models = []  # (id, name, provider, status, in_region, {geo: routes})
    for m in catalog["models"]:
        routes = {g: routes_of(catalog, spec) for g, spec in m.get("profiles", {}).items()}
        models.append(
            (
                m["id"],
                m["name"],
                m["provider"].title(),
                m["status"],
                set(m.get("in_region", ())),
                routes,
            )
        )
    donors = [m for m in models if any(set(t) & set(REGIONS) for t in m[5].values())]
    for i in range(SYNTHETIC_MODELS):
        donor = donors[i % len(donors)]
        models.append(
            (
                f"synth.model-{i:02d}-v1:0",
                f"Synth Model {i:02d}",
                "Synth",
                "active",
                {"*"} if i % 3 == 0 else set(),
                donor[5],
            )
        )
    out.mkdir(parents=True, exist_ok=True)
    for region in REGIONS:
        profiles, summaries = [], []
        for mid, name, provider, status, in_region, routes in models:
            routed = False
            for geo, table in sorted(routes.items()):
                if region not in table:
                    continue
                routed = True
                is_global = bool(geos[geo].get("global"))
                profiles.append(profile_summary(region, geo, mid, name, table[region], is_global))
            on_demand = region in in_region or "*" in in_region
            if not routed and not on_demand:
                continue
            types = (["ON_DEMAND"] if on_demand else []) + (["INFERENCE_PROFILE"] if routed else [])
            aws_status = "LEGACY" if status in ("legacy", "eol") else "ACTIVE"
            summaries.append(model_summary(region, mid, name, provider, types, aws_status))
            if rng.random() < 0.3:
                for v in VARIANTS[: rng.randint(1, len(VARIANTS))]:
                    summaries.append(
                        model_summary(region, mid + v, name, provider, ["PROVISIONED"], aws_status)
                    )
        (out / f"{region}.list-inference-profiles.json").write_text(
            json.dumps({"inferenceProfileSummaries": profiles}, indent=4) + "\n", encoding="utf-8"
        )
        (out / f"{region}.list-foundation-models.json").write_text(
            json.dumps({"modelSummaries": summaries}, indent=4) + "\n", encoding="utf-8"
        )
    files = sorted(out.glob("*.json"))
    size = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} files ({size / 1e6:.1f} MB) for {len(REGIONS)} Regions to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python bench/aws_dump.py OUTDIR")
    main(Path(sys.argv[1]))
