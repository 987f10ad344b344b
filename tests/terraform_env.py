"""Where terraform can run, and with which provider source; or the true reason it cannot.

Order: a working TF_CLI_CONFIG_FILE; a local filesystem mirror of hashicorp/aws (the same
places ``../shared/tf-offline`` looks, so these machines work offline); the public registry,
when it answers. A TF_CLI_CONFIG_FILE that names a missing file is ignored (terraform would
fail on it before trying anything).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

MIRROR_ROOTS = (
    "~/.terraform.d/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
PROVIDER = "registry.terraform.io/hashicorp/aws"


def _mirror() -> Path | None:
    candidates = [os.environ.get("TF_PLUGIN_MIRROR", ""), *MIRROR_ROOTS]
    for root in candidates:
        if root and (Path(root).expanduser() / PROVIDER).is_dir():
            return Path(root).expanduser()
    for base in (Path("/opt"), Path("/usr/local"), Path("/root"), Path("/work")):
        if not base.is_dir():
            continue
        for depth in ("*", "*/*", "*/*/*"):
            for hit in base.glob(f"{depth}/{PROVIDER}"):
                if hit.is_dir():
                    return hit.parents[2]
    return None


def _registry_reachable() -> bool:
    try:
        with socket.create_connection(("registry.terraform.io", 443), timeout=3):
            return True
    except OSError:
        return False


def terraform_env() -> dict[str, str] | str:
    """The environment for terraform, or the reason it cannot run here."""
    if shutil.which("terraform") is None:
        return "terraform is not installed (it is on PATH nowhere)"
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    # moto answers each call in milliseconds: terraform's default of 10 calls at a time leaves
    # the apply tests waiting (40 halves the first apply of every example, 50 s to 29 s).
    for command in ("apply", "plan", "destroy"):
        env.setdefault(f"TF_CLI_ARGS_{command}", "-parallelism=40")
    configured = env.get("TF_CLI_CONFIG_FILE")
    if configured and Path(configured).is_file():
        return env
    env.pop("TF_CLI_CONFIG_FILE", None)
    mirror = _mirror()
    if mirror is not None:
        rc = Path(tempfile.gettempdir()) / f"bedrock-gen-tests-{os.getuid()}.terraformrc"
        rc.write_text(
            f"provider_installation {{\n  filesystem_mirror {{\n    path    = "
            f'"{mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }}\n'
            '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n'
        )
        env["TF_CLI_CONFIG_FILE"] = str(rc)
        return env
    if _registry_reachable():
        return env
    return (
        "terraform is installed, but hashicorp/aws is in no local provider mirror and "
        "registry.terraform.io cannot be reached"
    )


if __name__ == "__main__":  # .ci/run and make test say plainly whether these tests run
    found = terraform_env()
    if isinstance(found, str):
        print(f"terraform tests WILL BE SKIPPED: {found}")
    else:
        source = found.get("TF_CLI_CONFIG_FILE") or "the public registry"
        print(f"terraform tests WILL RUN (provider from {source})")
