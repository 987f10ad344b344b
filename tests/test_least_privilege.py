"""Zero over-grant and zero under-grant, checked by an independent evaluator.

``evaluator.py`` shares no code with bedrock_gen; it reads the generated JSON and the catalog
data. For random configs drawn from the whole catalog it checks, call by call:

- every selected (model, geography) can be called from every allowed source Region, wherever
  Bedrock routes it (every destination Region; the Region-less ARN for global profiles);
- nothing else can: no other model, no other geography, no source Region that is not pinned,
  no other account, no foundation model in a Region its profile does not route to, and no
  direct (profile-less) call unless ``in_region`` asks for it.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import evaluator as ev
from bedrock_gen.access.resolve import resolve
from bedrock_gen.catalog import bundled as catalog_mod
from bedrock_gen.load.yaml_source import load_text
from bedrock_gen.validate.passes import validate

CAT = ev.load_catalog()
ROUTES = ev.routes(CAT)
COMMERCIAL = sorted(r for r, v in CAT["regions"].items() if v["partition"] == "aws")
# every model with a commercial profile, except those with a profile AWS publishes no routes for
# (validate refuses those in a geography the config chooses)
MODELS = sorted(
    m["id"]
    for m in CAT["models"]
    if any(g != "us-gov" for g in m.get("profiles", {})) and not m.get("unpublished")
)
GEOS = sorted(g for g, v in CAT["geographies"].items() if v["partition"] == "aws")
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "999988887777"


OFFERS = {g: sorted({r.model for r in ROUTES if r.geography == g}) for g in GEOS}


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    first = draw(st.sampled_from([g for g in GEOS if OFFERS[g]]))
    models = draw(st.lists(st.sampled_from(OFFERS[first]), min_size=1, max_size=4, unique=True))
    geos = [first, *draw(st.lists(st.sampled_from(GEOS), max_size=2, unique=True))]
    geos = sorted(set(geos))
    scope = draw(st.sampled_from(["none", "account", "regions", "both"]))
    cfg: dict[str, Any] = {
        "version": 1,
        "name": "gw",
        "models": {"ids": models, "geographies": geos},
        "auth": {"mode": "access_keys"},
    }
    if scope in ("account", "both"):
        cfg["account_id"] = ACCOUNT
    if scope in ("regions", "both"):
        per_geo = [
            sorted({r.source for r in ROUTES if r.model in models and r.geography == g})
            for g in geos
        ]
        regions = {draw(st.sampled_from(s)) for s in per_geo if s}
        cfg["regions"] = sorted(regions)
    return cfg


def _policies(cfg: dict[str, Any]) -> list[dict[str, Any]] | None:
    config, _ = validate(load_text(json.dumps(cfg), "c.yaml"), catalog_mod.load(), {})
    if config is None:
        return None  # validation refused it (e.g. a pinned Region no chosen profile serves)
    return [json.loads(json.dumps(p.document)) for p in resolve(config, catalog_mod.load()).invoke]


def _check(cfg: dict[str, Any], policies: list[dict[str, Any]]) -> None:
    models = set(cfg["models"]["ids"])
    geos = set(cfg["models"]["geographies"])
    regions = set(cfg.get("regions", ())) or None
    account_pinned = "account_id" in cfg
    pinned = account_pinned or regions is not None
    for route in ROUTES:
        if CAT["geographies"][route.geography]["partition"] != "aws":
            continue
        expected = (
            route.model in models
            and route.geography in geos
            and (regions is None or route.source in regions)
        )
        got = ev.call_allowed(policies, route, ACCOUNT)
        assert got == expected, (route, "under-grant" if expected else "over-grant")
        if expected:
            assert ev.call_allowed(policies, route, ACCOUNT, action=ev.STREAM)
            if account_pinned:
                assert not ev.call_allowed(policies, route, OTHER_ACCOUNT), ("other account", route)
            # Unpinned Regions: a global profile is granted through '*' (any source, served in
            # any Region anyway); a geographic one still reaches only its own routes.
            if regions is not None or (account_pinned and not route.is_global):
                leaked = ev.leaked_destinations(policies, route, ACCOUNT, COMMERCIAL)
                assert not leaked, (route, "profile reaches Regions it does not route to", leaked)
    # No direct (profile-less) call unless in_region asks for it, pinned or not (issue 21: Port's
    # unpinned form allowed direct calls of the selected models in every Region).
    for model in MODELS:
        for region in COMMERCIAL if pinned else ("eu-west-1", "us-east-1", "ap-northeast-1"):
            assert not ev.direct_allowed(policies, model, region), ("direct call", model, region)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_random_catalog_configs_grant_exactly_what_they_select(cfg: dict[str, Any]) -> None:
    policies = _policies(cfg)
    event("refused by validation" if policies is None else "evaluated")
    if policies is not None:
        _check(cfg, policies)


def test_whole_catalog_in_every_geography_grants_exactly_everything() -> None:
    cfg = {
        "version": 1,
        "name": "gw",
        "models": {"ids": MODELS, "geographies": GEOS},
        "auth": {"mode": "access_keys"},
    }
    policies = _policies(cfg)
    assert policies is not None
    _check(cfg, policies)


def test_strict_example_pins_everything() -> None:
    from conftest import ROOT

    cfg = load_text((ROOT / "examples/strict/bedrock-gen.yaml").read_text(), "x").data
    cfg["auth"] = {"mode": "access_keys"}
    cfg["models"]["ids"] = [catalog_mod.load().lookup(m).id for m in cfg["models"]["ids"]]  # type: ignore[union-attr]
    policies = _policies(cfg)
    assert policies is not None
    _check(cfg, policies)


def test_in_region_grants_direct_calls_only_in_the_pinned_regions() -> None:
    cfg = {
        "version": 1,
        "name": "gw",
        "account_id": ACCOUNT,
        "regions": ["us-east-1"],
        "models": {"ids": ["amazon.nova-pro-v1:0"], "geographies": ["us"], "in_region": True},
        "auth": {"mode": "access_keys"},
    }
    policies = _policies(cfg)
    assert policies is not None
    assert ev.direct_allowed(policies, "amazon.nova-pro-v1:0", "us-east-1")
    assert not ev.direct_allowed(policies, "amazon.nova-pro-v1:0", "us-west-2")
    assert not ev.direct_allowed(policies, "amazon.nova-lite-v1:0", "us-east-1")


def test_evaluator_itself_rejects_the_naive_policy_of_the_javabin_incident() -> None:
    """A policy naming only the profile and the home Region's model fails when routed away."""
    naive = [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [ev.INVOKE],
                    "Resource": [
                        f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:inference-profile/"
                        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                        "arn:aws:bedrock:eu-west-1::foundation-model/"
                        "anthropic.claude-sonnet-4-5-20250929-v1:0",
                    ],
                }
            ],
        }
    ]
    (route,) = [
        r
        for r in ROUTES
        if r.model == "anthropic.claude-sonnet-4-5-20250929-v1:0"
        and r.geography == "eu"
        and r.source == "eu-west-1"
    ]
    assert not ev.call_allowed(naive, route, ACCOUNT)
    assert ev.call_allowed(naive, route, ACCOUNT, destinations=["eu-west-1"])
