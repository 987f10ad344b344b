"""What a hand edit changed in a policy file, statement by statement, in one phrase each
("adds bedrock:* on *"), as AWS CDK's IAM diff lists statement changes.

``diff --base`` names every generated file whose committed bytes are not what the config
renders; for a policy file this says what the edit does to it. The access an edit adds is
judged elsewhere, call by call (``access.diff``); this is the reviewer's pointer to the line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bedrock_gen.iam.evaluate import as_list

_SHOWN = 4  # values of one element named before "and N more"


def _values(value: Any) -> list[str]:
    return [v if isinstance(v, str) else json.dumps(v, sort_keys=True) for v in as_list(value)]


def _list(values: Sequence[str]) -> str:
    if not values:
        return "(none)"
    if len(values) <= _SHOWN:
        return ", ".join(values)
    return f"{', '.join(values[:_SHOWN])} and {len(values) - _SHOWN} more"


def _principal(value: Any) -> list[str]:
    if value == "*" or not isinstance(value, Mapping):
        return _values(value)
    return [f"{k}:{v}" for k, vs in sorted(value.items()) for v in _values(vs)]


def statement_text(st: Mapping[str, Any]) -> str:
    """One statement as a phrase: "bedrock:* on *", "Deny of s3:* on *", "sts:AssumeRole by
    AWS:arn:... if StringEquals sts:ExternalId"."""
    effect = st.get("Effect")
    if "NotAction" in st:
        what = f"every action but {_list(_values(st['NotAction']))}"
    else:
        what = _list(_values(st.get("Action", [])))
    if "NotResource" in st:
        where = f"every resource but {_list(_values(st['NotResource']))}"
    else:
        where = _list(_values(st.get("Resource", [])))
    text = f"{what} on {where}" if ("Resource" in st or "NotResource" in st) else what
    if "Principal" in st or "NotPrincipal" in st:
        key = "Principal" if "Principal" in st else "NotPrincipal"
        who = _list(_principal(st[key]))
        text += f" by {who}" if key == "Principal" else f" by anyone but {who}"
    condition = st.get("Condition")
    if isinstance(condition, Mapping) and condition:
        keys = [
            f"{op} {key}"
            for op, block in sorted(condition.items())
            if isinstance(block, Mapping)
            for key in sorted(block)
        ]
        text += f" if {_list(keys)}"
    if effect != "Allow":
        text = f"a {effect if isinstance(effect, str) else 'malformed Effect'} of {text}"
    return text


def _statements(document: Any) -> list[Mapping[str, Any]]:
    if not isinstance(document, Mapping):
        return []
    return [st for st in as_list(document.get("Statement", [])) if isinstance(st, Mapping)]


def _canonical(st: Mapping[str, Any]) -> str:
    return json.dumps(st, sort_keys=True)


def changes(rendered: Any, committed: Any) -> list[str]:
    """What the committed document does that the rendered one does not, and the reverse, as
    phrases: "adds bedrock:* on *", "removes bedrock:InvokeModel on ...", "changes statement
    AllowX: adds ... / removes ..." (statements matched by Sid, else by being identical)."""
    old = _statements(rendered)
    new = _statements(committed)
    old_keys = {_canonical(s) for s in old}
    new_keys = {_canonical(s) for s in new}
    gone = [s for s in old if _canonical(s) not in new_keys]
    came = [s for s in new if _canonical(s) not in old_keys]
    out: list[str] = []
    by_sid = {s["Sid"]: s for s in gone if isinstance(s.get("Sid"), str)}
    matched: set[str] = set()
    for st in came:
        sid = st.get("Sid")
        before = by_sid.get(sid) if isinstance(sid, str) else None
        if before is None:
            out.append(f"adds {statement_text(st)}")
            continue
        matched.add(str(sid))
        out.append(
            f"changes statement {sid}: now {statement_text(st)} (was {statement_text(before)})"
        )
    for st in gone:
        if st.get("Sid") not in matched:
            out.append(f"removes {statement_text(st)}")
    if not out and rendered != committed:
        out.append("changes no statement (only its other fields or formatting)")
    return out


def summary(path: str, state: str, phrases: Sequence[str], limit: int = 3) -> str:
    """One line for a reviewer: "iam/x.json adds bedrock:* on *; and 2 more changes"."""
    shown = "; ".join(phrases[:limit])
    more = f"; and {len(phrases) - limit} more changes" if len(phrases) > limit else ""
    return f"{path} {shown}{more}" if shown else f"{path}: {state}"
