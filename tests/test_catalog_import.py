"""``catalog import``, ``catalog diff``, ``catalog fetch``, the ``catalog:`` overlay in configs
and ``models --routes``, from hand-written AWS API outputs (``tests/data/aws``) in the shapes
the API reference documents.

The fixtures describe one account (111122223333) in which Acme Kestrel 2, a model the bundled
catalog has never heard of, is routed differently from two source Regions: ``us.`` from
us-east-1 to us-east-1 and us-east-2, from us-west-2 to us-west-1 and us-west-2, and ``global.``
from us-east-1. Rendered policies are judged with ``evaluator.py``, which shares no code with
bedrock_gen, route by route against the routes read straight from the fixtures.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import evaluator as ev
from conftest import RunCli, report_data

DATA = Path(__file__).resolve().parent / "data" / "aws"
FILES = sorted(DATA.glob("*.json"))
ACCOUNT = "111122223333"
KESTREL = "acme.kestrel-2-v1:0"
SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
EXPECTED = (
    "an output of 'aws bedrock list-inference-profiles', 'get-inference-profile', "
    "'list-foundation-models' or 'get-foundation-model' (JSON)"
)
KESTREL_ROUTES = {
    "us": {"us-east-1": ["us-east-1", "us-east-2"], "us-west-2": ["us-west-1", "us-west-2"]},
    "global": {"us-east-1": []},
}
LOCATED = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)  "
    r"\[(?P<code>[a-zA-Z_-]+)\]$"
)


def data(name: str) -> Path:
    return DATA / name


def import_overlay(run_cli: RunCli, out: Path, *files: Path | str) -> dict[str, Any]:
    """Run ``catalog import`` and return the overlay it wrote."""
    result = run_cli("catalog", "import", *map(str, files), "-o", str(out))
    assert result.code == 0, result.err
    assert result.err == ""
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def body(overlay: dict[str, Any]) -> dict[str, Any]:
    """The facts of an overlay, without its note and record of inputs."""
    return {k: v for k, v in overlay.items() if k not in ("note", "inputs")}


def one_error_line(err: str) -> re.Match[str]:
    """stderr holds exactly one located error line and no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    match = LOCATED.match(lines[0])
    assert match is not None, lines[0]
    return match


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# -- each accepted shape ---------------------------------------------------------------------


def test_list_inference_profiles_gives_routes_per_source_and_marks_the_region_listed(
    run_cli: RunCli, tmp_path: Path
) -> None:
    overlay = import_overlay(
        run_cli, tmp_path / "o.json", data("list-inference-profiles.us-east-1.json")
    )
    assert body(overlay) == {
        "bedrock_gen_overlay": 1,
        "listed": {"inference_profiles": ["us-east-1"], "foundation_models": []},
        "partitions": {"us-east-1": "aws", "us-east-2": "aws", "us-west-2": "aws"},
        "models": {
            KESTREL: {
                "profiles": {
                    "global": {"us-east-1": []},
                    "us": {"us-east-1": ["us-east-1", "us-east-2"]},
                },
                "global": ["global"],
            },
            "amazon.nova-pro-v1:0": {
                "profiles": {"us": {"us-east-1": ["us-east-1", "us-east-2", "us-west-2"]}}
            },
            SONNET: {
                "profiles": {
                    "global": {"us-east-1": []},
                    "us": {"us-east-1": ["us-east-1", "us-east-2", "us-west-2"]},
                },
                "global": ["global"],
            },
        },
    }
    assert overlay["inputs"] == [
        {
            "file": "list-inference-profiles.us-east-1.json",
            "sha256": "sha256:"
            + __import__("hashlib")
            .sha256(data("list-inference-profiles.us-east-1.json").read_bytes())
            .hexdigest(),
            "kind": "list-inference-profiles",
        }
    ]


def test_get_inference_profile_covers_one_source_and_keeps_all_six_eu_destinations(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """botocore declares 1-5 models; real EU profiles route to six Regions."""
    overlay = import_overlay(
        run_cli, tmp_path / "o.json", data("get-inference-profile.eu-west-1.json")
    )
    assert body(overlay)["listed"] == {"inference_profiles": [], "foundation_models": []}
    assert body(overlay)["models"] == {
        SONNET: {
            "profiles": {
                "eu": {
                    "eu-west-1": [
                        "eu-central-1",
                        "eu-north-1",
                        "eu-south-1",
                        "eu-south-2",
                        "eu-west-1",
                        "eu-west-3",
                    ]
                }
            }
        }
    }


def test_list_foundation_models_gives_on_demand_status_and_accepts_unknown_enums(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """INFERENCE_PROFILE (which botocore does not list), BATCH, PREVIEW, SPEECH, VIDEO and
    REINFORCEMENT_FINE_TUNING are all accepted; PROVISIONED-only variants are left out."""
    result = run_cli(
        "catalog",
        "import",
        str(data("list-foundation-models.us-east-1.json")),
        "-o",
        str(tmp_path / "o.json"),
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"wrote {tmp_path / 'o.json'}: 5 models, 0 routes from 0 source Regions (1 file)",
        "note: skipped 1 x a provisioned-throughput-only model entry",
    ]
    overlay = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert body(overlay) == {
        "bedrock_gen_overlay": 1,
        "listed": {"inference_profiles": [], "foundation_models": ["us-east-1"]},
        "partitions": {"us-east-1": "aws"},
        "models": {
            "acme.heron-speech-v1": {
                "name": "Heron Speech",
                "provider": "Acme",
                "status": "preview",
                "in_region": {"us-east-1": True},
            },
            KESTREL: {
                "name": "Kestrel 2",
                "provider": "Acme",
                "status": "active",
                "in_region": {"us-east-1": False},
            },
            "amazon.nova-pro-v1:0": {
                "name": "Nova Pro",
                "provider": "Amazon",
                "status": "active",
                "in_region": {"us-east-1": True},
            },
            "anthropic.claude-3-haiku-20240307-v1:0": {
                "name": "Claude 3 Haiku",
                "provider": "Anthropic",
                "status": "legacy",
                "in_region": {"us-east-1": True},
            },
            SONNET: {
                "name": "Claude Sonnet 4.5",
                "provider": "Anthropic",
                "status": "active",
                "in_region": {"us-east-1": False},
            },
        },
    }


def test_get_foundation_model_covers_one_model_in_one_region(
    run_cli: RunCli, tmp_path: Path
) -> None:
    overlay = import_overlay(
        run_cli, tmp_path / "o.json", data("get-foundation-model.eu-west-1.json")
    )
    assert body(overlay)["listed"] == {"inference_profiles": [], "foundation_models": []}
    assert body(overlay)["models"] == {
        KESTREL: {
            "name": "Kestrel 2",
            "provider": "Acme",
            "status": "active",
            "in_region": {"eu-west-1": True},
        }
    }


def test_several_outputs_in_one_json_list_read_like_separate_files(
    run_cli: RunCli, tmp_path: Path
) -> None:
    parts = [json.loads(f.read_text(encoding="utf-8")) for f in FILES]
    combined = tmp_path / "all.json"
    combined.write_text(json.dumps(parts), encoding="utf-8")
    one = import_overlay(run_cli, tmp_path / "one.json", combined)
    many = import_overlay(run_cli, tmp_path / "many.json", *FILES)
    assert body(one) == body(many)
    assert one["inputs"][0]["kind"] == (
        "get-foundation-model,get-inference-profile,list-foundation-models,list-inference-profiles"
    )


def test_unknown_enum_values_and_fields_are_accepted(run_cli: RunCli, tmp_path: Path) -> None:
    profile = json.loads(data("get-inference-profile.eu-west-1.json").read_text("utf-8"))
    profile.update(type="SYSTEM_DEFINED_V2", brandNewField={"x": [1, 2]})
    model = json.loads(data("get-foundation-model.eu-west-1.json").read_text("utf-8"))
    model["modelDetails"].update(
        inferenceTypesSupported=["INFERENCE_PROFILE", "SERVERLESS_V9"],
        outputModalities=["HOLOGRAM"],
        modelLifecycle={"status": "SUNSETTING"},
    )
    (tmp_path / "p.json").write_text(json.dumps(profile), encoding="utf-8")
    (tmp_path / "m.json").write_text(json.dumps(model), encoding="utf-8")
    overlay = import_overlay(run_cli, tmp_path / "o.json", tmp_path / "p.json", tmp_path / "m.json")
    assert body(overlay)["models"][KESTREL] == {
        "name": "Kestrel 2",
        "provider": "Acme",
        "status": "sunsetting",
        "in_region": {"eu-west-1": False},
    }
    assert list(body(overlay)["models"][SONNET]["profiles"]["eu"]) == ["eu-west-1"]


# -- order, privacy ----------------------------------------------------------------------------


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_any_order_of_files_gives_a_byte_identical_overlay(
    run_cli: RunCli, tmp_path: Path, order: int
) -> None:
    reference = tmp_path / "ref.json"
    import_overlay(run_cli, reference, *FILES)
    permutations = [
        list(reversed(FILES)),
        FILES[1::2] + FILES[0::2],
        FILES[3:] + FILES[:3],
        [FILES[2], FILES[5], FILES[0], FILES[4], FILES[1], FILES[3]],
    ]
    elsewhere = tmp_path / "copies"
    elsewhere.mkdir()
    files = []
    for f in permutations[order]:  # from another folder too: only the name is recorded
        shutil.copy(f, elsewhere / f.name)
        files.append(elsewhere / f.name)
    other = tmp_path / "other.json"
    import_overlay(run_cli, other, *files)
    assert other.read_bytes() == reference.read_bytes()


def test_the_account_id_never_reaches_the_overlay(run_cli: RunCli, tmp_path: Path) -> None:
    """Not from the ARNs, and not from a file name that carries it either."""
    named = tmp_path / f"{ACCOUNT}-us-west-2-profiles.json"
    shutil.copy(data("list-inference-profiles.us-west-2.json"), named)
    out = tmp_path / "o.json"
    import_overlay(run_cli, out, *FILES, named)
    text = out.read_text(encoding="utf-8")
    assert ACCOUNT not in text
    assert "ACCOUNT-us-west-2-profiles.json" in text
    assert all(
        ACCOUNT in f.read_text(encoding="utf-8") for f in FILES if "inference-profile" in f.name
    )  # the inputs do carry it


# -- the overlay in a config: an unknown model, exactly its routes -----------------------------

CONFIG = """\
version: 1
name: gw
account_id: "{account}"
regions: [us-east-1, us-west-2]
{catalog}models:
  ids: [{model}]
  geographies: [us, global]
auth:
  mode: assume_role
  external_id: gw-7f3a9c2e5b1d4086
"""


def fixture_routes() -> list[ev.Route]:
    """Kestrel's routes, read from the fixtures with nothing but json (not bedrock_gen)."""
    routes = []
    for f in FILES:
        doc = json.loads(f.read_text(encoding="utf-8"))
        for p in doc.get(
            "inferenceProfileSummaries", [doc] if "inferenceProfileArn" in doc else []
        ):
            if p["type"] != "SYSTEM_DEFINED" or not p["inferenceProfileId"].endswith(f".{KESTREL}"):
                continue
            source = p["inferenceProfileArn"].split(":")[3]
            dests = [m["modelArn"].split(":")[3] for m in p["models"]]
            geo = p["inferenceProfileId"].split(".", 1)[0]
            is_global = "" in dests
            routes.append(
                ev.Route(
                    KESTREL,
                    geo,
                    source,
                    (source,) if is_global else tuple(sorted(dests)),
                    is_global,
                )
            )
    return sorted(routes, key=lambda r: (r.geography, r.source))


@pytest.fixture
def kestrel_project(run_cli: RunCli, tmp_path: Path) -> Path:
    """A folder with the overlay of every fixture and a config that names it."""
    import_overlay(run_cli, tmp_path / "overlay.json", *FILES)
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        CONFIG.format(account=ACCOUNT, catalog="catalog: overlay.json\n", model=KESTREL),
        encoding="utf-8",
    )
    return config


def test_an_unknown_model_is_rejected_without_the_overlay(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(CONFIG.format(account=ACCOUNT, catalog="", model=KESTREL), "utf-8")
    result = run_cli("validate", str(config))
    assert result.code == 1
    assert f"'{KESTREL}'" in result.out


def test_the_rendered_policy_grants_exactly_the_overlay_routes(
    run_cli: RunCli, kestrel_project: Path
) -> None:
    result = run_cli("render", str(kestrel_project))
    assert result.code == 0, result.out + result.err
    policy = json.loads(
        (kestrel_project.parent / "generated/iam/bedrock-invoke-policy.json").read_text(
            encoding="utf-8"
        )
    )
    routes = fixture_routes()
    assert [(r.geography, r.source, r.destinations) for r in routes] == [
        ("global", "us-east-1", ("us-east-1",)),
        ("us", "us-east-1", ("us-east-1", "us-east-2")),
        ("us", "us-west-2", ("us-west-1", "us-west-2")),
    ]
    universe = sorted(ev.load_catalog()["regions"])
    for route in routes:
        for action in (ev.INVOKE, ev.STREAM):
            assert ev.call_allowed([policy], route, ACCOUNT, action=action), route
        if not route.is_global:
            assert ev.leaked_destinations([policy], route, ACCOUNT, universe) == [], route
        for region in universe:  # never directly: the overlay gives no on-demand Region
            assert not ev.direct_allowed([policy], KESTREL, region)
        # the same route for any other model is denied
        for other in (SONNET, "acme.kestrel-3-v1:0", "amazon.nova-pro-v1:0"):
            assert not ev.call_allowed([policy], dataclasses.replace(route, model=other), ACCOUNT)
        # and from another account
        assert not ev.call_allowed([policy], route, "444455556666")
    # from sources the overlay does not list, nothing
    for geo, source in [
        ("us", "us-east-2"),
        ("us", "us-west-1"),
        ("global", "us-west-2"),
        ("eu", "eu-west-1"),
        ("global", "eu-west-1"),
    ]:
        route = ev.Route(KESTREL, geo, source, (source,), geo == "global")
        assert not ev.call_allowed([policy], route, ACCOUNT), (geo, source)
    # us-west-1 is a destination of us-west-2's calls only, never of us-east-1's
    east = next(r for r in routes if r.geography == "us" and r.source == "us-east-1")
    assert not ev.call_allowed([policy], east, ACCOUNT, destinations=["us-west-1"])


def test_global_route_reaches_no_regional_model_but_its_source(
    run_cli: RunCli, kestrel_project: Path
) -> None:
    assert run_cli("render", str(kestrel_project)).code == 0
    policy = json.loads(
        (kestrel_project.parent / "generated/iam/bedrock-invoke-policy.json").read_text(
            encoding="utf-8"
        )
    )
    route = next(r for r in fixture_routes() if r.is_global)
    assert ev.call_allowed([policy], route, ACCOUNT)
    for region in sorted(ev.load_catalog()["regions"]):
        if region != "us-east-1":
            assert not ev.call_allowed([policy], route, ACCOUNT, destinations=[region])


def test_on_demand_regions_come_from_the_overlay(run_cli: RunCli, tmp_path: Path) -> None:
    """get-foundation-model says ON_DEMAND in eu-west-1; the us-east-1 listing says
    INFERENCE_PROFILE only: direct calls are granted in eu-west-1 alone."""
    import_overlay(run_cli, tmp_path / "overlay.json", *FILES)
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        CONFIG.format(account=ACCOUNT, catalog="catalog: overlay.json\n", model=KESTREL)
        .replace("[us-east-1, us-west-2]", "[eu-west-1, us-east-1]")
        .replace("geographies: [us, global]", "geographies: []\n  in_region: true"),
        "utf-8",
    )
    result = run_cli("render", str(config))
    assert result.code == 0, result.out
    policy = json.loads((tmp_path / "generated/iam/bedrock-invoke-policy.json").read_text("utf-8"))
    for region in sorted(ev.load_catalog()["regions"]):
        assert ev.direct_allowed([policy], KESTREL, region) == (region == "eu-west-1"), region
    assert not ev.direct_allowed([policy], SONNET, "eu-west-1")


def test_the_manifest_names_the_overlay_and_the_check_judges_what_it_renders(
    run_cli: RunCli, kestrel_project: Path
) -> None:
    folder = kestrel_project.parent
    assert run_cli("render", str(kestrel_project)).code == 0
    manifest = json.loads((folder / "generated/.bedrock-gen-manifest.json").read_text("utf-8"))
    assert manifest["catalog_overlay"] == "../overlay.json"
    assert run_cli("render", "--check", str(kestrel_project)).code == 0
    # a new import that changes nothing the documents use changes no generated byte
    import_overlay(
        run_cli, folder / "overlay.json", *[f for f in FILES if "foundation-model" not in f.name]
    )
    assert run_cli("render", "--check", str(kestrel_project)).code == 0
    # one that drops the model's routes does
    import_overlay(run_cli, folder / "overlay.json", *[f for f in FILES if "profile" not in f.name])
    result = run_cli("render", "--check", str(kestrel_project))
    assert result.code == 1, result.out


def test_catalog_option_on_validate_render_and_lint(run_cli: RunCli, tmp_path: Path) -> None:
    overlay = tmp_path / "elsewhere" / "mine.json"
    overlay.parent.mkdir()
    import_overlay(run_cli, overlay, *FILES)
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(CONFIG.format(account=ACCOUNT, catalog="", model=KESTREL), "utf-8")
    assert run_cli("validate", str(config)).code == 1
    result = run_cli("validate", "--catalog", str(overlay), str(config))
    assert result.code == 0, result.out
    result = run_cli("render", "--catalog", str(overlay), str(config))
    assert result.code == 0, result.out
    manifest = json.loads((tmp_path / "generated/.bedrock-gen-manifest.json").read_text("utf-8"))
    assert manifest["catalog_overlay"] == "../elsewhere/mine.json"
    assert run_cli("render", "--check", "--catalog", str(overlay), str(config)).code == 0
    assert run_cli("render", "--check", str(config)).code == 1  # without it: unknown model
    # lint: a hand-written policy that forgets us-west-1, a destination only the overlay knows
    policy = tmp_path / "hand.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "bedrock:InvokeModel",
                        "Resource": [
                            f"arn:aws:bedrock:us-west-2:{ACCOUNT}:inference-profile/us.{KESTREL}",
                            f"arn:aws:bedrock:us-west-2::foundation-model/{KESTREL}",
                        ],
                    }
                ],
            }
        ),
        "utf-8",
    )
    plain = run_cli("lint", str(policy))
    assert plain.code == 0 and "[BEDROCK_UNKNOWN_MODEL]" in plain.out
    with_overlay = run_cli("lint", "--catalog", str(overlay), str(policy))
    assert with_overlay.code == 1
    assert "[BEDROCK_MISSING_DESTINATION_MODELS]" in with_overlay.out
    assert "from us-west-2 can be served in us-west-1" in with_overlay.out
    assert "[BEDROCK_UNKNOWN_MODEL]" not in with_overlay.out


def test_a_missing_or_broken_overlay_is_one_located_error(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        CONFIG.format(account=ACCOUNT, catalog="catalog: nope.json\n", model=KESTREL), "utf-8"
    )
    result = run_cli("validate", str(config))
    assert result.code == 1
    assert re.search(
        r"bedrock-gen\.yaml:5:1: error: catalog overlay nope\.json: no such "
        r"file",
        result.out,
    ), result.out
    (tmp_path / "nope.json").write_text(
        json.dumps(
            {
                "bedrock_gen_overlay": 1,
                "models": {KESTREL: {"profiles": {"us": {"us-east-1": ["*"]}}}},
            }
        ),
        "utf-8",
    )
    result = run_cli("validate", str(config))
    assert result.code == 1
    assert (
        "malformed overlay: models.acme.kestrel-2-v1:0.profiles.us.us-east-1[0]: '*' is "
        "not a valid name" in result.out
    )
    assert "Traceback" not in result.out + result.err


# -- what is not an API output -----------------------------------------------------------------

PROFILE_LISTING = json.loads(data("list-inference-profiles.us-east-1.json").read_text("utf-8"))


def _with(path: tuple[Any, ...], value: Any) -> str:
    doc = json.loads(json.dumps(PROFILE_LISTING))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(doc, indent=4)


BAD: dict[str, tuple[str, str, str]] = {
    # name: (file text, text the error points at, what the message says)
    "policy": (
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}
                ],
            },
            indent=2,
        ),
        "{",
        f"expected {EXPECTED}; this object's keys are Statement, Version",
    ),
    "strings": (
        '[\n  "us.anthropic.claude-sonnet-4-5-20250929-v1:0",\n  "eu.x"\n]\n',
        '"us.anthropic',
        f"expected {EXPECTED}, not a string",
    ),
    "profile-arn": (
        _with(
            ("inferenceProfileSummaries", 1, "inferenceProfileArn"),
            "arn:aws:bedrock:us-east-1:inference-profile/global.x",
        ),
        '"arn:aws:bedrock:us-east-1:inference-profile/global.x"',
        "'arn:aws:bedrock:us-east-1:inference-profile/global.x' is not an Amazon "
        "Bedrock ARN; expected arn:PARTITION:bedrock:REGION:ACCOUNT:"
        "inference-profile/GEOGRAPHY.MODEL",
    ),
    "model-arn": (
        _with(
            ("inferenceProfileSummaries", 2, "models", 1, "modelArn"),
            "arn:aws:bedrock:*::foundation-model/x",
        ),
        '"arn:aws:bedrock:*::foundation-model/x"',
        "'arn:aws:bedrock:*::foundation-model/x' is not an Amazon Bedrock ARN; "
        "expected arn:PARTITION:bedrock:REGION::foundation-model/MODEL",
    ),
    "s3-arn": (
        _with(
            ("inferenceProfileSummaries", 0, "inferenceProfileArn"),
            "arn:aws:s3:::my-bucket/inference-profile",
        ),
        '"arn:aws:s3:::my-bucket',
        "'arn:aws:s3:::my-bucket/inference-profile' is not an Amazon Bedrock ARN",
    ),
    "models-not-list": (
        _with(("inferenceProfileSummaries", 3, "models"), "us-east-1"),
        '"us-east-1",',
        "'inferenceProfileSummaries[3].models' must be a list, not a string",
    ),
    "invalid-json": (
        '{\n  "inferenceProfileSummaries": [\n    {"inferenceProfileArn": ,}\n  ]\n}\n',
        ",}",
        f"invalid JSON: expected a JSON value (the file should be {EXPECTED})",
    ),
    "empty-list": ("[]", "[", f"the file holds an empty list; expected {EXPECTED}"),
    "no-arn": (
        '{"modelSummaries": [{"modelId": "acme.x-v1"}]}',
        '{"modelId"',
        f"'modelSummaries[0]' has no 'modelArn'; expected {EXPECTED}",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_that_is_not_an_api_output_is_one_located_error_and_nothing_is_written(
    run_cli: RunCli, tmp_path: Path, name: str
) -> None:
    text, at, message = BAD[name]
    bad = tmp_path / f"{name}.json"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "overlay.json"
    result = run_cli(
        "catalog",
        "import",
        str(data("list-inference-profiles.us-west-2.json")),
        str(bad),
        "-o",
        str(out),
    )
    assert result.code == 1
    assert result.err == ""
    match = one_error_line(result.out.splitlines()[0])
    assert match["file"] == str(bad)
    assert (int(match["line"]), int(match["col"])) == position(text, at)
    assert message in match["msg"]
    assert not out.exists()
    # an overlay that is already there is left as it was
    out.write_bytes(b'{"bedrock_gen_overlay": 1, "models": {}}\n')
    again = run_cli("catalog", "import", str(bad), *map(str, FILES), "-o", str(out))
    assert again.code == 1
    assert out.read_bytes() == b'{"bedrock_gen_overlay": 1, "models": {}}\n'
    assert set(tmp_path.iterdir()) == {bad, out}  # no temporary file left behind


def test_a_missing_file_is_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "catalog", "import", str(tmp_path / "gone.json"), "-o", str(tmp_path / "o.json")
    )
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{tmp_path / 'gone.json'}: error: no such file  [file-unreadable]"
    )
    assert not (tmp_path / "o.json").exists()


# -- completeness: nextToken, application profiles, complete listings --------------------------


def _routes_json(run_cli: RunCli, overlay: Path | None, model: str) -> dict[str, Any]:
    args = ["models", "--routes", "--json"] + (["--catalog", str(overlay)] if overlay else [])
    result = run_cli(*args)
    assert result.code == 0, result.err
    entry = next(m for m in report_data(result.out)["models"] if m["id"] == model)
    routes: dict[str, Any] = entry["routes"]
    return routes


@pytest.mark.parametrize("token", ["nextToken", "NextToken"])
def test_a_listing_with_a_next_token_is_not_taken_as_complete(
    run_cli: RunCli, tmp_path: Path, token: str
) -> None:
    """One page of eu-central-1 lists Sonnet 4.5 only: Haiku 4.5's eu route from
    eu-central-1 stays (with the API's nextToken, or the CLI's NextToken of --max-items)."""
    page = json.loads(data("list-inference-profiles.eu-central-1.page1.json").read_text("utf-8"))
    page[token] = page.pop("nextToken")
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    result = run_cli(
        "catalog", "import", str(tmp_path / "page.json"), "-o", str(tmp_path / "o.json")
    )
    assert result.code == 0
    assert result.out.splitlines()[1:] == [
        "note: list-inference-profiles of eu-central-1 had a nextToken (one page of several): "
        "profiles it lacks are not taken as gone; import every page, or the output of a call "
        "without --max-items"
    ]
    overlay = json.loads((tmp_path / "o.json").read_text("utf-8"))
    assert overlay["listed"]["inference_profiles"] == []
    haiku = "anthropic.claude-haiku-4-5-20251001-v1:0"
    assert _routes_json(run_cli, tmp_path / "o.json", haiku) == _routes_json(run_cli, None, haiku)
    # the same page without its token is a complete listing: Haiku's route from there goes
    del page[token]
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    import_overlay(run_cli, tmp_path / "o.json", tmp_path / "page.json")
    assert "eu-central-1" not in _routes_json(run_cli, tmp_path / "o.json", haiku)["eu"]
    assert "eu-west-1" in _routes_json(run_cli, tmp_path / "o.json", haiku)["eu"]


def test_application_inference_profiles_are_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "catalog",
        "import",
        str(data("list-inference-profiles.us-west-2.json")),
        "-o",
        str(tmp_path / "o.json"),
    )
    assert result.code == 0
    assert result.out.splitlines() == [
        f"wrote {tmp_path / 'o.json'}: 2 models, 2 routes from 1 source Regions (1 file)",
        "note: skipped 1 x an application inference profile (account-specific)",
    ]
    text = (tmp_path / "o.json").read_text(encoding="utf-8")
    assert "a1b2c3d4e5f6" not in text
    assert "application" not in text
    assert sorted(json.loads(text)["models"]) == [KESTREL, SONNET]


def test_a_complete_listing_drops_bundled_routes_from_its_region_only(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """us-west-2's listing has no Haiku 4.5: its us and global routes from us-west-2 go, those
    from every other source stay, and a config calling it from us-west-2 is refused."""
    haiku = "anthropic.claude-haiku-4-5-20251001-v1:0"
    before = _routes_json(run_cli, None, haiku)
    import_overlay(
        run_cli, tmp_path / "overlay.json", data("list-inference-profiles.us-west-2.json")
    )
    after = _routes_json(run_cli, tmp_path / "overlay.json", haiku)
    assert "us-west-2" in before["us"] and "us-west-2" in before["global"]["sources"]
    expected = {geo: dict(routes) for geo, routes in before.items()}
    del expected["us"]["us-west-2"]
    expected["global"]["sources"].remove("us-west-2")
    assert after == expected
    # Sonnet 4.5, which it does list, keeps its route
    assert _routes_json(run_cli, tmp_path / "overlay.json", SONNET)["us"]["us-west-2"] == [
        "us-east-1",
        "us-east-2",
        "us-west-2",
    ]
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        CONFIG.format(account=ACCOUNT, catalog="catalog: overlay.json\n", model="claude-haiku-4-5")
        .replace("[us-east-1, us-west-2]", "[us-west-2]")
        .replace("[us, global]", "[us]"),
        "utf-8",
    )
    assert run_cli("validate", "--catalog", str(tmp_path / "missing.json"), str(config)).code == 1
    result = run_cli("validate", str(config))
    assert result.code == 1
    assert "us-west-2" in result.out


def test_a_complete_model_listing_takes_away_on_demand_regions_it_does_not_list(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Titan Text Embeddings V2 is on demand in us-east-1 and 20 other Regions (its AWS card);
    a us-east-1 listing without it takes us-east-1 away and keeps every other Region."""
    model = "amazon.titan-embed-text-v2:0"
    result = run_cli("models", "--json")
    before = next(m for m in report_data(result.out)["models"] if m["id"] == model)["in_region"]
    assert "us-east-1" in before and "*" not in before
    import_overlay(run_cli, tmp_path / "o.json", data("list-foundation-models.us-east-1.json"))
    result = run_cli("models", "--json", "--catalog", str(tmp_path / "o.json"))
    in_region = next(m for m in report_data(result.out)["models"] if m["id"] == model)["in_region"]
    assert in_region == [r for r in before if r != "us-east-1"]


# -- catalog diff --------------------------------------------------------------------------------

DIFF_TEXT = """\
Models
  change  model
  ------  -------------------
  added   acme.kestrel-2-v1:0

Inference profiles
  change  profile
  ------  ----------------------
  added   eu.acme.kestrel-2-v1:0

Routes (per source Region)
  profile                                       source        change   destinations added          destinations removed
  --------------------------------------------  ------------  -------  --------------------------  --------------------
  eu.acme.kestrel-2-v1:0                        eu-central-2  added    eu-central-1, eu-central-2  -
  us.anthropic.claude-sonnet-4-5-20250929-v1:0  us-west-1     changed  -                           us-east-2, us-west-2

The outputs differ from the bundled catalog.
"""  # noqa: E501

DIFF_MARKDOWN = """\
### bedrock-gen catalog diff

**The outputs differ from the bundled catalog.**

#### Models

| change | model |
|---|---|
| added | acme.kestrel-2-v1:0 |

#### Inference profiles

| change | profile |
|---|---|
| added | eu.acme.kestrel-2-v1:0 |

#### Routes (per source Region)

| profile | source | change | destinations added | destinations removed |
|---|---|---|---|---|
| eu.acme.kestrel-2-v1:0 | eu-central-2 | added | eu-central-1, eu-central-2 | - |
| us.anthropic.claude-sonnet-4-5-20250929-v1:0 | us-west-1 | changed | - | us-east-2, us-west-2 |
"""

DIFF_JSON = {
    "differs": True,
    "models_added": [KESTREL],
    "models_removed": [],
    "profiles_added": [{"model": KESTREL, "geography": "eu"}],
    "profiles_removed": [],
    "routes": [
        {
            "model": KESTREL,
            "geography": "eu",
            "source": "eu-central-2",
            "change": "added",
            "global": False,
            "destinations_added": ["eu-central-1", "eu-central-2"],
            "destinations_removed": [],
        },
        {
            "model": SONNET,
            "geography": "us",
            "source": "us-west-1",
            "change": "changed",
            "global": False,
            "destinations_added": [],
            "destinations_removed": ["us-east-2", "us-west-2"],
        },
    ],
    "in_region": [],
    "status": [],
    "lifecycle": [],
    "product_ids": [],
}
DIFF_FILES = sorted((DATA / "diff").glob("*.json"))


def test_catalog_diff_text_markdown_and_json(run_cli: RunCli) -> None:
    files = list(map(str, DIFF_FILES))
    text = run_cli("catalog", "diff", *files)
    assert (text.code, text.out, text.err) == (1, DIFF_TEXT, "")
    markdown = run_cli("catalog", "diff", "--format", "markdown", *files)
    assert (markdown.code, markdown.out) == (1, DIFF_MARKDOWN)
    as_json = run_cli("catalog", "diff", "--format", "json", *reversed(files))
    assert as_json.code == 1
    assert report_data(as_json.out) == DIFF_JSON


def test_catalog_diff_of_an_overlay_equals_the_diff_of_its_outputs(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import_overlay(run_cli, tmp_path / "o.json", *DIFF_FILES)
    result = run_cli("catalog", "diff", "--format", "json", str(tmp_path / "o.json"))
    assert (result.code, report_data(result.out)) == (1, DIFF_JSON)


def test_catalog_diff_exits_0_when_the_outputs_agree(run_cli: RunCli) -> None:
    result = run_cli("catalog", "diff", str(data("get-inference-profile.eu-west-1.json")))
    assert (result.code, result.out) == (0, "The bundled catalog agrees with these outputs.\n")
    result = run_cli(
        "catalog", "diff", "--format", "json", str(data("get-inference-profile.eu-west-1.json"))
    )
    assert result.code == 0
    assert report_data(result.out) == {
        "differs": False,
        "models_added": [],
        "models_removed": [],
        "profiles_added": [],
        "profiles_removed": [],
        "routes": [],
        "in_region": [],
        "status": [],
        "lifecycle": [],
        "product_ids": [],
    }


def test_catalog_diff_reports_removed_profiles_models_in_region_and_status(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Complete listings of us-east-1, us-east-2 (Nova Pro only) and us-west-2 (profiles)
    and us-west-2 (models): Stable Image Inpaint, whose us profile AWS routes from exactly
    those three Regions and which has no direct calls, is gone entirely; Titan Text
    Embeddings V2 loses us-west-2; Nova Lite, listed LEGACY there, changes status."""
    models = tmp_path / "us-west-2.models.json"
    models.write_text(
        json.dumps(
            {
                "modelSummaries": [
                    {
                        "modelArn": "arn:aws:bedrock:us-west-2::foundation-model/"
                        "amazon.nova-lite-v1:0",
                        "modelId": "amazon.nova-lite-v1:0",
                        "modelName": "Nova Lite",
                        "providerName": "Amazon",
                        "inferenceTypesSupported": ["ON_DEMAND", "INFERENCE_PROFILE"],
                        "modelLifecycle": {"status": "LEGACY"},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    empty = tmp_path / "us-east-2.profiles.json"  # only Nova Pro's us profile
    empty.write_text(
        json.dumps(
            {
                "inferenceProfileSummaries": [
                    {
                        "inferenceProfileArn": "arn:aws:bedrock:us-east-2:111122223333:"
                        "inference-profile/us.amazon.nova-pro-v1:0",
                        "inferenceProfileId": "us.amazon.nova-pro-v1:0",
                        "type": "SYSTEM_DEFINED",
                        "status": "ACTIVE",
                        "models": [
                            {
                                "modelArn": f"arn:aws:bedrock:{r}::foundation-model/"
                                "amazon.nova-pro-v1:0"
                            }
                            for r in ("us-east-1", "us-east-2", "us-west-2")
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = run_cli(
        "catalog",
        "diff",
        "--complete",  # these small listings stand in for complete ones
        "--format",
        "json",
        str(models),
        str(empty),
        str(data("list-inference-profiles.us-east-1.json")),
        str(data("list-inference-profiles.us-west-2.json")),
    )
    assert result.code == 1, result.err
    diff = report_data(result.out)
    inpaint = "stability.stable-image-inpaint-v1:0"
    assert inpaint in diff["models_removed"]
    assert {"model": inpaint, "geography": "us"} in diff["profiles_removed"]
    assert {
        "model": "amazon.titan-embed-text-v2:0",
        "region": "us-west-2",
        "before": True,
        "after": False,
    } in diff["in_region"]
    assert {"model": "amazon.nova-lite-v1:0", "before": "active", "after": "legacy"} in diff[
        "status"
    ]
    assert {
        "model": SONNET,
        "geography": "global",
        "source": "us-west-2",
        "change": "removed",
        "global": True,
        "destinations_added": [],
        "destinations_removed": [],
    } in diff["routes"]
    # nothing outside the slice: no route from another source, no model with routes left
    assert {r["source"] for r in diff["routes"]} == {"us-east-1", "us-east-2", "us-west-2"}
    assert SONNET not in diff["models_removed"]
    assert {r["region"] for r in diff["in_region"]} == {"us-west-2"}


def test_catalog_diff_usage_errors_exit_2_and_unusable_inputs_exit_1(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("catalog", "diff").code == 2
    assert run_cli("catalog", "diff", "--format", "yaml", str(FILES[0])).code == 2
    import_overlay(run_cli, tmp_path / "o.json", FILES[0])
    mixed = run_cli("catalog", "diff", str(tmp_path / "o.json"), str(FILES[1]))
    assert mixed.code == 2
    assert "give one overlay, or API outputs, not both" in mixed.err
    bad = tmp_path / "policy.json"
    bad.write_text('{"Version": "2012-10-17", "Statement": []}', encoding="utf-8")
    # an input that cannot be used is invalid input (exit 1), not a usage error
    result = run_cli("catalog", "diff", str(bad))
    assert result.code == 1
    assert one_error_line(result.out)["line"] == "1"
    missing = run_cli("catalog", "diff", str(tmp_path / "gone.json"))
    assert missing.code == 1
    assert missing.out == f"{tmp_path / 'gone.json'}: error: no such file  [file-unreadable]\n"


# -- models --routes -----------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return [
        re.split(r"\s{2,}", line.strip())
        for line in text.splitlines()
        if line.startswith("  ") and not line.strip().startswith("--")
    ]


def test_models_routes_text_and_json_show_each_source_with_its_destinations(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import_overlay(run_cli, tmp_path / "o.json", *FILES)
    result = run_cli("models", "--routes", "--catalog", str(tmp_path / "o.json"))
    assert result.code == 0
    rows = _rows(result.out)
    assert rows[0] == ["PROFILE", "SOURCE REGIONS", "MAY BE SERVED IN"]
    assert [r for r in rows if KESTREL in r[0]] == [
        [f"global.{KESTREL}", "us-east-1", "any commercial Region (global)"],
        [f"us.{KESTREL}", "us-east-1", "us-east-1, us-east-2"],
        [f"us.{KESTREL}", "us-west-2", "us-west-1, us-west-2"],
    ]
    assert result.out.endswith(
        "(catalog 2026-12-04: AWS pages read 2026-12-04, newest page date 2026-10-05, with an "
        "overlay); 'models.ids' takes an ID or alias.\n"
    )
    only_us = run_cli("models", "--routes", "-g", "us", "--catalog", str(tmp_path / "o.json"))
    assert [r for r in _rows(only_us.out) if KESTREL in r[0]] == [
        [f"us.{KESTREL}", "us-east-1", "us-east-1, us-east-2"],
        [f"us.{KESTREL}", "us-west-2", "us-west-1, us-west-2"],
    ]
    as_json = run_cli("models", "--routes", "--json", "--catalog", str(tmp_path / "o.json"))
    listing = report_data(as_json.out)
    assert (
        listing["overlay"]
        == "sha256:" + __import__("hashlib").sha256((tmp_path / "o.json").read_bytes()).hexdigest()
    )
    kestrel = next(m for m in listing["models"] if m["id"] == KESTREL)
    assert kestrel == {
        "id": KESTREL,
        "name": "Kestrel 2",
        "provider": "acme",
        "aliases": [],
        "status": "active",
        "lifecycle": {"status": "active", "listed": True},
        "geographies": ["global", "us"],
        "unpublished": {},
        "in_region": ["eu-west-1"],
        "mantle": None,
        "marketplace": False,
        "marketplace_product_id": None,
        "origin": "overlay",
        "sources": [],
        "routes": {
            "global": {"global": True, "sources": ["us-east-1"]},
            "us": {
                "us-east-1": ["us-east-1", "us-east-2"],
                "us-west-2": ["us-west-1", "us-west-2"],
            },
        },
    }


def test_models_routes_without_an_overlay_groups_sources_with_the_same_destinations(
    run_cli: RunCli,
) -> None:
    result = run_cli("models", "--routes", "-g", "jp")
    assert result.code == 0
    assert [
        f"jp.{SONNET}",
        "ap-northeast-1, ap-northeast-3",
        "ap-northeast-1, ap-northeast-3",
    ] in _rows(result.out)
    assert run_cli("models", "--routes", "-g", "mars").code == 2


# -- catalog fetch (botocore's Stubber: moto does not implement these calls) ---------------------

botocore_stub = pytest.importorskip("botocore.stub")
boto3 = pytest.importorskip("boto3")


def _summaries(path: str) -> list[dict[str, Any]]:
    doc = json.loads(data(path).read_text(encoding="utf-8"))
    key = "inferenceProfileSummaries" if "inferenceProfileSummaries" in doc else "modelSummaries"
    items: list[dict[str, Any]] = doc[key]
    for item in items:  # as boto3 returns them: timestamps are datetimes
        for stamp in ("createdAt", "updatedAt"):
            if stamp in item:
                from datetime import datetime

                item[stamp] = datetime.fromisoformat(item[stamp])
    return items


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _client(region: str, credentials: bool = True) -> Any:
    keys = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "x"} if credentials else {}
    return boto3.session.Session().client("bedrock", region_name=region, **keys)


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Stubbed clients for us-east-1 (profiles in two pages) and us-west-2, given to the CLI
    in place of boto3's credential chain."""
    clients: dict[str, Any] = {r: _client(r) for r in ("us-east-1", "us-west-2")}
    stubs = {r: botocore_stub.Stubber(c) for r, c in clients.items()}
    east = _summaries("list-inference-profiles.us-east-1.json")
    stubs["us-east-1"].add_response(
        "list_inference_profiles",
        {"inferenceProfileSummaries": east[:3], "nextToken": "page-2"},
        {"typeEquals": "SYSTEM_DEFINED"},
    )
    stubs["us-east-1"].add_response(
        "list_inference_profiles",
        {"inferenceProfileSummaries": east[3:]},
        {"typeEquals": "SYSTEM_DEFINED", "nextToken": "page-2"},
    )
    stubs["us-east-1"].add_response(
        "list_foundation_models",
        {"modelSummaries": _summaries("list-foundation-models.us-east-1.json")},
        {},
    )
    stubs["us-west-2"].add_response(
        "list_inference_profiles",
        {
            "inferenceProfileSummaries": [
                s
                for s in _summaries("list-inference-profiles.us-west-2.json")
                if s["type"] == "SYSTEM_DEFINED"
            ]
        },
        {"typeEquals": "SYSTEM_DEFINED"},
    )
    stubs["us-west-2"].add_response("list_foundation_models", {"modelSummaries": []}, {})
    for stub in stubs.values():
        stub.activate()

    from bedrock_gen.catalog import fetch as fetch_mod

    asked: list[str | None] = []

    def factory(profile: str | None = None) -> Callable[[str], Any]:
        asked.append(profile)
        return lambda region: clients[region]

    monkeypatch.setattr(fetch_mod, "boto3_clients", factory)
    yield {"stubs": stubs, "clients": clients, "asked": asked}
    for stub in stubs.values():
        stub.deactivate()


def test_catalog_fetch_two_regions_with_pagination_equals_importing_the_files(
    run_cli: RunCli, tmp_path: Path, stubbed: dict[str, Any]
) -> None:
    out = tmp_path / "fetched.json"
    raw = tmp_path / "raw"
    result = run_cli(
        "catalog",
        "fetch",
        "--regions",
        "us-east-1,us-west-2",
        "-o",
        str(out),
        "--profile",
        "audit",
        "--save-raw",
        str(raw),
    )
    assert result.code == 0, result.err
    for stub in stubbed["stubs"].values():
        stub.assert_no_pending_responses()
    assert stubbed["asked"] == ["audit"]
    assert result.out.splitlines()[0] == (
        f"wrote {out}: 5 models, 7 routes from 2 source Regions (2 Regions)"
    )
    fetched = json.loads(out.read_text(encoding="utf-8"))
    assert ACCOUNT not in out.read_text(encoding="utf-8")
    imported = import_overlay(
        run_cli,
        tmp_path / "imported.json",
        data("list-inference-profiles.us-east-1.json"),
        data("list-inference-profiles.us-west-2.json"),
        data("list-foundation-models.us-east-1.json"),
    )
    # the same facts, and us-west-2's empty model listing counts as a listing too
    imported["listed"]["foundation_models"].append("us-west-2")
    assert body(fetched) == body(imported)
    assert [i["file"] for i in fetched["inputs"]] == ["us-east-1.json", "us-west-2.json"]
    assert sorted(p.name for p in raw.iterdir()) == ["us-east-1.json", "us-west-2.json"]
    # what --save-raw keeps is itself importable, to the same overlay, except that an empty
    # listing in a file names no Region (only fetch knows where it asked)
    again = import_overlay(run_cli, tmp_path / "again.json", *sorted(raw.iterdir()))
    again["listed"]["foundation_models"].append("us-west-2")
    assert body(again) == body(fetched)


def test_catalog_fetch_access_denied_is_one_line(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client("eu-west-1")
    stub = botocore_stub.Stubber(client)
    stub.add_client_error(
        "list_inference_profiles",
        service_error_code="AccessDeniedException",
        service_message=f"User: arn:aws:sts::{ACCOUNT}:assumed-role/ci/session is not "
        "authorized to perform: bedrock:ListInferenceProfiles",
        http_status_code=403,
        expected_params={"typeEquals": "SYSTEM_DEFINED"},
    )
    stub.activate()
    from bedrock_gen.catalog import fetch as fetch_mod

    monkeypatch.setattr(fetch_mod, "boto3_clients", lambda profile=None: lambda r: client)
    out = tmp_path / "o.json"
    result = run_cli("catalog", "fetch", "--regions", "eu-west-1", "-o", str(out))
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        f"eu-west-1: error: access denied (User: arn:aws:sts::{ACCOUNT}:assumed-role/ci/"
        "session is not authorized to perform: bedrock:ListInferenceProfiles); the caller "
        "needs bedrock:ListInferenceProfiles and bedrock:ListFoundationModels  "
        "[catalog-fetch]\n"
    )
    assert not out.exists()


def test_catalog_fetch_without_credentials_is_one_line(
    run_cli: RunCli, tmp_path: Path, no_aws_credentials: None
) -> None:
    out = tmp_path / "o.json"
    result = run_cli("catalog", "fetch", "--regions", "us-east-1", "-o", str(out))
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        "catalog fetch: error: no AWS credentials found: set AWS_PROFILE (or pass --profile), "
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available; the "
        "calls need bedrock:ListInferenceProfiles and bedrock:ListFoundationModels  "
        "[catalog-fetch]\n"
    )
    assert not out.exists()


def test_catalog_fetch_when_botocore_finds_no_credentials_at_call_time(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_aws_credentials: None
) -> None:
    """botocore raises NoCredentialsError when it signs the first request."""
    from bedrock_gen.catalog import fetch as fetch_mod

    monkeypatch.setattr(
        fetch_mod, "boto3_clients", lambda profile=None: lambda r: _client(r, credentials=False)
    )
    result = run_cli("catalog", "fetch", "--regions", "us-east-1", "-o", str(tmp_path / "o"))
    assert (result.code, result.err) == (1, "")
    assert result.out.startswith("catalog fetch: error: no AWS credentials found: ")
    assert len(result.out.splitlines()) == 1 and "Traceback" not in result.out


def test_catalog_fetch_with_an_unknown_profile_is_one_line(
    run_cli: RunCli, tmp_path: Path, no_aws_credentials: None
) -> None:
    result = run_cli(
        "catalog",
        "fetch",
        "--regions",
        "us-east-1",
        "--profile",
        "nope",
        "-o",
        str(tmp_path / "o.json"),
    )
    assert result.code == 1
    assert result.out == (
        "catalog fetch: error: cannot start an AWS session: "
        "ProfileNotFound: The config profile (nope) could not be found  "
        "[catalog-fetch]\n"
    )


def test_catalog_fetch_usage_errors(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("catalog", "fetch", "-o", str(tmp_path / "o.json")).code == 2
    result = run_cli(
        "catalog", "fetch", "--regions", "us-east-1,mars", "-o", str(tmp_path / "o.json")
    )
    assert result.code == 2
    assert "'mars' is not a Region name" in result.err


def test_catalog_fetch_without_boto3_says_how_to_install_it(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    result = run_cli("catalog", "fetch", "--regions", "us-east-1", "-o", str(tmp_path / "o"))
    assert result.code == 1
    assert result.out == (
        "catalog fetch: error: catalog fetch needs boto3: pip install "
        "'bedrock-gen[aws]'  [catalog-fetch]\n"
    )


def test_boto3_is_never_imported_outside_catalog_fetch(tmp_path: Path) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    config.write_text(
        CONFIG.format(account=ACCOUNT, catalog="catalog: o.json\n", model=KESTREL), "utf-8"
    )
    runs = [
        ["catalog", "import", *map(str, FILES), "-o", str(tmp_path / "o.json")],
        ["validate", str(config)],
        ["render", str(config)],
        ["catalog", "diff", str(FILES[0])],
        ["models", "--routes"],
    ]
    code = (
        "import json, sys\n"
        "from bedrock_gen.cli.main import main\n"
        f"for args in json.loads({json.dumps(json.dumps(runs))}):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exc:\n"
        "        print('exit', exc.code)\n"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    assert [line for line in lines if line.startswith("exit")] == [
        "exit 0",
        "exit 0",
        "exit 0",
        "exit 1",
        "exit 0",
    ]
    assert lines[-1] == "False False"


# -- the benchmark dump --------------------------------------------------------------------------


def test_the_synthetic_30_region_dump_imports_and_agrees_with_the_bundled_routes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """bench/aws_dump.py writes the bundled routes plus synthetic models: the diff has only
    those synthetic models, so the importer reads every route as the catalog means it."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, str(root / "bench/aws_dump.py"), str(tmp_path / "dump")],
        check=True,
        capture_output=True,
    )
    files = sorted((tmp_path / "dump").glob("*.json"))
    assert len(files) == 60
    import_overlay(run_cli, tmp_path / "o.json", *files)
    assert ACCOUNT not in (tmp_path / "o.json").read_text(encoding="utf-8")
    result = run_cli("catalog", "diff", "--format", "json", str(tmp_path / "o.json"))
    diff = report_data(result.out)
    assert all(m.startswith("synth.") for m in diff["models_added"])
    assert len(diff["models_added"]) == 40
    assert all(r["model"].startswith("synth.") for r in diff["routes"])
    assert (
        diff["models_removed"],
        diff["profiles_removed"],
        diff["in_region"],
        diff["status"],
    ) == ([], [], [], [])


def test_itertools_permutations_of_three_outputs_agree(run_cli: RunCli, tmp_path: Path) -> None:
    """Every order of three files that overlap on one model (a complete listing, a single
    profile and a model listing) gives the same bytes."""
    chosen = [
        data("list-inference-profiles.us-east-1.json"),
        data("get-inference-profile.eu-west-1.json"),
        data("list-foundation-models.us-east-1.json"),
    ]
    outputs = set()
    for n, order in enumerate(itertools.permutations(chosen)):
        out = tmp_path / f"{n}.json"
        import_overlay(run_cli, out, *order)
        outputs.add(out.read_bytes())
    assert len(outputs) == 1


# -- what the import does not know --------------------------------------------------------------


def test_a_region_no_aws_source_names_is_warned_about_with_its_place(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A typo in a saved output (eu-wst-1) would otherwise become a grant's Region silently."""
    text = data("get-inference-profile.eu-west-1.json").read_text(encoding="utf-8")
    typo = tmp_path / "typo.json"
    typo.write_text(text.replace("arn:aws:bedrock:eu-west-3::", "arn:aws:bedrock:eu-wst-1::"))
    result = run_cli("catalog", "import", str(typo), "-o", str(tmp_path / "o.json"))
    assert result.code == 0
    line, col = position(typo.read_text(encoding="utf-8"), '"arn:aws:bedrock:eu-wst-1::')
    assert result.out.splitlines()[0] == (
        f"{typo}:{line}:{col}: warning: Region 'eu-wst-1' is named by no AWS source "
        "bedrock-gen knows; did you mean 'eu-west-1'?; it is imported as given: check the file"
        "  [catalog-unknown-region]"
    )
    diff = run_cli("catalog", "diff", str(typo))
    assert "[catalog-unknown-region]" in diff.out and "eu-wst-1" in diff.out


def test_duplicate_keys_are_refused_naming_both_places(run_cli: RunCli, tmp_path: Path) -> None:
    text = data("get-inference-profile.eu-west-1.json").read_text(encoding="utf-8")
    dup = tmp_path / "dup.json"
    dup.write_text(
        text.replace(
            '"status": "ACTIVE",', '"status": "ACTIVE",\n    "inferenceProfileId": "eu.x.y",'
        )
    )
    out = tmp_path / "o.json"
    result = run_cli("catalog", "import", str(dup), "-o", str(out))
    assert result.code == 1 and not out.exists()
    match = one_error_line(result.out.splitlines()[0])
    first, _ = position(text, '"inferenceProfileId"')
    assert match["file"] == str(dup)
    assert f"duplicate key 'inferenceProfileId' (first at line {first}, column" in match["msg"]


def test_a_route_across_partitions_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    text = data("get-inference-profile.eu-west-1.json").read_text(encoding="utf-8")
    for bad in (
        "arn:aws-us-gov:bedrock:eu-central-1::",  # a commercial Region in GovCloud's partition
        "arn:aws-us-gov:bedrock:us-gov-west-1::",  # a GovCloud destination of an eu profile
    ):
        f = tmp_path / "cross.json"
        f.write_text(text.replace("arn:aws:bedrock:eu-central-1::", bad))
        result = run_cli("catalog", "import", str(f), "-o", str(tmp_path / "o.json"))
        assert result.code == 1, bad
        match = one_error_line(result.out.splitlines()[0])
        assert "partition" in match["msg"], match["msg"]
        assert (int(match["line"]), int(match["col"])) == position(f.read_text(), f'"{bad}')


# -- catalog diff between two catalog builds ----------------------------------------------------


def test_catalog_diff_of_two_builds_lists_routes_lifecycle_and_product_ids(
    run_cli: RunCli, tmp_path: Path
) -> None:
    from bedrock_gen.catalog import bundled

    old = bundled.load_raw()
    new = json.loads(json.dumps(old))
    by_id = {m["id"]: m for m in new["models"]}
    # a refresh narrows one table, drops a product ID, ends a model and adds a Region
    sonnet = by_id[SONNET]
    new["route_tables"]["narrowed"] = [{"from": ["us-west-1"], "to": ["us-east-1", "us-west-1"]}]
    sonnet["profiles"]["us"] = "narrowed"
    del sonnet["marketplace_product_id"]
    by_id["amazon.nova-pro-v1:0"]["lifecycle"]["eol_date"] = "2027-01-01"
    by_id["amazon.nova-pro-v1:0"]["in_region"].append("eu-central-2")
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    a.write_text(json.dumps(old), encoding="utf-8")
    b.write_text(json.dumps(new), encoding="utf-8")
    result = run_cli("catalog", "diff", "--format", "json", str(a), str(b))
    assert result.code == 1, result.err
    diff = report_data(result.out)
    assert {r["source"] for r in diff["routes"]} == {
        "ca-central-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
    assert {
        "model": SONNET,
        "geography": "us",
        "source": "us-west-1",
        "change": "changed",
        "global": False,
        "destinations_added": [],
        "destinations_removed": ["us-east-2", "us-west-2"],
    } in diff["routes"]
    assert diff["product_ids"] == [{"model": SONNET, "before": "prod-mxcfnwvpd6kb4", "after": None}]
    assert diff["lifecycle"] == [
        {"model": "amazon.nova-pro-v1:0", "before": "", "after": "EOL 2027-01-01"}
    ]
    assert diff["in_region"] == [
        {"model": "amazon.nova-pro-v1:0", "region": "eu-central-2", "before": False, "after": True}
    ]
    same = run_cli("catalog", "diff", str(a), str(a))
    assert (same.code, same.out) == (0, "The two catalog builds hold the same facts.\n")
    text = run_cli("catalog", "diff", str(a), str(b)).out
    assert "Marketplace product IDs" in text and "Lifecycle dates" in text
    one = run_cli("catalog", "diff", str(a), str(data("get-inference-profile.eu-west-1.json")))
    assert one.code == 2 and "two catalog builds" in one.err


def test_catalog_fetch_that_cannot_write_is_one_line_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path, stubbed: dict[str, Any]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = tmp_path / "fetched.json"
    result = run_cli(
        "catalog",
        "fetch",
        "--regions",
        "us-east-1,us-west-2",
        "-o",
        str(out),
        "--save-raw",
        str(blocker / "raw"),
    )
    assert (result.code, result.err) == (1, "")
    assert result.out.splitlines() == [
        f"{blocker / 'raw'}: error: cannot write: Not a directory  [catalog-output]"
    ]
    assert not out.exists()


def test_catalog_diff_of_two_files_that_only_look_like_builds_is_one_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    old = tmp_path / "old.json"
    old.write_text('{"catalog_version": 3, "models": "not a list"}\n', encoding="utf-8")
    new = tmp_path / "new.json"
    shutil.copy(old, new)
    result = run_cli("catalog", "diff", str(old), str(new))
    assert (result.code, result.err) == (1, "")
    [line] = result.out.splitlines()
    assert line.startswith(f"{old}: error: not a catalog build bedrock-gen can read (")
    assert line.endswith("[catalog-build]")
