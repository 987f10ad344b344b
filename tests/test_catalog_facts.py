"""One test per kind of error the December 2026 audit found in catalog 2026-11-28 (issue 20),
each against facts read on AWS's own pages (the repository, path and commit of the copy are
named beside each), and each failing on that catalog:

- the newest source was a snapshot behind (models AWS lists now were missing);
- guessed routes over-granted (every Geo-marked Region from every source) and refused true
  sources; models.custom entries were widened the same way;
- "any Region" In-Region lists;
- aws-marketplace:Subscribe granted on any product;
- lifecycle: end-of-life models and Regions still granted;
- facts carried over from catalog 0.1 without a source; a GovCloud profile AWS documents was
  missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bedrock_gen.catalog import bundled
from conftest import ROOT, RunCli, report_data

C2HANS = "c2hans/aws-docs"
GUIDE = "docs/bedrock/latest/userguide"
BE7E = "be7e64fb3496d4d65d8c803e1ef9a8becb598e06"  # the newest models-at-a-glance index
CD71 = "cd716007bf8839d827364011e5844946e45ef6d1"  # Claude cards, model-lifecycle-legacy.md
F07 = "07f049dfc33192c866ab4c656d1d28406d1916af"  # gpt-oss, Kimi K3 cards
C0CF = "0cf87289f5b2143b6019ff35025a663af3b4ea95"  # Stability, Mistral Large cards

HEAD = """\
version: 1
name: gw
account_id: "123456789012"
"""
# A gateway with no product rules (Port's would judge its Region against every body here).
AUTH = """\
gateway: custom
auth:
  mode: access_keys
"""


def config(body: str) -> str:
    return HEAD + body + AUTH


@pytest.fixture
def validate(
    run_cli: RunCli, write_config: Callable[[str], Path]
) -> Callable[[str], tuple[int, str]]:
    def run(body: str) -> tuple[int, str]:
        result = run_cli("validate", str(write_config(config(body))))
        return result.code, result.out + result.err

    return run


@pytest.fixture
def render(
    run_cli: RunCli, write_config: Callable[[str], Path], tmp_path: Path
) -> Callable[[str], dict[str, Any]]:
    """The invoke policy a config renders (all parts' statements, one list)."""

    def run(body: str) -> dict[str, Any]:
        out = tmp_path / "out"
        result = run_cli("render", str(write_config(config(body))), "-o", str(out))
        assert result.code == 0, result.out + result.err
        statements = []
        for part in sorted((out / "iam").glob("bedrock-invoke-policy*.json")):
            statements += json.loads(part.read_text(encoding="utf-8"))["Statement"]
        return {"Statement": statements}

    return run


def resources(policy: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for st in policy["Statement"]:
        res = st.get("Resource", [])
        out |= {res} if isinstance(res, str) else set(res)
    return out


def model_arns(policy: dict[str, Any], model: str) -> set[str]:
    return {r for r in resources(policy) if r.endswith(f"foundation-model/{model}")}


# -- the newest snapshot ------------------------------------------------------------------------


def test_the_newest_models_aws_lists_are_in_the_catalog() -> None:
    """The five newest launches on AWS's cards (GLM 5.3 October 5, 2026; Grok 4.7 September
    28; GPT-6 Sol September 22; Kimi K3 September 18; GPT-6 Astra September 8), all on
    model-cards.md@be7e64fb: catalog 2026-11-28 had none of them."""
    cat = bundled.load()
    for model, launched in (
        ("zai.glm-5.3", "2026-10-05"),
        ("xai.grok-4.7", "2026-09-28"),
        ("openai.gpt-6-sol", "2026-09-22"),
        ("moonshotai.kimi-k3", "2026-09-18"),
        ("openai.gpt-6-astra", "2026-09-08"),
    ):
        assert cat.by_id[model].lifecycle.launch_date == launched, model
    assert cat.newest_source_date == "2026-10-05"
    assert cat.facts["index"] == f"model-cards@{BE7E[:8]}"


def test_every_model_of_the_newest_index_is_listed_by_models(run_cli: RunCli) -> None:
    """model-cards.md@be7e64fb lists 134 model cards; `bedrock-gen models --json` shows each
    with its lifecycle and the catalog's source dates."""
    extracted = json.loads((ROOT / "catalog-src/models.json").read_text(encoding="utf-8"))
    assert extracted["index"] == {
        "repo": C2HANS,
        "path": f"{GUIDE}/model-cards.md",
        "commit": BE7E,
        "cards": 134,
    }
    listed = {m["id"] for m in extracted["models"] if m.get("in_index")}
    assert len(listed) == 134
    result = run_cli("models", "--json")
    data = report_data(result.out)
    assert data["catalog_sources"] == {
        "read_on": "2026-12-04",
        "newest_source_date": "2026-10-05",
        "index": f"model-cards@{BE7E[:8]}",
    }
    shown = {m["id"]: m for m in data["models"]}
    assert listed <= set(shown)
    for mid in listed:
        assert shown[mid]["lifecycle"]["status"] in {"active", "legacy", "eol"}
    text = run_cli("models").out
    assert "LIFECYCLE" in text and "legacy, ends 2027-03-30" in text
    assert "AWS pages read 2026-12-04, newest page date 2026-10-05" in text


# -- no guessed routes --------------------------------------------------------------------------


def test_a_newer_per_source_table_is_granted_exactly_not_the_geo_marked_union(
    render: Callable[[str], dict[str, Any]],
) -> None:
    """Claude Opus 5, eu profile, called from eu-west-1: its card @cd716007 lists eu-central-1,
    eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3. Catalog 2026-11-28 inferred the
    routes (no table then) and also granted eu-central-2 and eu-west-2."""
    policy = render("regions: [eu-west-1]\nmodels: {ids: [claude-opus-5], geographies: [eu]}\n")
    regions = {a.split(":")[3] for a in model_arns(policy, "anthropic.claude-opus-5")}
    assert regions == {
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-3",
    }


def test_a_profile_aws_publishes_no_routes_for_is_refused_naming_both_fixes(
    validate: Callable[[str], tuple[int, str]],
) -> None:
    """Kimi K3's card (@07f049df) lists us.moonshotai.kimi-k3 but no per-source table: the
    bundled catalog cannot say where a call is served, so it grants nothing for it."""
    code, out = validate("regions: [us-east-1]\nmodels: {ids: [kimi-k3], geographies: [us]}\n")
    assert code == 1
    line = next(line for line in out.splitlines() if "[routes-unpublished]" in line)
    assert "us.moonshotai.kimi-k3" in line
    assert "bedrock-gen catalog fetch" in line and "routes: {us: {SOURCE: [DESTINATIONS]}}" in line
    assert line.startswith(str(Path(line.split(":")[0]))) and ": error: " in line


def test_the_user_gives_the_routes_aws_does_not_publish(
    render: Callable[[str], dict[str, Any]],
) -> None:
    policy = render(
        "regions: [us-east-1]\n"
        "models:\n"
        "  ids: [kimi-k3]\n"
        "  geographies: [us]\n"
        "  custom:\n"
        "    - id: moonshotai.kimi-k3\n"
        "      routes: {us: {us-east-1: [us-east-1, us-east-2]}}\n"
    )
    assert {a.split(":")[3] for a in model_arns(policy, "moonshotai.kimi-k3")} == {
        "us-east-1",
        "us-east-2",
    }


def test_a_true_source_aws_lists_is_granted(render: Callable[[str], dict[str, Any]]) -> None:
    """Claude Sonnet 5, au profile, from ap-southeast-2 (card @cd716007: to ap-southeast-2 and
    ap-southeast-4); catalog 2026-11-28 refused that source."""
    policy = render(
        "regions: [ap-southeast-2]\nmodels: {ids: [claude-sonnet-5], geographies: [au]}\n"
    )
    assert {a.split(":")[3] for a in model_arns(policy, "anthropic.claude-sonnet-5")} == {
        "ap-southeast-2",
        "ap-southeast-4",
    }


def test_a_custom_model_without_routes_is_granted_its_source_region_only(
    render: Callable[[str], dict[str, Any]], validate: Callable[[str], tuple[int, str]]
) -> None:
    """Catalog 2026-11-28 gave a custom model every Region any model's eu profile reaches."""
    body = (
        "regions: [eu-west-1]\n"
        "models:\n"
        "  geographies: [eu]\n"
        "  custom: [{id: acme.kestrel-9-v1:0, geographies: [eu]}]\n"
    )
    code, out = validate(body)
    assert code == 0 and "[custom-routes-assumed]" in out
    policy = render(body)
    assert model_arns(policy, "acme.kestrel-9-v1:0") == {
        "arn:aws:bedrock:eu-west-1::foundation-model/acme.kestrel-9-v1:0"
    }
    code, out = validate(body.replace("regions: [eu-west-1]\n", ""))
    assert code == 1 and "[custom-routes-needed]" in out


def test_custom_routes_are_checked(validate: Callable[[str], tuple[int, str]]) -> None:
    code, out = validate(
        "models:\n"
        "  geographies: [eu]\n"
        "  custom:\n"
        "    - id: acme.kestrel-9-v1:0\n"
        "      routes: {eu: {eu-wst-1: [eu-west-1, us-gov-west-1]}}\n"
    )
    assert code == 1
    assert "unknown AWS Region 'eu-wst-1'; did you mean 'eu-west-1'?" in out
    assert "[custom-routes-partition]" in out and "us-gov-west-1" in out


# -- In-Region from AWS, never "*" -------------------------------------------------------------


def test_no_model_is_on_demand_in_any_region() -> None:
    raw = bundled.load_raw()
    assert not [m["id"] for m in raw["models"] if "*" in m["in_region"]]


def test_in_region_lists_are_awss(
    validate: Callable[[str], tuple[int, str]], render: Callable[[str], dict[str, Any]]
) -> None:
    """Mistral Large (24.02), card @0cf87289: on demand in us-east-1, us-west-2, ca-central-1,
    eu-west-1, eu-west-2, eu-west-3, ap-south-1, ap-southeast-2, sa-east-1; catalog
    2026-11-28 said "any Region" and granted eu-central-1."""
    model = bundled.load().by_id["mistral.mistral-large-2402-v1:0"]
    assert model.in_region == {
        "us-east-1",
        "us-west-2",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "ap-south-1",
        "ap-southeast-2",
        "sa-east-1",
    }
    body = "regions: [eu-central-1, eu-west-1]\nmodels: {ids: [mistral-large], in_region: true}\n"
    code, _out = validate(body)
    assert code == 0
    policy = render(body)
    assert model_arns(policy, "mistral.mistral-large-2402-v1:0") == {
        "arn:aws:bedrock:eu-west-1::foundation-model/mistral.mistral-large-2402-v1:0"
    }


# -- Marketplace ------------------------------------------------------------------------------


def test_subscribe_is_never_granted_without_product_ids(
    validate: Callable[[str], tuple[int, str]], render: Callable[[str], dict[str, Any]]
) -> None:
    """Stability's cards (@0cf87289) give no product ID: catalog 2026-11-28 then granted
    aws-marketplace:Subscribe on '*' for any product. Now: an error naming the fix."""
    code, out = validate(
        "regions: [us-east-1]\n"
        "models: {ids: [claude-sonnet-4-5, stable-image-inpaint], geographies: [us]}\n"
        "marketplace: {subscribe: true}\n"
    )
    assert code == 1
    line = next(line for line in out.splitlines() if "[marketplace-product-id-unknown]" in line)
    assert "stable-image-inpaint" in line
    assert (
        "models.custom: [{id: stability.stable-image-inpaint-v1:0, marketplace_product_id" in line
    )
    policy = render(
        "regions: [us-east-1]\n"
        "models:\n"
        "  ids: [claude-sonnet-4-5, stable-image-inpaint]\n"
        "  geographies: [us]\n"
        "  custom: [{id: stability.stable-image-inpaint-v1:0, marketplace_product_id: prod-x1}]\n"
        "marketplace: {subscribe: true}\n"
    )
    subscribe = [st for st in policy["Statement"] if "aws-marketplace:Subscribe" in st["Action"]]
    assert len(subscribe) == 1
    assert subscribe[0]["Condition"] == {
        "ForAnyValue:StringEquals": {"aws-marketplace:ProductId": ["prod-mxcfnwvpd6kb4", "prod-x1"]}
    }


def test_allow_all_grants_no_unconditioned_subscribe(
    validate: Callable[[str], tuple[int, str]], render: Callable[[str], dict[str, Any]]
) -> None:
    """With models.allow: all, Subscribe names every product ID the catalog knows, and only
    those; validate says models without a known ID are not subscribed to."""
    body = "regions: [us-east-1]\nmodels: {allow: all, geographies: [us]}\n"
    body += "marketplace: {subscribe: true}\n"
    code, out = validate(body)
    assert code == 0 and "[marketplace-subscribe-all]" in out
    policy = render(body)
    (subscribe,) = [st for st in policy["Statement"] if "aws-marketplace:Subscribe" in st["Action"]]
    known = {
        m.marketplace_product_id
        for m in bundled.load().models
        if m.marketplace and m.marketplace_product_id
    }
    ids = subscribe["Condition"]["ForAnyValue:StringEquals"]["aws-marketplace:ProductId"]
    assert set(ids) == known and len(ids) > 10


@pytest.mark.parametrize(
    ("model", "product_id", "page"),
    [
        # the audit's B1-B3 and its "could not verify" list, and the cards read since
        ("anthropic.claude-opus-4-6-v1", "prod-5ukwuglpt66kg", CD71),
        ("anthropic.claude-sonnet-4-6", "prod-ffvjxvh4ltq64", CD71),
        ("anthropic.claude-opus-4-7", "prod-d2ik6zgct5hxi", CD71),
        ("ai21.jamba-1-5-large-v1:0", "prod-evcp4w4lurj26", CD71),
        ("cohere.command-r-v1:0", "prod-tukx4z3hrewle", C0CF),
        ("writer.palmyra-x5-v1:0", "prod-23enyy63orhuk", C0CF),
        ("luma.ray-v2:0", "prod-bi33bxqeqavl6", "096328775506889912b01ee15c22f4d2cff530d0"),
        ("twelvelabs.pegasus-1-2-v1:0", "prod-635pcy5x5pc2a", C0CF),
    ],
)
def test_product_ids_aws_publishes_are_filled(model: str, product_id: str, page: str) -> None:
    m = bundled.load().by_id[model]
    assert m.marketplace and m.marketplace_product_id == product_id
    assert any(s.endswith(f"@{page[:8]}") and s.startswith("model-card-") for s in m.sources)


# -- lifecycle ----------------------------------------------------------------------------------


def test_a_model_past_its_end_of_life_is_an_error(
    validate: Callable[[str], tuple[int, str]],
) -> None:
    """Jamba 1.5 Large: model-lifecycle-legacy.md@cd716007, us-east-1, EOL November 26, 2026
    (catalog 2026-11-28: a warning, and on demand "anywhere")."""
    code, out = validate(
        "regions: [us-east-1]\nmodels: {ids: [jamba-1-5-large], in_region: true}\n"
    )
    assert code == 1
    assert "end of life on 2026-11-26" in out and "[model-end-of-life]" in out


def test_a_region_past_its_end_of_life_is_not_granted(
    validate: Callable[[str], tuple[int, str]], render: Callable[[str], dict[str, Any]]
) -> None:
    """Claude 3 Haiku: EOL September 10, 2026 in eu-west-1 (and ten other Regions) on
    model-lifecycle-legacy.md@cd716007; its card (@5bdcdc50) still lists ap-northeast-2 for
    direct calls, where the page gives no date."""
    body = (
        "regions: [eu-west-1, ap-northeast-2]\nmodels: {ids: [claude-3-haiku], in_region: true}\n"
    )
    code, out = validate(body)
    assert code == 0
    assert "[model-region-end-of-life]" in out and "2026-09-10 in eu-west-1" in out
    policy = render(body)
    assert model_arns(policy, "anthropic.claude-3-haiku-20240307-v1:0") == {
        "arn:aws:bedrock:ap-northeast-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    }
    code, out = validate("regions: [eu-west-1]\nmodels: {ids: [claude-3-haiku], in_region: true}\n")
    assert code == 1 and "nothing callable is left" in out


def test_a_legacy_model_warns_with_its_end_of_life_date(
    validate: Callable[[str], tuple[int, str]],
) -> None:
    """DeepSeek-R1's card (@0963287) says Legacy, EOL March 30, 2027 (catalog 2026-11-28:
    active)."""
    code, out = validate("regions: [us-east-1]\nmodels: {ids: [deepseek-r1], geographies: [us]}\n")
    assert code == 0
    assert re.search(r"is Legacy: AWS ends it on 2027-03-30.*\[model-legacy\]", out)


def test_a_model_aws_no_longer_lists_is_retired(
    validate: Callable[[str], tuple[int, str]],
) -> None:
    """Claude 3.7 Sonnet is neither on model-cards.md@be7e64fb nor on
    model-lifecycle-legacy.md@cd716007 (catalog 2026-11-28: legacy, granted)."""
    code, out = validate("models: {ids: [claude-3-7-sonnet], geographies: [us]}\n")
    assert code == 1 and "it is retired" in out


# -- provenance -------------------------------------------------------------------------------


def test_every_fact_cites_a_page_copy_and_nothing_is_kept_from_0_1() -> None:
    raw = bundled.load_raw()
    for key, source in raw["sources"].items():
        assert re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")), key
        assert source["repo"] in {C2HANS, "crowecawcaw/aws-docs-history"}, key
        assert source["path"].startswith(GUIDE + "/"), key
    for m in raw["models"]:
        assert m["source"], m["id"]
    for name in ("models.json", "curation.json"):
        text = (ROOT / "catalog-src" / name).read_text(encoding="utf-8")
        assert "kept from catalog 0.1" not in text and "from 0.1" not in text
    assert not (ROOT / "catalog-src/models-kept.json").exists()


def test_the_govcloud_profile_aws_documents_is_there() -> None:
    """gpt-oss-120b, card @07f049df: us-gov.openai.gpt-oss-120b-1:0 from us-gov-east-1 to both
    GovCloud Regions. Its availability table marks us-gov-west-1 Geo = No while the routing
    table lists it: both recorded, the narrower grant chosen."""
    m = bundled.load().by_id["openai.gpt-oss-120b-1:0"]
    assert dict(m.profiles["us-gov"].routes) == {
        "us-gov-east-1": ("us-gov-east-1", "us-gov-west-1")
    }
    raw = next(r for r in bundled.load_raw()["models"] if r["id"] == m.id)
    (decision,) = [d for d in raw["decisions"] if d["fact"] == "profiles.us-gov.sources"]
    assert "us-gov-west-1" in decision["choice"] and "narrower" in decision["why"]


def test_custom_in_region_names_its_regions(render: Callable[[str], dict[str, Any]]) -> None:
    policy = render(
        "regions: [eu-west-1, eu-central-1]\n"
        "models:\n"
        "  in_region: true\n"
        "  custom: [{id: acme.kestrel-9-v1:0, in_region: [eu-central-1]}]\n"
    )
    assert model_arns(policy, "acme.kestrel-9-v1:0") == {
        "arn:aws:bedrock:eu-central-1::foundation-model/acme.kestrel-9-v1:0"
    }
