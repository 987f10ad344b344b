"""The shapes of the names the catalog holds, for anything read from outside (AWS outputs, a
user's overlay). Anchored with ``\\Z``: ``$`` would also accept a trailing newline."""

from __future__ import annotations

import re

GEOGRAPHY = re.compile(r"[a-z][a-z0-9-]*\Z")
REGION = re.compile(r"[a-z]{2,}(-[a-z]+)+-[0-9]+\Z")
PARTITION = re.compile(r"aws(-[a-z]+)*\Z")
MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*\Z")
