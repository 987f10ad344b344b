"""The actions (and their resource types) each service defines, from AWS's Service
Authorization Reference, for the services bedrock-gen's documents use."""

from __future__ import annotations

import functools
import json
from typing import NamedTuple

from bedrock_gen.resources import data_path


class Action(NamedTuple):
    service: str
    name: str
    access_level: str
    resource_types: tuple[str, ...]  # empty: the action supports only Resource "*"


@functools.cache
def _data() -> dict[str, dict[str, Action]]:
    with open(data_path("iam_actions.json"), encoding="utf-8") as fh:
        raw = json.load(fh)
    return {
        svc: {
            name: Action(svc, name, a["access_level"], tuple(a["resource_types"]))
            for name, a in v["actions"].items()
        }
        for svc, v in raw["services"].items()
    }


def services() -> frozenset[str]:
    """Services whose actions are known (an action of another service is not checked)."""
    return frozenset(_data())


def actions(service: str) -> dict[str, Action] | None:
    """The actions of ``service`` by name, or None for a service not in the data."""
    return _data().get(service.lower())


def lookup(action: str) -> Action | None:
    service, _, name = action.partition(":")
    known = actions(service)
    if known is None:
        return None
    found = known.get(name)
    if found is None:  # IAM action names are case-insensitive
        lowered = name.lower()
        found = next((a for n, a in known.items() if n.lower() == lowered), None)
    return found
