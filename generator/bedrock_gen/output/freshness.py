"""Whether rendering again would change nothing, answered without validating or resolving.

A pre-commit hook renders on every commit and nearly always finds the output folder as the
last render left it. That render recorded in the manifest a digest (``source``) of everything
it read: bedrock-gen's own code, data, templates and schemas; the config as parsed (comments
and line endings do not count) and which of its unquoted values YAML 1.2 reads differently;
where the config sits relative to the folder; the catalog overlay; the old module's layout; the
policy parts it chose; and, sealing the record, every file it wrote and the module's digest.
Renders are deterministic and a render keeps the parts the last one chose, so when that digest
is the same, the manifest is byte for byte what it wrote and every file is what the manifest
lists, a full render would write the same bytes and report the same (nothing): ``render`` can
say "up to date" having loaded the YAML and hashed the files, without importing the validator,
the resolver or Jinja2.

A render records a source only when its answer can be replayed: it had no diagnostics at all
(warnings are not replayed), and it read nothing outside the digest (an external ID from the
environment is checked by validation, so such a config always takes the full path).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from bedrock_gen.errors import BedrockGenError
from bedrock_gen.load.document import Document
from bedrock_gen.load.yaml_source import ambiguous_plain_scalars
from bedrock_gen.output.manifest import (
    MANIFEST,
    digest,
    parse,
    read_raw,
    regular_bytes,
    safe_relative,
)


def source_digest(
    doc: Document,
    relative: str,
    overlay: str | None,
    legacy: str | None,
    placement: Mapping[str, int],
) -> str | None:
    """Of everything a render reads; None for data JSON cannot hold (never from the loader,
    which gives string keys and no cycles; a guard, since the quick path has not validated)."""
    from bedrock_gen import __version__
    from bedrock_gen.resources import code_digest

    try:
        parsed = json.dumps(doc.data, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        return None
    ambiguous = [list(path) for path, _raw, _reading in ambiguous_plain_scalars(doc)]
    h = hashlib.sha256()
    for part in (
        __version__,
        code_digest(),
        parsed,
        json.dumps(ambiguous),
        relative,
        overlay or "",
        legacy or "",
        json.dumps(sorted(placement.items())),
    ):
        h.update(part.encode() + b"\0")
    return "sha256:" + h.hexdigest()


def sealed(digest_: str, files: Mapping[str, str], inputs: str | None = None) -> str:
    """A digest of what a render read, sealed with what it wrote (the manifest's file list,
    and the module's digest): an edit to the manifest is noticed like any other change."""
    h = hashlib.sha256(digest_.encode() + b"\0" + (inputs or "").encode() + b"\0")
    for rel, want in sorted(files.items()):
        h.update(f"{rel}\0{want}\0".encode())
    return "sha256:" + h.hexdigest()


def unchanged(
    out_dir: Path, doc: Document, relative: str, overlay: Path | None
) -> dict[str, bytes] | None:
    """Every file in ``out_dir`` (the manifest too) when rendering ``doc`` there again would
    change nothing; None when it might, or when the full path must answer (it explains)."""
    try:
        raw = read_raw(out_dir)
        previous = None if raw is None else parse(raw, out_dir)
    except BedrockGenError:
        return None  # the full render says what is wrong with it
    if raw is None or previous is None:
        return None
    if previous.source is None or previous.config != relative or previous.dumps() != raw:
        return None
    overlay_sha = None
    if overlay is not None:
        data = regular_bytes(overlay)
        if data is None:
            return None
        overlay_sha = digest(data)
    if overlay_sha != previous.catalog:
        return None
    source = source_digest(doc, relative, overlay_sha, previous.legacy, previous.placement)
    if source is None or previous.source != sealed(source, previous.files, previous.inputs):
        return None
    found = untouched(out_dir, previous.files)
    return None if found is None else dict(sorted({MANIFEST: raw, **found}.items()))


def untouched(out_dir: Path, files: Mapping[str, str]) -> dict[str, bytes] | None:
    """The bytes of ``files`` (path -> digest, as a manifest lists them), when each is a
    regular file in ``out_dir``, reached through no symlink, with the recorded digest; None
    when any is not (missing, edited, replaced)."""
    found = {}
    checked: set[Path] = set()
    for rel, want in files.items():
        if not safe_relative(rel):
            return None
        target = out_dir / rel
        parent = target.parent
        try:
            while parent != out_dir and parent not in checked:
                if parent.is_symlink():
                    return None
                checked.add(parent)
                parent = parent.parent
            if target.is_symlink():
                return None
        except OSError:
            return None
        data = regular_bytes(target)
        if data is None or digest(data) != want:
            return None
        found[rel] = data
    return found
