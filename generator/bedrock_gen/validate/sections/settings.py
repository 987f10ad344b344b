"""Pass 2 for the rest: the Terraform module's settings, IAM quotas, lint codes to ignore, the
organization's allowed Regions, the catalog overlay and the output folder. (IAM names need no
check here: the schema bounds name, role_name and user_name at 64, and the longest policy name
derived from them stays under IAM's 128; tests/test_schema_sources.py pins both.)"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bedrock_gen.config.guardrail import Guardrail
from bedrock_gen.config.model import Organization, TerraformSettings
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.iam import limits
from bedrock_gen.load.document import Document, Findings, PathKey
from bedrock_gen.load.files import path_problem
from bedrock_gen.printable import quoted
from bedrock_gen.suggest import did_you_mean

TAG_CHARS = frozenset("_.:/=+-@ abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def tag_text_ok(text: str) -> bool:
    """IAM allows Unicode letters, numbers and spaces in tags, and ``_ . : / = + - @``; not
    invisible or control characters. Judged by a fixed table (``iam.tag_chars``), so a tag is
    valid or not the same on every Python."""
    if all(c in TAG_CHARS for c in text):
        return True
    from bedrock_gen.iam.tag_chars import allowed

    return all(c in TAG_CHARS or (ord(c) > 0x7F and allowed(c)) for c in text)


def tag_problems(found: Findings, tags: dict[str, str], where: PathKey) -> None:
    """AWS's tag rules (IAM's, which Bedrock's CreateInferenceProfile shares): no 'aws:'
    prefix; letters, digits, spaces and ``_ . : / = + - @`` only."""
    for k, v in tags.items():
        kpath: PathKey = (*where, k)
        if k.lower().startswith("aws:"):
            found.error(
                "invalid-tag", f"tag key '{k}' uses the reserved prefix 'aws:'", kpath, key=True
            )
        for text, what in ((k, "key"), (v, "value")):
            if not tag_text_ok(text):
                found.error(
                    "invalid-tag",
                    f"tag {what} {quoted(text)} may contain only letters, "
                    "digits, spaces and _ . : / = + - @",
                    kpath,
                    key=what == "key",
                )


def terraform(doc: Document, partition: str) -> tuple[TerraformSettings, list[Diagnostic]]:
    found = Findings(doc)
    tf: dict[str, Any] = doc.data.get("terraform", {})
    tags = dict(tf.get("tags", {}))
    tag_problems(found, tags, ("terraform", "tags"))
    path = tf.get("path", "/")
    if not (path.startswith("/") and path.endswith("/")) or any(
        not 0x21 <= ord(c) <= 0x7E for c in path
    ):
        found.error(
            "invalid-path",
            "terraform.path must begin and end with '/' and contain only "
            f"printable ASCII without spaces; got {quoted(path)}",
            ("terraform", "path"),
        )
    boundary = tf.get("permissions_boundary")
    if boundary is not None and boundary.split(":")[1] != partition:
        found.error(
            "invalid-value",
            "terraform.permissions_boundary is in another partition",
            ("terraform", "permissions_boundary"),
        )
    return TerraformSettings(
        format=tf.get("format", "hcl"),
        tags=tags,
        permissions_boundary=boundary,
        path=path,
        create_access_key=bool(tf.get("create_access_key", False)),
        create_pod_identity_associations=bool(tf.get("create_pod_identity_associations", True)),
        port_secret=bool(tf.get("port_organization_secret", False)),
    ), found.items


def quotas(doc: Document, is_user: bool) -> tuple[tuple[int, int], list[Diagnostic]]:
    """(managed policies per role or user, trust policy size) for this account. IAM raises a
    role's attachments to at most 25, a user's to at most 20 (the schema allows the larger)."""
    found = Findings(doc)
    raw: dict[str, int] = doc.data.get("limits", {})
    default = limits.MANAGED_POLICIES_PER_USER if is_user else limits.MANAGED_POLICIES_PER_ROLE
    managed = raw.get("managed_policies_per_entity", default)
    if is_user and managed > limits.MANAGED_POLICIES_PER_USER_MAX:
        found.error(
            "invalid-value",
            f"limits.managed_policies_per_entity is {managed}, but IAM attaches at most "
            f"{limits.MANAGED_POLICIES_PER_USER_MAX} managed policies to a user, even with a "
            f"raised quota ({limits.QUOTAS})",
            ("limits", "managed_policies_per_entity"),
        )
    return (managed, raw.get("trust_policy_size", limits.TRUST_POLICY_SIZE)), found.items


def lint_ignore(doc: Document, known: Iterable[str]) -> tuple[tuple[str, ...], list[Diagnostic]]:
    found = Findings(doc)
    codes = doc.data.get("lint", {}).get("ignore", [])
    known = set(known)
    for i, code in enumerate(codes):
        if code not in known:
            found.error(
                "unknown-lint-code",
                f"unknown lint code '{code}'"
                f"{did_you_mean(code, known)}; 'bedrock-gen lint --list-rules' lists "
                "them",
                ("lint", "ignore", i),
            )
    return tuple(codes), found.items


def organization(
    doc: Document,
    allowed: tuple[str, ...] | None,
    exempt: bool = False,
    enforced: Guardrail | None = None,
) -> Organization | None:
    if allowed is None and enforced is None:
        return None
    return Organization(tuple(allowed) if allowed is not None else None, exempt, enforced)


def paths(doc: Document) -> list[Diagnostic]:
    """``output_dir`` and ``catalog`` as file-system paths (checked with the structure, before
    the overlay is read or anything is written).

    Both: no NUL or other control character, no folder or file name over 255 bytes, at most
    4,096 bytes once joined to the config's folder, and writable in the file-name encoding of
    the running system (a non-ASCII name under ``LC_ALL=C`` is refused here, not a crash later).

    ``output_dir`` (a render writes there and removes what it no longer generates), resolved
    against the config's folder with symlinks followed, must not be:

    - a file-system root (``/``, ``/..``): a render would own the whole disk;
    - the config's own folder or one of its ancestors (``.``, ``..``, ``../..``): the render's
      ``iam/``, ``terraform/`` and manifest would sit beside or above the config, among the
      repository's own files.

    It is a warning (the files are written, but not where a reviewer looks) when the folder is
    outside the config's git work tree (the nearest folder above the config holding ``.git``),
    or, for a config outside any work tree, outside the config's folder.
    """
    found = Findings(doc)
    data = doc.data if isinstance(doc.data, dict) else {}
    base = _config_folder(doc.file)
    for key in ("output_dir", "catalog"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            continue
        problem = _text_problem(value) or path_problem(
            str(base / value) if base is not None else value
        )
        if problem is not None:
            found.error("invalid-path", f"{key}: {problem}", (key,))
        elif key == "output_dir" and base is not None:
            _output_folder(found, base, value)
    return found.items


def _config_folder(file: str) -> Path | None:
    """The folder of the config, when the document was read from a file that exists."""
    try:
        path = Path(file)
        return path.parent if file and path.is_file() else None
    except (OSError, ValueError):
        return None


def _text_problem(value: str) -> str | None:
    for i, ch in enumerate(value):
        if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F:
            what = "a NUL byte" if ch == "\x00" else f"the control character U+{ord(ch):04X}"
            return f"the path holds {what} at position {i + 1}; no file name should"
    return None


def _output_folder(found: Findings, base: Path, value: str) -> None:
    where: PathKey = ("output_dir",)
    try:
        folder = base.resolve()
        out = (base / value).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        found.error("invalid-path", f"output_dir: cannot be resolved: {exc}", where)
        return
    if out.parent == out:
        found.error(
            "output-dir-unsafe",
            f"output_dir {value} is the root of the file system; a render writes and removes "
            "files in its output folder: name a folder of its own, like generated",
            where,
        )
        return
    if out == folder or out in folder.parents:
        what = "the config's own folder" if out == folder else "a folder above the config"
        found.error(
            "output-dir-unsafe",
            f"output_dir {value} is {what}; a render writes and removes files in "
            "its output folder, which must be a folder of its own, like generated",
            where,
        )
        return
    top = _work_tree(folder)
    inside = top if top is not None else folder
    if out != inside and inside not in out.parents:
        why = (
            "outside the config's git work tree: the generated files are not versioned and "
            "reviewed with the config"
            if top is not None
            else "outside the config's folder: check that the generated files belong there"
        )
        found.warn("output-dir-outside", f"output_dir {value} is {why}", where)


def _work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder`` (a ``.git`` folder or file), if any."""
    for candidate in (folder, *folder.parents):
        try:
            if os.path.lexists(candidate / ".git"):
                return candidate
        except (OSError, ValueError):
            return None
    return None
