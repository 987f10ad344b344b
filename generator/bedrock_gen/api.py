"""The library API: what the CLI calls and what tests can call directly.

Each function handles one config file and returns a ``FileResult``; problems with the input come
back as diagnostics, never as exceptions, so a caller can report many files in one run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from bedrock_gen import catalog as catalog_mod
from bedrock_gen.config import Config
from bedrock_gen.diagnostics import Diagnostic, sorted_unique
from bedrock_gen.exceptions import BedrockGenError
from bedrock_gen.loader import Document, PathKey
from bedrock_gen.output import Change
from bedrock_gen.resolve import Documents

Mode = Literal["write", "check", "diff"]


class FileResult:
    """What happened to one config (or policy) file."""

    def __init__(self, file: str, diagnostics: list[Diagnostic] | None = None,
                 fail_on: frozenset[str] = frozenset({"error"})) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = diagnostics or []
        self.config: Config | None = None
        self.documents: Documents | None = None
        self.out_dir: Path | None = None
        self.changes: list[Change] = []
        self.mode: Mode | None = None
        self.document: Document | None = None
        self.fail_on = fail_on  # severities that make a file fail

    @property
    def failures(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity in self.fail_on]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def drifted(self) -> list[Change]:
        return [c for c in self.changes if c.action != "unchanged"]


def check_config(path: str | Path, environ: Mapping[str, str] | None = None,
                 need_secrets: bool = False) -> FileResult:
    """Load and validate one config (both passes)."""
    from bedrock_gen.loader import load_file
    from bedrock_gen.validation import validate

    result = FileResult(str(path))
    try:
        doc = load_file(path, result.file)
    except BedrockGenError as exc:
        result.diagnostics = exc.diagnostics
        return result
    result.document = doc
    config, diagnostics = validate(doc, catalog_mod.load(), environ, need_secrets)
    result.config = config
    result.diagnostics = sorted_unique(diagnostics)
    return result


def validate_config(path: str | Path, environ: Mapping[str, str] | None = None) -> FileResult:
    """``bedrock-gen validate``: the config, and the documents it resolves to."""
    result = check_config(path, environ)
    if result.config is not None:
        _resolve_into(result, environ, need_value=False)
    if result.documents is not None:
        _self_lint(result)
    return result


def _resolve_into(result: FileResult, environ: Mapping[str, str] | None,
                  need_value: bool) -> None:
    from bedrock_gen.resolve import resolve

    assert result.config is not None
    spec = result.config.auth.external_id
    value = spec.value(environ) if spec is not None else None
    if spec is not None and value is None and not need_value:
        # Validating without the secret: size the trust policy for the longest external ID
        # STS allows, so that a config validate accepts never fails render on size.
        value = "x" * 1224
    try:
        result.documents = resolve(result.config, catalog_mod.load(), value)
    except BedrockGenError as exc:
        located = []
        for d in exc.diagnostics:
            where: PathKey = ("auth",) if d.code.startswith("trust") else ("models",)
            loc = result.document.locate_key(where) if result.document else d.location
            located.append(Diagnostic(d.severity, d.code, d.message, result.file, loc))
        result.diagnostics = sorted_unique([*result.diagnostics, *located])


def _self_lint(result: FileResult) -> None:
    """Generated documents must pass bedrock-gen's own lint: a config can never render a policy
    that ``bedrock-gen lint`` would reject."""
    from bedrock_gen.lint import DEFAULT_FAIL_ON, failing, ignore, lint_data

    assert result.config is not None and result.documents is not None
    cat = catalog_mod.load()
    for doc in result.documents.all():
        kind = "trust" if doc is result.documents.trust else "identity"
        findings = lint_data(doc.document, f"iam/{doc.filename}", cat, kind,
                             result.config.trust_policy_limit)
        for d in failing(ignore(findings, result.config.lint_ignore), DEFAULT_FAIL_ON):
            result.diagnostics.append(Diagnostic(
                "error", "self-lint", f"generated iam/{doc.filename} fails bedrock-gen lint "
                f"[{d.code}]: {d.message}", result.file))
    if not result.ok:
        result.documents = None


def lint_file(path: str | Path, *, kind: str = "auto", ignored: tuple[str, ...] = (),
              trust_limit: int = 2048,
              fail_on: frozenset[str] = frozenset({"ERROR", "SECURITY_WARNING"})) -> FileResult:
    """``bedrock-gen lint``: findings for one IAM JSON document."""
    from bedrock_gen import jsonloc
    from bedrock_gen.lint import ignore, lint_document

    result = FileResult(str(path), fail_on=frozenset(f.lower() for f in fail_on))
    try:
        doc = jsonloc.load_file(str(path), result.file)
    except BedrockGenError as exc:
        result.diagnostics = [Diagnostic("error", "JSON_SYNTAX" if d.code == "JSON_SYNTAX"
                                         else d.code.upper().replace("-", "_"),
                                         d.message, d.file, d.location)
                              for d in exc.diagnostics]
        return result
    findings = lint_document(doc, catalog_mod.load(), kind, trust_limit)
    result.diagnostics = sorted_unique(ignore(findings, ignored))
    return result


def output_files(config: Config, documents: Documents) -> dict[str, bytes]:
    """Every file ``render`` produces for a config, by path relative to the output directory."""
    from bedrock_gen import render_json, terraform

    return {**render_json.render(documents), **terraform.render(config, documents)}


def config_paths(paths: list[str]) -> tuple[list[str], list[FileResult]]:
    """Configs named directly, or through a file or folder they generated (pre-commit passes
    generated files too, so that editing one by hand is caught)."""
    from bedrock_gen.output import owning_config

    configs: list[str] = []
    problems: list[FileResult] = []
    for raw in paths:
        path = Path(raw)
        if path.suffix in (".yaml", ".yml") or not path.exists():
            chosen = raw
        else:
            owner = owning_config(path)
            if owner is None:
                problems.append(FileResult(raw, [Diagnostic(
                    "error", "not-a-config", "neither a bedrock-gen config nor a file it "
                    "generated (no .bedrock-gen-manifest.json above it names a config)", raw)]))
                continue
            chosen = os.path.relpath(owner) if not Path(raw).is_absolute() else str(owner)
        if chosen not in configs:
            configs.append(chosen)
    return configs, problems


def render_config(path: str | Path, *, output: str | Path | None = None, mode: Mode = "write",
                  environ: Mapping[str, str] | None = None) -> FileResult:
    """``bedrock-gen render``: write (or compare) everything a config produces."""
    from bedrock_gen import output as output_mod

    result = check_config(path, environ, need_secrets=True)
    result.mode = mode
    if result.config is None:
        return result
    _resolve_into(result, environ, need_value=True)
    if result.documents is not None:
        _self_lint(result)
    if result.documents is None:
        return result
    base = Path(path).parent
    out_dir = Path(output) if output is not None else result.config.output_path(base)
    result.out_dir = out_dir
    files = output_files(result.config, result.documents)
    try:
        if mode == "write":
            result.changes = output_mod.write(out_dir, files, Path(path))
        else:
            result.changes = output_mod.plan(out_dir, files, Path(path))
    except BedrockGenError as exc:
        result.diagnostics = sorted_unique([*result.diagnostics, *exc.diagnostics])
    return result
