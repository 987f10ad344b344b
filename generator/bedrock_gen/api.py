"""The library API: what the CLI calls and what tests can call directly.

Each function handles one config file and returns a ``FileResult``; problems with the input come
back as diagnostics, never as exceptions, so a caller can report many files in one run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bedrock_gen import catalog as catalog_mod
from bedrock_gen.config import Config
from bedrock_gen.diagnostics import Diagnostic, has_errors, sorted_unique
from bedrock_gen.exceptions import BedrockGenError
from bedrock_gen.loader import Document, PathKey
from bedrock_gen.output import Change
from bedrock_gen.resolve import Documents

Mode = Literal["write", "check", "diff"]


@dataclass
class FileResult:
    """What happened to one config file."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    config: Config | None = None
    documents: Documents | None = None
    out_dir: Path | None = None
    changes: list[Change] = field(default_factory=list)
    mode: Mode | None = None
    document: Document | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    @property
    def drifted(self) -> list[Change]:
        return [c for c in self.changes if c.action != "unchanged"]


def _display(path: str | Path) -> str:
    return str(path)


def check_config(path: str | Path, environ: Mapping[str, str] | None = None,
                 need_secrets: bool = False) -> FileResult:
    """Load and validate one config (both passes)."""
    from bedrock_gen.loader import load_file
    from bedrock_gen.validation import validate

    result = FileResult(_display(path))
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
    return result


def _resolve_into(result: FileResult, environ: Mapping[str, str] | None,
                  need_value: bool) -> None:
    from bedrock_gen.resolve import resolve

    assert result.config is not None
    spec = result.config.auth.external_id
    value = spec.value(environ) if spec is not None else None
    if spec is not None and value is None and not need_value:
        value = "placeholder-external-id"  # validate without the secret: same size class
    try:
        result.documents = resolve(result.config, catalog_mod.load(), value)
    except BedrockGenError as exc:
        located = []
        for d in exc.diagnostics:
            where: PathKey = ("auth",) if d.code.startswith("trust") else ("models",)
            loc = result.document.locate_key(where) if result.document else d.location
            located.append(Diagnostic(d.severity, d.code, d.message, result.file, loc))
        result.diagnostics = sorted_unique([*result.diagnostics, *located])


def output_files(config: Config, documents: Documents) -> dict[str, bytes]:
    """Every file ``render`` produces for a config, by path relative to the output directory."""
    from bedrock_gen import render_json, terraform

    return {**render_json.render(documents), **terraform.render(config, documents)}


def render_config(path: str | Path, *, output: str | Path | None = None, mode: Mode = "write",
                  environ: Mapping[str, str] | None = None) -> FileResult:
    """``bedrock-gen render``: write (or compare) everything a config produces."""
    from bedrock_gen import output as output_mod

    result = check_config(path, environ, need_secrets=True)
    result.mode = mode
    if result.config is None:
        return result
    _resolve_into(result, environ, need_value=True)
    if result.documents is None:
        return result
    base = Path(path).parent
    out_dir = Path(output) if output is not None else result.config.output_path(base)
    result.out_dir = out_dir
    files = output_files(result.config, result.documents)
    try:
        if mode == "write":
            result.changes = output_mod.write(out_dir, files)
        else:
            result.changes = output_mod.plan(out_dir, files)
    except BedrockGenError as exc:
        result.diagnostics = sorted_unique([*result.diagnostics, *exc.diagnostics])
    return result
