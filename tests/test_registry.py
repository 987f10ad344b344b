"""A gateway preset is one module plus its example: everything else that names presets or auth
modes is checked against the registry here (the schema's enums, the README, the examples)."""

from __future__ import annotations

import json
import re

import yaml

from bedrock_gen.gateways.registry import MODES, PRESET_MODULES, PRESETS, hook
from conftest import EXAMPLES, ROOT

SCHEMA = json.loads((ROOT / "schemas/bedrock-gen.schema.json").read_text(encoding="utf-8"))


def test_the_schemas_gateway_enums_are_the_registrys_presets() -> None:
    top = SCHEMA["properties"]["gateway"]["enum"]
    under_auth = SCHEMA["properties"]["auth"]["properties"]["gateway"]["enum"]
    assert set(top) == set(under_auth) == set(PRESETS)
    assert len(top) == len(set(top))


def test_the_schemas_auth_modes_are_the_registrys_modes() -> None:
    assert set(SCHEMA["properties"]["auth"]["properties"]["mode"]["enum"]) == set(MODES)


def test_every_preset_is_its_own_module_with_its_id_and_an_example() -> None:
    used = set()
    for example in EXAMPLES:
        data = yaml.safe_load(example.read_text(encoding="utf-8"))
        auth = data.get("auth", {})
        gateway = data.get("gateway") or auth.get("gateway")
        if gateway is None:
            gateway = "port" if auth.get("mode") in ("assume_role", "access_keys") else "custom"
        used.add(gateway)
    for pid, module in PRESET_MODULES.items():
        assert PRESETS[pid].id == pid, module
        assert pid in used, f"gateway preset {pid} has no example under examples/"


def test_the_readme_names_every_preset_and_mode() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^gateway: \w+ +# (.*)$", readme, re.M)
    assert line is not None
    assert set(line.group(1).split()) == set(PRESETS)
    for mode in MODES:
        assert f"`{mode}`" in readme, mode


def test_a_presets_hooks_are_its_own() -> None:
    assert hook("port", "check") is not None and hook("port", "files") is not None
    assert hook("portkey", "files") is None and hook("custom", "check") is None
