"""What IAM knows about the services bedrock-gen's documents use (bedrock, bedrock-mantle,
aws-marketplace, sts): their actions (access level, resource types, condition keys), resource
types (ARN formats, condition keys), condition keys, and which actions IAM checks for each API
operation (Converse is authorized as bedrock:InvokeModel, ...).

All of it from AWS's Service Authorization Reference as JSON (``data/service-reference/``,
copied with its source record; ``data/iam_actions.json`` is the extraction read here, rebuilt
by ``tools/extract_service_reference.py``). Nothing is hand-written: a fact that is wrong here
is wrong in AWS's copy, or the copy is old.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from bedrock_gen.iam.arn import arn_match
from bedrock_gen.iam.glob import glob_match
from bedrock_gen.resources import data_path


class Action(NamedTuple):
    service: str
    name: str
    access_level: str
    resource_types: tuple[str, ...]  # empty: the action supports only Resource "*"
    condition_keys: tuple[str, ...] = ()  # the action's own keys (resource types add theirs)

    @property
    def full(self) -> str:
        return f"{self.service}:{self.name}"


class ResourceType(NamedTuple):
    service: str
    name: str
    arn_formats: tuple[str, ...]  # arn:${Partition}:bedrock:${Region}::foundation-model/${...}
    condition_keys: tuple[str, ...]


class Service(NamedTuple):
    name: str
    actions: Mapping[str, Action]
    resource_types: Mapping[str, ResourceType]
    condition_keys: Mapping[str, tuple[str, ...]]  # key -> its types (String, ARN, ...)
    operations: Mapping[str, tuple[str, ...]]  # API operation -> the actions IAM checks

    def action(self, name: str) -> Action | None:
        """``name`` as IAM reads it: case-insensitively."""
        found = self.actions.get(name)
        if found is None:
            found = _lowered(self.name, "actions").get(name.lower())
        return found

    def operation(self, name: str) -> tuple[str, str, tuple[str, ...]] | None:
        """(service, operation, authorized actions) for an API operation, case-insensitively."""
        key = (
            name if name in self.operations else _lowered(self.name, "operations").get(name.lower())
        )
        if key is None:
            return None
        return self.name, key, self.operations[key]


def _tuple(items: Any) -> tuple[str, ...]:
    return tuple(str(i) for i in items)


@functools.cache
def _data() -> dict[str, Service]:
    with open(data_path("iam_actions.json"), encoding="utf-8") as fh:
        raw = json.load(fh)
    out = {}
    for svc, v in raw["services"].items():
        out[svc] = Service(
            svc,
            {
                name: Action(
                    svc,
                    name,
                    a["access_level"],
                    _tuple(a["resource_types"]),
                    _tuple(a["condition_keys"]),
                )
                for name, a in v["actions"].items()
            },
            {
                name: ResourceType(svc, name, _tuple(r["arn_formats"]), _tuple(r["condition_keys"]))
                for name, r in v["resource_types"].items()
            },
            {k: _tuple(t) for k, t in v["condition_keys"].items()},
            {op: _tuple(a) for op, a in v["operations"].items()},
        )
    return out


@functools.cache
def _lowered(service: str, what: str) -> dict[str, Any]:
    svc = _data()[service]
    if what == "actions":
        return {n.lower(): a for n, a in svc.actions.items()}
    return {n.lower(): n for n in svc.operations}


@functools.cache
def source() -> dict[str, Any]:
    """Where the data came from (repository, commit, date, per-service file and last change)."""
    with open(data_path("iam_actions.json"), encoding="utf-8") as fh:
        found: dict[str, Any] = json.load(fh)["source"]
    return found


def services() -> frozenset[str]:
    """Services whose actions are known (an action of another service is not checked)."""
    return frozenset(_data())


def service(name: str) -> Service | None:
    return _data().get(name.lower())


def actions(service_name: str) -> dict[str, Action] | None:
    """The actions of ``service_name`` by name, or None for a service not in the data."""
    svc = service(service_name)
    return None if svc is None else dict(svc.actions)


def lookup(action: str) -> Action | None:
    """``service:Name`` (case-insensitive, as IAM reads it), or None when unknown."""
    service_name, _, name = action.partition(":")
    svc = service(service_name)
    return None if svc is None else svc.action(name)


def resource_types(service_name: str) -> dict[str, ResourceType]:
    svc = service(service_name)
    return {} if svc is None else dict(svc.resource_types)


# --------------------------------------------------------------------------------------------
# condition keys


def key_service(key: str) -> str | None:
    """The known service a condition key belongs to (``bedrock`` for ``bedrock:ModelArn``), or
    None for global keys (``aws:``) and keys of services not in the data (OIDC providers...)."""
    prefix, sep, _ = key.partition(":")
    return prefix.lower() if sep and prefix.lower() in _data() else None


def _template_match(template: str, key: str) -> bool:
    """``aws:RequestTag/${TagKey}`` names every ``aws:RequestTag/...`` key: each ``${...}``
    stands for a non-empty run. Case-insensitive, as IAM reads condition keys."""
    if "${" not in template:
        return template.lower() == key.lower()
    parts = []
    rest = template
    while "${" in rest:
        head, _, tail = rest.partition("${")
        parts.append(head.replace("*", "").replace("?", ""))
        rest = tail.partition("}")[2]
    parts.append(rest.replace("*", "").replace("?", ""))
    pattern = "?*".join(parts)
    return "*" not in key and "?" not in key and glob_match(pattern, key, ignore_case=True)


def defined_key(key: str) -> str | None:
    """The name AWS defines for ``key`` (as written in the SAR, template for template) when
    ``key`` belongs to a known service; None when that service defines no such key."""
    svc = key_service(key)
    if svc is None:
        return None
    keys = _data()[svc].condition_keys
    return next((k for k in keys if _template_match(k, key)), None)


def keys_of(action: Action) -> tuple[str, ...]:
    """Every condition key IAM evaluates for ``action``: its own and its resource types'."""
    svc = _data()[action.service]
    out = list(action.condition_keys)
    for kind in action.resource_types:
        rt = svc.resource_types.get(kind)
        if rt is not None:
            out += rt.condition_keys
    return tuple(dict.fromkeys(out))


def supports_key(action: Action, key: str) -> bool:
    """Is ``key`` evaluated for ``action`` (in its own or its resource types' keys)?"""
    return any(_template_match(k, key) for k in keys_of(action))


# --------------------------------------------------------------------------------------------
# API operations


def operation(action: str) -> tuple[str, str, tuple[str, ...]] | None:
    """For ``service:Operation``: (service, the operation as AWS spells it, the actions IAM
    checks for it), or None when the service has no such operation."""
    service_name, _, name = action.partition(":")
    svc = service(service_name)
    return None if svc is None else svc.operation(name)


# --------------------------------------------------------------------------------------------
# resource types of an ARN


def _format_pattern(fmt: str) -> str:
    """An ARN format as a pattern: each ``${...}`` a run of any characters."""
    out, rest = [], fmt
    while "${" in rest:
        head, _, tail = rest.partition("${")
        out.append(head)
        rest = tail.partition("}")[2]
        out.append("*")
    out.append(rest)
    return "".join(out)


@functools.cache
def _format_patterns(service_name: str) -> tuple[tuple[str, ResourceType], ...]:
    svc = _data()[service_name]
    return tuple(
        (_format_pattern(f), rt) for rt in svc.resource_types.values() for f in rt.arn_formats
    )


def resource_types_of(arn: str) -> tuple[ResourceType, ...]:
    """The resource types whose ARN format ``arn`` has (by AWS's formats), for known services;
    empty for other services and for text that is no such ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2].lower() not in _data():
        return ()
    return tuple(
        dict.fromkeys(
            rt for pattern, rt in _format_patterns(parts[2].lower()) if arn_match(pattern, arn)
        )
    )


def example_arn(fmt: str, partition: str, region: str, account: str, ident: str) -> str:
    """An ARN of AWS's format ``fmt``: ``${Partition}``, ``${Region}``, ``${Account}`` given,
    every other variable ``ident``."""
    given = {"Partition": partition, "Region": region, "Account": account}
    out, rest = [], fmt
    while "${" in rest:
        head, _, tail = rest.partition("${")
        name, _, rest = tail.partition("}")
        out += [head, given.get(name, ident)]
    out.append(rest)
    return "".join(out)
