"""Condition keys, checked against AWS's Service Authorization Reference (``iam.actions``).

- A key of a service in the data (``bedrock:``, ``bedrock-mantle:``, ``aws-marketplace:``,
  ``sts:``) that the service does not define is an error (Access Analyzer:
  INVALID_SERVICE_CONDITION_KEY): IAM has no value for it, so a positive operator never holds.
  Global keys (``aws:``) and keys of other services or OIDC providers are not in the data and
  are not checked.
- In identity policies, a Bedrock key beside a Bedrock action that does not evaluate it (in the
  action's keys or its resource types'): the condition is not evaluated for that action
  (UNSUPPORTED_ACTION_FOR_CONDITION_KEY). Only for ``bedrock``/``bedrock-mantle`` keys: the SAR
  lists no keys for ``aws-marketplace:Subscribe``, while AWS's Bedrock guide conditions it on
  ``aws-marketplace:ProductId`` (the operations Subscribe authorizes, CreateAgreementRequest and
  AcceptAgreementRequest, do list it); and ``sts:ExternalId`` is sent with ``sts:TagSession``
  beside ``sts:AssumeRole`` in AWS's own session-tag examples. Where AWS's pages disagree, no
  finding.
- ARN-typed keys (the SAR's type ``ARN``, and the global ARN keys) compared with a string
  operator (STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS, in ``grammar``).
"""

from __future__ import annotations

from bedrock_gen.iam import actions as known
from bedrock_gen.iam import arn as arns
from bedrock_gen.lint.context import Context, Stmt
from bedrock_gen.suggest import closest

GLOBAL_ARN_KEYS = {"aws:sourcearn", "aws:principalarn", "aws:sourcevpcarn"}
ACTION_CHECKED = {"bedrock", "bedrock-mantle"}


def is_arn_key(key: str) -> bool:
    """An ARN-typed key: by the SAR for service keys, by IAM's global keys reference else."""
    if key.lower() in GLOBAL_ARN_KEYS:
        return True
    defined = known.defined_key(key)
    if defined is None:
        return False
    svc = known.service(key.partition(":")[0])
    return svc is not None and "ARN" in svc.condition_keys.get(defined, ())


def check(ctx: Context, st: Stmt) -> None:
    """The keys of one statement's Condition."""
    unsupported: dict[str, list[str]] = {}
    for op, key, _value, _vpath in st.conditions():
        service = known.key_service(key)
        if service is None:
            continue
        path = (*st.path, "Condition", op, key)
        if known.defined_key(key) is None:
            svc = known.service(service)
            assert svc is not None
            best = closest(key, [k for k in svc.condition_keys if "${" not in k], 0.7)
            hint = f" (did you mean {best}?)" if best else ""
            ctx.add(
                "INVALID_SERVICE_CONDITION_KEY",
                path,
                f"{service} defines no condition key {key}{hint}",
                key=True,
            )
            continue
        if ctx.kind != "identity" or service not in ACTION_CHECKED:
            continue
        for name in st.actions():
            if arns.has_wildcard(name):
                continue
            action = known.lookup(name)
            if action is not None and not known.supports_key(action, key):
                unsupported.setdefault(key, []).append(action.full)
            elif action is None and name.partition(":")[0].lower() != service:
                unsupported.setdefault(key, []).append(name)  # another service's action
    for key, names in unsupported.items():
        names = list(dict.fromkeys(names))
        ctx.add(
            "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
            (*st.path, "Action"),
            f"{', '.join(names)} {'does' if len(names) == 1 else 'do'} not evaluate {key} "
            "(per the Service Authorization Reference): IAM has no value for it, so a positive "
            "operator never allows them and a negated one never restricts them",
        )
