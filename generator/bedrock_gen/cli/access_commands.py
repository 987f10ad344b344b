"""Commands that review access: diff, simulate, explain."""

from __future__ import annotations

COMMANDS: list[object] = []
