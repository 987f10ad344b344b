"""Untrusted text never reaches a terminal or a CI log raw (issue 25, item 2).

A payload of escape sequences (a terminal title, a colour), BEL, CR/LF with a forged GitHub
workflow command, a bidirectional override and the C1 CSI byte is put into every input field
bedrock-gen reads (every config key and value of the examples and the schema, lint input
elements, imported AWS outputs, file names) and every report format (text, json, github,
sarif; tables as text and markdown). Whatever bedrock-gen answers, its output holds none of
those characters raw: they are escaped visibly (``printable.shown``) or, in JSON, by JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bedrock_gen.api import render_config, validate_config
from bedrock_gen.cli.reporters import REPORTERS
from bedrock_gen.load.yaml_source import load_file, load_text
from bedrock_gen.report import Mode, Report
from bedrock_gen.resources import load_schema
from conftest import CASES, EXAMPLES, MINIMAL, RunCli

PAYLOAD = "\x1b]0;PWNED\x07\x1b[31mRED\r\n::error file=x::FORGED\u202eEVIL\x9b1m\x85"
# What must never be printed raw: C0 (but the newline that ends a line), DEL, C1, the line
# and paragraph separators, bidirectional embeddings, overrides and isolates.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMATS = ("text", "json", "github", "sarif")


def assert_printable(out: str, where: object) -> None:
    bad = RAW.search(out)
    assert bad is None, f"{where}: U+{ord(bad.group()):04X} printed raw in {out[:2000]!r}"
    for line in out.split("\n"):
        assert not line.lstrip().startswith("::error file=x"), f"{where}: a forged line: {line}"


def _norm(path: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("#" if isinstance(p, int) else p for p in path)


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield "key", (*path, k)
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))
    else:
        yield "value", path


def _schema_leaves(schema: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every property path the schema names (list items as index 0)."""
    options = [schema, *schema.get("oneOf", [])]
    children = False
    for option in options:
        for key, sub in option.get("properties", {}).items():
            children = True
            yield from _schema_leaves(sub, (*path, key))
        items = option.get("items")
        if isinstance(items, dict):
            children = True
            yield from _schema_leaves(items, (*path, 0))
    if not children and path:
        yield path


def _fields() -> list[tuple[str, str, tuple[Any, ...], Any]]:
    """(id, kind, path, base config data): each key and value shape of every example and
    positive case once, and every schema property not among them, set on the minimal config."""
    configs = [*EXAMPLES, *sorted((CASES / "positive").glob("*/bedrock-gen.yaml"))]
    seen: dict[tuple[str, tuple[Any, ...]], tuple[tuple[Any, ...], Any]] = {}
    for config in configs:
        data = load_file(config).data
        for kind, path in _walk(data):
            seen.setdefault((kind, _norm(path)), (path, data))
    minimal = load_text(MINIMAL, "minimal.yaml").data
    for path in _schema_leaves(load_schema()):
        if ("value", _norm(path)) not in seen:
            seen[("value", _norm(path))] = (path, minimal)
    return [
        (f"{kind}:{'.'.join(map(str, norm))}", kind, path, data)
        for (kind, norm), (path, data) in sorted(seen.items(), key=str)
    ]


def _with_payload(data: Any, kind: str, path: tuple[Any, ...]) -> Any:
    data = json.loads(json.dumps(data))
    node = data
    for i, part in enumerate(path[:-1]):
        fresh: Any = [] if isinstance(path[i + 1], int) else {}
        if isinstance(node, dict):
            if not isinstance(node.get(part), (dict, list)):
                node[part] = fresh
            node = node[part]
        else:
            while len(node) <= part:
                node.append(fresh)
            node = node[part]
    last = path[-1]
    if kind == "key":
        node[f"{last}{PAYLOAD}"] = node.pop(last)
    elif isinstance(node, list):
        while len(node) <= last:
            node.append("")
        node[last] = f"{node[last]}{PAYLOAD}" if isinstance(node[last], str) else PAYLOAD
    else:
        old = node.get(last)
        node[last] = f"{old}{PAYLOAD}" if isinstance(old, str) else PAYLOAD
    return data


FIELDS = _fields()


def _report(report: Report) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        lines: list[str] = []
        REPORTERS[fmt]().report(report, lines.append, lines.append)
        out[fmt] = "\n".join(lines)
    return out


def test_the_sweep_covers_the_fields_the_attack_used() -> None:
    ids = {f[0] for f in FIELDS}
    for field in (
        "value:models.ids.#",
        "value:auth.trusted_principals.#",
        "value:auth.service_accounts.#",
        "value:guardrails.#",
        "value:output_dir",
        "value:catalog",
        "value:description",
        "key:terraform.tags.team",
    ):
        assert field in ids
    assert len(FIELDS) > 100


@pytest.mark.parametrize(("field", "kind", "path", "data"), FIELDS, ids=[f[0] for f in FIELDS])
def test_a_config_field_with_control_characters_prints_safely_in_every_format(
    field: str, kind: str, path: tuple[Any, ...], data: Any, tmp_path: Path
) -> None:
    config = tmp_path / "bedrock-gen.yaml"
    # JSON is YAML: "\u001b" arrives as ESC, as a YAML double-quoted escape would.
    config.write_text(json.dumps(_with_payload(data, kind, path)))
    result = validate_config(config)
    for fmt, out in _report(Report("validate", [result])).items():
        assert_printable(out, (field, fmt))
    if result.ok:  # the value was accepted: what render prints (next steps) must be safe too
        rendered = render_config(config, output=tmp_path / "out", mode=Mode.WRITE)
        for fmt, out in _report(Report("render", [rendered], Mode.WRITE, verbose=True)).items():
            assert_printable(out, (field, "render", fmt))


def test_json_output_escapes_and_keeps_the_file_name_exactly(tmp_path: Path) -> None:
    config = tmp_path / f"c{PAYLOAD}.yaml"
    config.write_text(MINIMAL.replace("claude-sonnet-4-5", json.dumps("x" + PAYLOAD)))
    (out,) = [_report(Report("validate", [validate_config(config)]))["json"]]
    (entry,) = json.loads(out)["files"]
    assert entry["file"] == str(config)  # data for programs: exact, JSON-escaped
    for d in entry["diagnostics"]:
        assert_printable(d["message"], "a message read by jq -r")


POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "S",
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel"],
            "Resource": ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-x"],
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        }
    ],
}
TRUST: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Condition": {"StringEquals": {"sts:ExternalId": "abc-123"}},
        }
    ],
}


def _lint_variants() -> Iterator[tuple[str, dict[str, Any]]]:
    for doc_name, doc in (("identity", POLICY), ("trust", TRUST)):
        for kind, path in _walk(doc):
            variant = _with_payload(doc, kind, path)
            yield f"{doc_name}-{kind}:{'.'.join(map(str, path))}", variant
    yield (
        "principal-key",
        {**TRUST, "Statement": [{**TRUST["Statement"][0], "Principal": {PAYLOAD: "x"}}]},
    )


LINT_VARIANTS = list(_lint_variants())


@pytest.mark.parametrize(("name", "doc"), LINT_VARIANTS, ids=[v[0] for v in LINT_VARIANTS])
def test_a_linted_policy_with_control_characters_prints_safely_in_every_format(
    name: str, doc: dict[str, Any], tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(doc))
    for fmt in FORMATS:
        result = run_cli("lint", "--format", fmt, str(path))
        assert result.code in (0, 1)
        assert_printable(result.out + result.err, (name, fmt))


def test_file_names_with_control_characters_print_safely(tmp_path: Path, run_cli: RunCli) -> None:
    policy = tmp_path / f"p{PAYLOAD}.json"
    policy.write_text('{"Version": "2012-10-17", "Statement": []}')
    config = tmp_path / f"c{PAYLOAD}.yaml"
    config.write_text(MINIMAL + "unknown: 1\n")
    for fmt in FORMATS:
        for args in (("lint", str(policy)), ("validate", str(config))):
            result = run_cli(args[0], "--format", fmt, *args[1:])
            assert result.code == 1
            assert_printable(result.out + result.err, (args[0], fmt))
    result = run_cli("lint", str(tmp_path / f"missing{PAYLOAD}.json"))
    assert_printable(result.out + result.err, "a missing file")


MODEL_ARN = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-x-v1:0"


def _profiles(status: str, name: str) -> dict[str, Any]:
    return {
        "inferenceProfileSummaries": [
            {
                "inferenceProfileArn": "arn:aws:bedrock:eu-west-1:111122223333:"
                "inference-profile/eu.anthropic.claude-x-v1:0",
                "inferenceProfileId": "eu.anthropic.claude-x-v1:0",
                "inferenceProfileName": name,
                "status": status,
                "type": "SYSTEM_DEFINED",
                "models": [{"modelArn": MODEL_ARN}],
            }
        ]
    }


def _models(status: str, name: str) -> dict[str, Any]:
    return {
        "modelSummaries": [
            {
                "modelArn": MODEL_ARN,
                "modelId": "anthropic.claude-x-v1:0",
                "modelName": name,
                "providerName": name,
                "inferenceTypesSupported": ["ON_DEMAND"],
                "modelLifecycle": {"status": status},
            }
        ]
    }


@pytest.mark.parametrize("where", ["profile-status", "model-status", "names", "file-name"])
def test_imported_fields_with_control_characters_print_safely(
    where: str, tmp_path: Path, run_cli: RunCli
) -> None:
    status = PAYLOAD if where.endswith("status") else "ACTIVE"
    name = PAYLOAD if where == "names" else "Claude X"
    inputs = []
    for n, data in enumerate((_profiles(status, name), _models(status, name))):
        path = tmp_path / (f"out{n}{PAYLOAD}.json" if where == "file-name" else f"out{n}.json")
        path.write_text(json.dumps(data))
        inputs.append(str(path))
    overlay = tmp_path / "overlay.json"
    outputs = [run_cli("catalog", "import", *inputs, "-o", str(overlay))]
    for fmt in ("text", "markdown", "json"):
        outputs.append(run_cli("catalog", "diff", "--format", fmt, *inputs))
    if overlay.exists():
        outputs.append(run_cli("models", "--catalog", str(overlay)))
        outputs.append(run_cli("models", "--routes", "--catalog", str(overlay)))
    for result in outputs:
        assert result.code in (0, 1, 2)
        assert_printable(result.out + result.err, where)


@pytest.mark.parametrize("element", ["action", "resource"])
def test_review_tables_with_control_characters_print_safely(
    element: str, tmp_path: Path, run_cli: RunCli
) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps(POLICY))
    changed = json.loads(json.dumps(POLICY))
    statement = changed["Statement"][0]
    if element == "action":
        statement["Action"].append(f"bedrock:Invoke{PAYLOAD}*")
    else:
        statement["Resource"].append(f"arn:aws:bedrock:eu-west-1::foundation-model/{PAYLOAD}")
    new.write_text(json.dumps(changed))
    outputs = [run_cli("diff", "--format", fmt, str(old), str(new)) for fmt in ("text", "markdown")]
    outputs.append(
        run_cli(
            "simulate",
            str(new),
            "--action",
            f"bedrock:InvokeModel{PAYLOAD}",
            "--resource",
            f"arn:aws:bedrock:eu-west-1::foundation-model/{PAYLOAD}",
            "--context",
            f"aws:PrincipalTag/x={PAYLOAD}",
        )
    )
    for result in outputs:
        assert result.code in (0, 1, 2)
        assert_printable(result.out + result.err, element)
