"""An API operation or a misspelling where an IAM action belongs, and what IAM checks instead.

``bedrock:Converse`` is a Bedrock Runtime API operation, not an IAM action: IAM authorizes it as
``bedrock:InvokeModel`` (and, for requests that use them, ``bedrock:ApplyGuardrail``,
``bedrock:CallWithBearerToken``, ``bedrock:InvokeTool``). A policy that allows it grants nothing;
a simulation of it answers a question IAM never asks. The operation -> actions table is AWS's
(Service Authorization Reference, ``actions.operation``).
"""

from __future__ import annotations

from typing import NamedTuple

from bedrock_gen.iam import actions as known
from bedrock_gen.suggest import closest


class Instead(NamedTuple):
    """Why an action is not one IAM has, and what to name instead."""

    reason: str  # "bedrock has no action InvokeModle", "bedrock:Converse is an API operation..."
    actions: tuple[str, ...]  # the action(s) to name instead; empty: no good guess
    authorized: str = ""  # for an operation: "IAM authorizes Converse as bedrock:InvokeModel"

    @property
    def message(self) -> str:
        if self.authorized:
            return f"{self.reason}: {self.authorized}"
        if self.actions:
            return f"{self.reason} (did you mean {' or '.join(self.actions)}?)"
        return self.reason


def _authorized(authorized: tuple[str, ...], resources: tuple[str, ...]) -> tuple[str, ...]:
    """Of an operation's authorized actions, the ones checked on these resources (by their
    resource types); all of them when the resources say nothing (``*``, none, unknown)."""
    kinds = {(rt.service, rt.name) for r in resources for rt in known.resource_types_of(r)}
    if not kinds:
        return authorized
    on = []
    for full in authorized:
        action = known.lookup(full)
        if action is not None and any((action.service, k) in kinds for k in action.resource_types):
            on.append(full)
    return tuple(on) or authorized


def _as_operation(
    service: str, name: str, resources: tuple[str, ...], reason: str
) -> Instead | None:
    found = known.operation(f"{service}:{name}")
    if found is None:
        return None
    _, op, authorized = found
    if not reason:
        reason = f"{service}:{op} is an API operation, not an IAM action"
    if not authorized:
        return Instead(reason, (), f"IAM does not authorize {op} with an action")
    main = _authorized(authorized, resources)
    also = [a for a in authorized if a not in main]
    text = f"IAM authorizes {op} as {', '.join(main)}"
    if also:
        text += f" (and, for requests that use them, {', '.join(also)})"
    return Instead(reason, main, text)


def instead(action: str, resources: tuple[str, ...] = ()) -> Instead | None:
    """None when IAM has ``action`` (case-insensitively) or its service is not in the data
    (then nothing can be said); else why not, with the operation's actions or a did-you-mean.
    ``resources``: the resources it is asked for, to pick the operation's main action."""
    service, sep, name = action.partition(":")
    if not sep or not name or "*" in action or "?" in action:
        return None
    svc = known.service(service)
    if svc is None:
        other = closest(service, known.services(), 0.85)
        real = None if other is None else known.lookup(f"{other}:{name}")
        if real is not None:
            return Instead(f"'{service}' looks like a misspelt service prefix", (real.full,))
        return None
    if svc.action(name) is not None:
        return None
    as_op = _as_operation(svc.name, name, resources, "")
    if as_op is not None:
        return as_op
    reason = f"{svc.name} has no action {name}"
    best = closest(name, [*svc.actions, *svc.operations], 0.7)
    if best is None:
        return Instead(reason, ())
    real = svc.action(best)
    if real is not None:
        return Instead(reason, (real.full,))
    return _as_operation(
        svc.name, best, resources, f"{reason} ({svc.name}:{best} is an API operation)"
    )


def also_checked(action: str, resource: str) -> tuple[str, ...]:
    """Other actions IAM checks on ``resource`` for the API operation of the same name as
    ``action``: the InvokeModelWithResponseStream operation is authorized as
    bedrock:InvokeModelWithResponseStream *and* bedrock:InvokeModel, so a policy allowing only
    the first fails the call. Only actions of the resource's type (the operation's others apply
    to guardrails, tools or bearer tokens when a request uses them)."""
    found = known.operation(action)
    real = known.lookup(action)
    if found is None or real is None:
        return ()
    on = _authorized(found[2], (resource,))
    if on == found[2] and not known.resource_types_of(resource):
        return ()
    return tuple(a for a in on if a.lower() != real.full.lower())
