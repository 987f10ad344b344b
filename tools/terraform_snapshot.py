#!/usr/bin/env python3
"""Render a broad set of configs into OUT, for a byte comparison of the Terraform emitter
before and after a change (``diff -r BEFORE AFTER`` must print nothing for a refactoring).

Every example and every positive test case, the hostile-strings config, each auth mode's
variants, a Port module with its secret, a config split into many parts and two bedrock-gen 0.1
upgrades (``legacy_layout``), each in both flavours (HCL and Terraform JSON). Manifests are
left out (they list the files with their hashes: the files themselves are compared).

    PORTKEY_EXTERNAL_ID=x .venv/bin/python tools/terraform_snapshot.py /tmp/before
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import yaml

from bedrock_gen.api import render_config

ROOT = Path(__file__).resolve().parents[1]
PINNED = (
    'version: 1\nname: {n}\naccount_id: "123456789012"\nregions: [us-east-1]\n'
    "models: {{ids: [claude-haiku-4-5], geographies: [us]}}\n"
)


def configs() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in sorted(ROOT.glob("examples/*/bedrock-gen.yaml")):
        out["ex-" + p.parent.name] = p.read_text()
    for case in sorted(ROOT.glob("tests/cases/positive/*/")):
        found = sorted(case.glob("*.yaml"))
        if found:
            out["case-" + case.name] = found[0].read_text()
    sys.path.insert(0, str(ROOT / "tests"))
    from test_terraform import HOSTILE

    out["hostile"] = HOSTILE
    out["ec2"] = PINNED.format(n="ec2-gw") + "auth: {mode: aws_service, service: ec2}\n"
    out["ecs"] = PINNED.format(n="ecs-gw") + "auth: {mode: aws_service, service: ecs-tasks}\n"
    out["existing-user"] = PINNED.format(n="eu") + "auth: {mode: existing_user, user_name: bob}\n"
    out["keys-create"] = PINNED.format(n="keys") + (
        "auth: {mode: access_keys}\nterraform: {create_access_key: true, path: /gw/, "
        "permissions_boundary: 'arn:aws:iam::123456789012:policy/pb'}\n"
    )
    out["custom-literal"] = PINNED.format(n="cust") + (
        "gateway: custom\nauth: {mode: assume_role, trusted_principals: "
        "['arn:aws:iam::111122223333:role/gw'], allow_custom_principals: true, "
        "external_id: abcdefghijklmnop1234}\n"
    )
    port = yaml.safe_load((ROOT / "examples/port-specific-models/bedrock-gen.yaml").read_text())
    port.setdefault("terraform", {})["port_organization_secret"] = True
    out["port-secret"] = yaml.safe_dump(port)
    pod = yaml.safe_load((ROOT / "examples/envoy-eks-pod-identity/bedrock-gen.yaml").read_text())
    pod.setdefault("terraform", {})["create_pod_identity_associations"] = False
    out["pod-noassoc"] = yaml.safe_dump(pod)
    out["grow24"] = (
        "version: 1\nname: grow\naccount_id: '123456789012'\nregions: [eu-west-1]\n"
        "models:\n  geographies: [eu]\n  custom:\n"
        + "".join(f"    - {{id: acme.model-{i:03d}-v1:0, geographies: [eu]}}\n" for i in range(24))
        + "auth:\n  mode: assume_role\n  external_id: grow-external-id\n"
    )
    for name in ("port-specific-models", "strict"):
        out["legacy-" + name] = (
            ROOT / "tests/data/legacy-0.1" / name / "bedrock-gen.yaml"
        ).read_text()
    return out


def main(out_root: Path) -> int:
    shutil.rmtree(out_root, ignore_errors=True)
    out_root.mkdir(parents=True)
    failed = []
    for flavour in ("hcl", "json"):
        for label, text in configs().items():
            data = yaml.safe_load(text)
            data.setdefault("terraform", {})["format"] = flavour
            src = out_root / "src" / flavour / label
            src.mkdir(parents=True)
            cfg = src / "bedrock-gen.yaml"
            cfg.write_text(yaml.safe_dump(data))
            out = out_root / flavour / label
            if label.startswith("legacy-"):  # a 0.1 manifest: upgrade its module
                out.mkdir(parents=True)
                parts = (
                    ["bedrock-invoke-policy-1.json", "bedrock-invoke-policy-2.json"]
                    if "strict" in label
                    else ["bedrock-invoke-policy.json"]
                )
                manifest = {
                    "generator": "bedrock-gen",
                    "config": os.path.relpath(cfg, out),
                    "files": {f"iam/{p}": "sha256:0" for p in parts},
                }
                (out / ".bedrock-gen-manifest.json").write_text(json.dumps(manifest))
                result = render_config(cfg, output=out, adopt=True, force=True)
            else:
                result = render_config(cfg, output=out)
            if not result.ok:
                failed.append((flavour, label, [d.format_text() for d in result.diagnostics]))
            (out / ".bedrock-gen-manifest.json").unlink(missing_ok=True)
    shutil.rmtree(out_root / "src")
    for item in failed:
        print("failed:", *item, file=sys.stderr)
    print(sum(1 for p in out_root.rglob("*") if p.is_file()), "files in", out_root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
