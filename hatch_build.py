"""Wheel build hook: record the digest of bedrock-gen's own files in the wheel.

Every render's manifest names the code that wrote it (``bedrock_gen.resources.code_digest``).
A source checkout hashes its files on each run; an installed wheel reads the digest computed
here, over the same files, so a pre-commit hook does not hash the package on every commit.
A test installs the wheel and checks that the recorded digest is the checkout's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CodeDigestHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install runs the checkout, which hashes itself
        sys.path.insert(0, os.path.join(self.root, "generator"))
        try:
            from bedrock_gen.resources import RECORDED_DIGEST, code_digest

            digest = code_digest()
        finally:
            sys.path.pop(0)
            for name in [m for m in sys.modules if m.split(".")[0] == "bedrock_gen"]:
                del sys.modules[name]
        fd, self._digest_file = tempfile.mkstemp(prefix="bedrock-gen-digest-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(digest + "\n")
        build_data["force_include"][self._digest_file] = f"bedrock_gen/{RECORDED_DIGEST}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        path = getattr(self, "_digest_file", None)
        if path is not None:
            os.unlink(path)
