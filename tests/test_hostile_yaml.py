"""A config means the same to every tool (issue 25, item 4): plain scalars that YAML 1.1
(PyYAML, and so bedrock-gen) and YAML 1.2 (yq, Go's yaml.v3, JavaScript's yaml) read
differently are refused, for every key, booleans included, with the form to write."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bedrock_gen.api import validate_config
from bedrock_gen.load.document import show
from bedrock_gen.load.yaml_source import load_file, load_text
from conftest import EXAMPLES, MINIMAL

REFUSED = {
    # raw: (YAML 1.1 reads, YAML 1.2 reads)
    "yes": ("true", 'the string "yes"'),
    "Yes": ("true", 'the string "Yes"'),
    "NO": ("false", 'the string "NO"'),
    "on": ("true", 'the string "on"'),
    "Off": ("false", 'the string "Off"'),
    "y": ("true", 'the string "y"'),
    "N": ("false", 'the string "N"'),
    "yEs": ("true", 'the string "yEs"'),
    "3_600": ("the number 3600", 'the string "3_600"'),
    "1:00:00": ("the number 3600", 'the string "1:00:00"'),
    "017": ("the number 15", "the number 17"),
    "0o17": ('the string "0o17"', "the number 15"),
    "0b101": ("the number 5", 'the string "0b101"'),
    "-0x1F": ("the number -31", 'the string "-0x1F"'),
    "1e3": ('the string "1e3"', "the number 1000.0"),
    "1_000.5": ("the number 1000.5", 'the string "1_000.5"'),
    "012345678901": ('the string "012345678901"', "the number 12345678901"),
}
ALIKE = ["true", "false", "True", "FALSE", "0x1F", ".inf", "-.Inf", ".NaN", "1.5e+3", "1.0"]
ALIKE += ["3600", "-7", "~", "null", "", "abc", "2026-11-28", "eu-west-1", "yes-please"]


@pytest.mark.parametrize("raw", sorted(REFUSED))
def test_readings_that_differ_between_yaml_1_1_and_1_2_are_named(raw: str) -> None:
    from bedrock_gen.load.yaml_source import disagreement

    assert disagreement(raw) == REFUSED[raw]


@pytest.mark.parametrize("raw", ALIKE)
def test_readings_both_versions_share_pass(raw: str) -> None:
    from bedrock_gen.load.yaml_source import disagreement

    assert disagreement(raw) is None


@pytest.mark.parametrize("header", ["", "%YAML 1.2\n---\n", "%YAML 1.1\n---\n"])
def test_in_region_yes_is_refused_with_the_boolean_to_write(header: str, write_config: Any) -> None:
    text = header + MINIMAL.replace(
        "  geographies: [eu]\n", "  geographies: [eu]\n  in_region: yes\n"
    )
    result = validate_config(write_config(text))
    assert not result.ok and result.config is None
    (failure,) = result.failures
    assert failure.code == "yaml-ambiguous"
    assert failure.message == (
        "'models.in_region' is written yes without quotes: YAML 1.1 reads true, YAML 1.2 "
        'reads the string "yes"; write true'
    )


@pytest.mark.parametrize(
    ("auth_line", "advice"),
    [
        ("role_name: on", 'write "on"'),  # a string key: the quoted form
        ("max_session_duration: 1:00:00", "write 3600"),  # a number key: the number
        ("max_session_duration: 017", "write 15 or 17"),  # which one was meant?
        ("external_id: 1_0", 'write "1_0"'),  # a string or a mapping: the string
    ],
)
def test_the_form_to_write_follows_what_the_key_takes(
    auth_line: str, advice: str, write_config: Any
) -> None:
    if auth_line.startswith("external_id"):
        text = re.sub(r"  external_id: .*\n", f"  {auth_line}\n", MINIMAL)
        assert auth_line in text
    else:
        text = MINIMAL + f"  {auth_line}\n"
    result = validate_config(write_config(text))
    messages = [d.message for d in result.failures if d.code == "yaml-ambiguous"]
    assert len(messages) == 1 and messages[0].endswith(advice), result.diagnostics


def test_a_key_yaml_1_1_reads_as_a_boolean_is_refused_at_its_place() -> None:
    from bedrock_gen.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        load_text("terraform:\n  tags:\n    on: x\n", "c.yaml")
    (d,) = info.value.diagnostics
    assert (d.code, d.location) == ("yaml-ambiguous", (3, 5))
    assert d.message.endswith('write "on"')
    assert load_text('terraform:\n  tags:\n    "on": x\n', "c.yaml").data["terraform"]["tags"]


def test_long_numbers_are_refused_before_int_reads_them() -> None:
    from bedrock_gen.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        load_text("limits:\n  trust_policy_size: " + "9" * 5000 + "\n", "c.yaml")
    (d,) = info.value.diagnostics
    assert d.code == "yaml-number" and d.location == (2, 22) and len(d.message) < 100


def _value_paths() -> list[tuple[str, tuple[Any, ...], Any]]:
    """Every scalar value of every example, once per shape of path."""
    out: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

    def walk(node: Any, path: tuple[Any, ...], data: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k), data)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i), data)
        else:
            norm = tuple("#" if isinstance(p, int) else p for p in path)
            out.setdefault(norm, (path, data))

    for example in EXAMPLES:
        data = load_file(example).data
        walk(data, (), data)
    return [(".".join(map(str, k)), p, d) for k, (p, d) in sorted(out.items(), key=str)]


VALUES = _value_paths()


@pytest.mark.parametrize(("name", "path", "data"), VALUES, ids=[v[0] for v in VALUES])
def test_every_key_refuses_a_yaml_1_1_only_reading(
    name: str, path: tuple[Any, ...], data: Any, tmp_path: Path
) -> None:
    changed = json.loads(json.dumps(data))
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = "@@RAW@@"
    for raw in ("yes", "3_600"):
        config = tmp_path / "bedrock-gen.yaml"
        config.write_text(json.dumps(changed).replace('"@@RAW@@"', raw))  # JSON flow is YAML
        result = validate_config(config)
        found = [d for d in result.failures if d.code in ("yaml-ambiguous", "account-id-number")]
        assert len(found) == 1, (name, raw, result.diagnostics)
        if found[0].code == "account-id-number":  # its own message: quote the 12 digits
            assert f'write account_id: "{raw}"' in found[0].message
        else:
            assert found[0].message.startswith(f"'{show(path)}' is written {raw} without quotes")
