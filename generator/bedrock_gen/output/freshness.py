"""Whether rendering again would change nothing, answered without validating or resolving.

A pre-commit hook renders on every commit and nearly always finds the output folder as the
last render left it. That render recorded in the manifest a digest of everything it read
(``source``): bedrock-gen's version, its templates and catalog, the config as parsed (comments
and line endings do not count), where the config sits relative to the folder, the catalog
overlay, the old module's layout and the policy parts it chose. Renders are deterministic and
a render keeps the parts the last one chose, so when that digest is the same and every file is
byte for byte what the manifest lists, a full render would write the same bytes and report the
same (nothing): ``render`` can say "up to date" having loaded the YAML and hashed the files,
without importing the validator, the resolver or Jinja2.

A render records a source only when its answer can be replayed: it had no diagnostics at all
(warnings are not replayed), and it read nothing outside the digest (an external ID from the
environment is checked by validation, so such a config always takes the full path).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bedrock_gen.errors import OutputError
from bedrock_gen.output.manifest import MANIFEST, Manifest, digest, parse, safe_relative


def source_digest(
    data: Any,
    relative: str,
    overlay: str | None,
    legacy: str | None,
    placement: Mapping[str, int],
) -> str | None:
    """Of everything a render reads; None for data JSON cannot hold (a config the full path
    rejects: non-string keys, an alias cycle)."""
    from bedrock_gen import __version__
    from bedrock_gen.resources import catalog_digest, templates_digest

    try:
        parsed = json.dumps(data, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        return None
    h = hashlib.sha256()
    for part in (
        __version__,
        templates_digest(),
        catalog_digest(),
        parsed,
        relative,
        overlay or "",
        legacy or "",
        json.dumps(sorted(placement.items())),
    ):
        h.update(part.encode() + b"\0")
    return "sha256:" + h.hexdigest()


def unchanged(
    out_dir: Path, data: Any, relative: str, overlay: Path | None
) -> dict[str, bytes] | None:
    """Every file in ``out_dir`` (the manifest too) when rendering ``data`` there again would
    change nothing; None when it might, or when the full path must answer (it explains)."""
    manifest_path = out_dir / MANIFEST
    try:
        if manifest_path.is_symlink():
            return None
        raw = manifest_path.read_bytes()
        previous = parse(raw, out_dir)
    except (OSError, OutputError):
        return None
    if previous.source is None or previous.config != relative or previous.dumps() != raw:
        return None
    overlay_sha = None
    if overlay is not None:
        try:
            overlay_sha = digest(overlay.read_bytes())
        except OSError:
            return None
    if overlay_sha != previous.catalog:
        return None
    if previous.source != source_digest(
        data, relative, overlay_sha, previous.legacy, previous.placement
    ):
        return None
    return _untouched(out_dir, previous, raw)


def _untouched(out_dir: Path, previous: Manifest, raw: bytes) -> dict[str, bytes] | None:
    """The listed files, when each is a regular file (reached through no symlink) with the
    bytes the manifest records."""
    found = {MANIFEST: raw}
    checked: set[Path] = set()
    for rel, want in previous.files.items():
        if not safe_relative(rel):
            return None
        target = out_dir / rel
        parent = target.parent
        while parent != out_dir and parent not in checked:
            if parent.is_symlink():
                return None
            checked.add(parent)
            parent = parent.parent
        try:
            if target.is_symlink():
                return None
            data = target.read_bytes()
        except OSError:
            return None
        if digest(data) != want:
            return None
        found[rel] = data
    return dict(sorted(found.items()))
