"""The YAML loader: locations, limits and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedrock_gen.diagnostics import Location
from bedrock_gen.errors import ConfigError
from bedrock_gen.load.yaml_source import MAX_BYTES, load_bytes, load_file, load_text


def _error(text: str | bytes) -> str:
    with pytest.raises(ConfigError) as info:
        if isinstance(text, bytes):
            load_bytes(text, "c.yaml")
        else:
            load_text(text, "c.yaml")
    (diag,) = info.value.diagnostics
    return diag.format_text()


def test_every_value_and_key_keeps_its_line_and_column() -> None:
    doc = load_text("a:\n  b: [x, {c: 1}]\n", "c.yaml")
    assert doc.values[("a", "b", 1, "c")] == Location(2, 14)
    assert doc.keys[("a", "b")] == Location(2, 3)
    assert doc.locate(("a", "b", 5)) == Location(2, 6)  # nearest located ancestor


def test_plain_scalars_keep_their_source_text() -> None:
    doc = load_text("o: 0o17\nm: 017\nb: yes\n", "c.yaml")
    assert doc.data == {"o": "0o17", "m": 15, "b": True}  # YAML 1.1, as PyYAML reads it
    assert doc.raw[("m",)] == "017"  # validation refuses all three (test_hostile_yaml)


def test_aliases_and_merge_keys_carry_the_anchor_locations() -> None:
    doc = load_text("base: &b {x: 1}\nuse:\n  <<: *b\n  z: 2\n", "c.yaml")
    assert doc.data["use"] == {"z": 2, "x": 1}
    assert doc.values[("use", "x")] == Location(1, 14)


def test_dates_stay_strings() -> None:
    assert load_text("d: 2026-11-28\n", "c.yaml").data == {"d": "2026-11-28"}


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    assert _error("a: 1\nb: 2\na: 3\n") == (
        "c.yaml:3:1: error: duplicate key 'a' (first defined "
        "at line 1); YAML would silently keep only the last "
        "one  [yaml-duplicate-key]"
    )


def test_unknown_alias_is_an_error() -> None:
    assert "alias *nope refers to no anchor" in _error("a: *nope\n")


def test_complex_keys_are_refused() -> None:
    assert "mapping keys must be plain strings" in _error("? [a]\n: 1\n")


def test_binary_and_set_tags_are_refused() -> None:
    assert "YAML tag !!binary is not allowed" in _error("a: !!binary aGk=\n")
    assert "YAML tag !!set is not allowed" in _error("a: !!set {x}\n")


def test_utf16_with_bom_is_read() -> None:
    text = "version: 1\n"
    assert load_bytes(b"\xff\xfe" + text.encode("utf-16-le"), "c.yaml").data == {"version": 1}


def test_invalid_utf8_is_located() -> None:
    assert _error(b"a: 1\nb: caf\xe9\n") == (
        "c.yaml:2:7: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8  [file-encoding]"
    )


def test_files_over_the_size_limit_are_refused_without_reading_them_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 10))
    with pytest.raises(ConfigError) as info:
        load_file(big, "big.yaml")
    assert "larger than 1024 KiB" in info.value.diagnostics[0].message


def test_missing_file_and_directory_are_one_line_errors(tmp_path: Path) -> None:
    for path, text in ((tmp_path / "nope.yaml", "no such file"), (tmp_path, "is a directory")):
        with pytest.raises(ConfigError) as info:
            load_file(path)
        assert text in info.value.diagnostics[0].message


def test_long_flat_flow_sequences_do_not_recurse() -> None:
    doc = load_text("a: [" + ", ".join("x" for _ in range(20_000)) + "]\n", "c.yaml")
    assert len(doc.data["a"]) == 20_000


def test_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ConfigError) as info:
            load_file(path, "c.yaml")
        assert info.value.diagnostics[0].message.startswith("is a FIFO, device or socket")


def test_utf16_without_a_bom_is_named() -> None:
    assert "looks like UTF-16 without a byte-order mark" in _error(
        "version: 1\nname: x\n".encode("utf-16-le")
    )


def test_a_lone_surrogate_is_refused_by_either_yaml_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    text = 'name: "gw\\ud800"\n'
    assert "invalid Unicode character escape" in _error(text)  # libyaml
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # PyYAML's own reader
    assert _error(text) == (
        "c.yaml:1:7: error: a lone UTF-16 surrogate (U+D800) is half of a character; write the "
        "character itself  [yaml-syntax]"
    )
