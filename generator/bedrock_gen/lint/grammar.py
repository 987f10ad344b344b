"""Grammar rules for every kind of document: the policy language itself (IAM's grammar and
Access Analyzer's syntax checks), valid actions and ARNs, redundancy, conditions, size."""

from __future__ import annotations

import re
from typing import Any

from bedrock_gen.diagnostics import Severity
from bedrock_gen.iam import actions as known
from bedrock_gen.iam import arn as arns
from bedrock_gen.iam.limits import TRUST_POLICY_SIZE_MAX, iam_size
from bedrock_gen.iam.operations import instead
from bedrock_gen.lint import keys
from bedrock_gen.lint.context import Context, Stmt, statements_of
from bedrock_gen.load.document import PathKey, type_name
from bedrock_gen.printable import quoted
from bedrock_gen.suggest import closest

_SID = re.compile(r"^[A-Za-z0-9]*\Z")
_STATEMENT_KEYS = {
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
}
PRINCIPAL_KEYS = ("AWS", "Federated", "Service", "CanonicalUser")
# IAM's largest quota for any identity policy: the inline policies of one role together
# (reference_iam-quotas.html: role inline 10,240, group 5,120, user 2,048, managed 6,144).
# A document larger than this cannot be attached to anything.
IDENTITY_POLICY_SIZE_MAX = 10_240
STRING_LIKE = {"stringlike", "stringnotlike", "stringlikeifexists", "stringnotlikeifexists"}
EQUALS = {"stringequals", "stringnotequals", "stringequalsignorecase", "stringnotequalsignorecase"}


def check(ctx: Context) -> bool:
    """The document-level grammar; False when it is too broken to say more."""
    data = ctx.doc.data
    if not isinstance(data, dict):
        ctx.add("DATA_TYPE_MISMATCH", (), "a policy document must be a JSON object")
        return False
    for k in data:
        if k not in ("Version", "Id", "Statement"):
            ctx.add("INVALID_POLICY_ELEMENT", (k,), f"unknown top-level element '{k}'", key=True)
    version = data.get("Version")
    if version is None:
        ctx.add(
            "MISSING_VERSION",
            (),
            "the policy has no Version, so IAM reads it with the 2008 rules (no policy variables)",
        )
    elif version not in ("2012-10-17", "2008-10-17"):
        ctx.add("INVALID_VERSION", ("Version",), f"Version {quoted(version)} is not valid")
    raw = data.get("Statement")
    if raw is None:
        ctx.add("MISSING_STATEMENT", (), "the policy has no Statement")
        return False
    if not isinstance(raw, (dict, list)):
        ctx.add("DATA_TYPE_MISMATCH", ("Statement",), "Statement must be an object or a list")
        return False
    if isinstance(raw, list) and not raw:
        ctx.add("MISSING_STATEMENT", ("Statement",), "the Statement list is empty")
    ctx.statements = list(statements_of(ctx, raw))
    sids: dict[str, PathKey] = {}
    for st in ctx.statements:
        statement(ctx, st, sids)
    return True


def statement(ctx: Context, st: Stmt, sids: dict[str, PathKey]) -> None:
    b, p = st.body, st.path
    for k in b:
        if k not in _STATEMENT_KEYS:
            ctx.add("INVALID_POLICY_ELEMENT", (*p, k), f"unknown statement element '{k}'", key=True)
    _sid(ctx, st, sids)
    if "Effect" not in b:
        ctx.add("MISSING_EFFECT", p, "the statement has no Effect")
    elif b["Effect"] not in ("Allow", "Deny"):
        ctx.add("INVALID_EFFECT", (*p, "Effect"), f"Effect is {quoted(b['Effect'])}")
    _pair(ctx, st, "Action", "NotAction", "MISSING_ACTION")
    for key in ("Action", "NotAction"):
        if key in b:
            actions(ctx, st, key)
    if ctx.kind == "trust":
        _trust_elements(ctx, st)
    else:
        _identity_elements(ctx, st)
    conditions(ctx, st)


def _trust_elements(ctx: Context, st: Stmt) -> None:
    """A role trust policy names a Principal and no Resource."""
    b, p = st.body, st.path
    if "Principal" not in b and "NotPrincipal" not in b:
        ctx.add("MISSING_PRINCIPAL", p, "a trust-policy statement names no Principal")
    if "NotPrincipal" in b:
        ctx.add(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
            (*p, "NotPrincipal"),
            "a role trust policy cannot use NotPrincipal",
            key=True,
        )
    for key in ("Resource", "NotResource"):
        if key in b:
            ctx.add(
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                (*p, key),
                f"a trust policy has no {key}",
                key=True,
            )
    for key in ("Principal", "NotPrincipal"):
        if key in b:
            principal(ctx, b[key], (*p, key), key)


def principal(ctx: Context, value: Any, path: PathKey, key: str) -> None:
    """IAM's grammar: ``"*"``, or an object of AWS, Federated, Service and CanonicalUser,
    each a string or a list of strings. IAM refuses anything else when the policy is saved."""
    if isinstance(value, str):
        if value != "*":
            ctx.add(
                "INVALID_PRINCIPAL_FORMAT",
                path,
                f"{key} {quoted(value)} is a string other than '*'",
            )
        return
    if not isinstance(value, dict):
        ctx.add(
            "DATA_TYPE_MISMATCH",
            path,
            f"{key} must be '*' or an object of AWS, Federated, Service or CanonicalUser, "
            f"not {type_name(value)}",
        )
        return
    if not value:
        ctx.add("INVALID_PRINCIPAL_FORMAT", path, f"{key} is an empty object")
    for kind, ids in value.items():
        kpath = (*path, kind)
        if kind not in PRINCIPAL_KEYS:
            ctx.add(
                "INVALID_PRINCIPAL_KEY",
                kpath,
                f"{key} has the key {quoted(kind)}; IAM knows {', '.join(PRINCIPAL_KEYS)}",
                key=True,
            )
            continue
        if isinstance(ids, str):
            continue
        if not isinstance(ids, list):
            ctx.add(
                "DATA_TYPE_MISMATCH",
                kpath,
                f"{key}.{kind} must be a string or a list of strings, not {type_name(ids)}",
            )
            continue
        for i, item in enumerate(ids):
            if not isinstance(item, str):
                ctx.add(
                    "DATA_TYPE_MISMATCH",
                    (*kpath, i),
                    f"each of {key}.{kind} must be a string, not {type_name(item)}",
                )


def _identity_elements(ctx: Context, st: Stmt) -> None:
    """An identity policy or SCP names a Resource and no Principal."""
    b, p = st.body, st.path
    scp = ctx.kind == "scp"
    for key in ("Principal", "NotPrincipal"):
        if key in b:
            code = "SCP_SYNTAX_ERROR_PRINCIPAL" if scp else "UNSUPPORTED_PRINCIPAL"
            what = "SCP" if scp else "identity policy"
            ctx.add(code, (*p, key), f"an {what} has no {key}", key=True)
    _pair(ctx, st, "Resource", "NotResource", "MISSING_RESOURCE")
    for key in ("Resource", "NotResource"):
        if key in b:
            resources(ctx, st, key)


def _sid(ctx: Context, st: Stmt, sids: dict[str, PathKey]) -> None:
    sid = st.body.get("Sid")
    if sid is None:
        return
    path = (*st.path, "Sid")
    if not isinstance(sid, str) or (ctx.kind != "trust" and not _SID.match(sid)):
        ctx.add("UNSUPPORTED_SID", path, f"Sid {quoted(sid)} may hold only letters and digits")
    elif sid in sids:
        first = ctx.doc.locate(sids[sid]).line
        ctx.add("UNIQUE_SIDS_REQUIRED", path, f"Sid '{sid}' is also used at line {first}")
    elif sid:
        sids[sid] = path


def _pair(ctx: Context, st: Stmt, key: str, not_key: str, missing: str) -> None:
    if key in st.body and not_key in st.body:
        ctx.add(
            "UNSUPPORTED_ELEMENT_COMBINATION",
            st.path,
            f"the statement has both {key} and {not_key}",
        )
    elif key not in st.body and not_key not in st.body:
        ctx.add(missing, st.path, f"the statement needs {key} or {not_key}")


def strings(
    ctx: Context, st: Stmt, key: str, empty_code: str, what: str
) -> list[tuple[PathKey, str]]:
    """The strings of an Action/Resource-like element with their paths; the empty list,
    wrong types and non-string items are reported here."""
    value = st.body[key]
    path = (*st.path, key)
    if isinstance(value, list) and not value:
        ctx.add(empty_code, path, f"{key} is an empty list")
        return []
    if isinstance(value, str):
        return [(path, value)]
    if not isinstance(value, list):
        ctx.add(
            "DATA_TYPE_MISMATCH",
            path,
            f"{key} must be a string or a list of strings, not {type_name(value)}",
        )
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(((*path, i), item))
        else:
            ctx.add("DATA_TYPE_MISMATCH", (*path, i), f"{what} must be a string")
    return out


def actions(ctx: Context, st: Stmt, key: str) -> None:
    seen: list[str] = []
    for apath, action in strings(ctx, st, key, "EMPTY_ARRAY_ACTION", "an action"):
        if action != "*":
            service, sep, name = action.partition(":")
            if not sep or not name or not service:
                ctx.add("INVALID_ACTION", apath, f"'{action}' is not SERVICE:ACTION")
                continue
            if ctx.kind == "scp" and "*" in name[:-1]:
                ctx.add(
                    "SCP_SYNTAX_ERROR_ACTION_WILDCARD",
                    apath,
                    f"'{action}' has a wildcard before its end, which SCPs do not support",
                )
            service_actions = known.actions(service)
            if service_actions is not None and not any(
                arns.action_match(name, k) for k in service_actions
            ):
                ctx.add(
                    "INVALID_ACTION",
                    apath,
                    f"{service} has no action matching '{name}'{_instead(st, action)}",
                )
        if action.lower() in (s.lower() for s in seen) or any(
            other != action and arns.action_match(other, action) for other in seen
        ):
            ctx.add("REDUNDANT_ACTION", apath, f"'{action}' is already covered in this statement")
        seen.append(action)


def _instead(st: Stmt, action: str) -> str:
    """What IAM checks instead of an API operation's name, or a did-you-mean."""
    if arns.has_wildcard(action):
        service, _, name = action.partition(":")
        best = closest(name, known.actions(service) or (), 0.7)
        return f" (did you mean {service}:{best}?)" if best else ""
    found = instead(action, tuple(r for _, r in st.resources()))
    if found is None:
        return ""
    if found.authorized:
        return f": {found.authorized}"
    return f" (did you mean {' or '.join(found.actions)}?)" if found.actions else ""


def resources(ctx: Context, st: Stmt, key: str) -> None:
    items = strings(ctx, st, key, "EMPTY_ARRAY_RESOURCE", "a resource")
    index = arns.Patterns(r for _, r in items)
    seen: set[str] = set()
    for rpath, r in items:
        if r != "*" and not arns.ARN_RE.match(r):
            ctx.add("INVALID_ARN_RESOURCE", rpath, f"'{r}' is not a well-formed ARN")
    for rpath, r in items:
        cover = (
            r
            if r in seen
            else next((w for w in index.candidates(r) if w != r and covers(w, r)), None)
        )
        seen.add(r)
        if cover is not None:
            ctx.add(
                "REDUNDANT_RESOURCE",
                rpath,
                f"'{r}' is already covered by '{cover}' in this statement",
            )


def covers(pattern: str, arn: str) -> bool:
    """Does ``pattern`` cover ``arn``? A '*' Region is not taken to cover the Region-less
    foundation-model ARN of global profiles: AWS documents that ARN explicitly."""
    if not arns.arn_match(pattern, arn):
        return False
    p, a = pattern.split(":", 5), arn.split(":", 5)
    return not (len(a) == 6 and a[3] == "" and len(p) == 6 and p[3] != "")


def conditions(ctx: Context, st: Stmt) -> None:
    cond = st.body.get("Condition")
    if cond is None:
        return
    path = (*st.path, "Condition")
    if not isinstance(cond, dict):
        ctx.add("DATA_TYPE_MISMATCH", path, "Condition must be an object")
        return
    if not cond:
        ctx.add("EMPTY_OBJECT_CONDITION", path, "the Condition is empty")
    _condition_types(ctx, cond, path)
    keys.check(ctx, st)
    for op, key, value, vpath in st.conditions():
        base = op.split(":")[-1].lower()
        if base in STRING_LIKE and keys.is_arn_key(key):
            ctx.add(
                "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                (*path, op),
                f"{op} compares the ARN key {key} as a string",
                key=True,
            )
        if base in EQUALS and any(
            isinstance(v, str) and ("*" in v or "?" in v) for v in _values(value)
        ):
            ctx.add(
                "WILDCARD_WITHOUT_LIKE_OPERATOR",
                vpath,
                f"{op} compares {key} literally, so its * or ? matches only itself",
            )


def _condition_types(ctx: Context, cond: dict[str, Any], path: PathKey) -> None:
    """Each operator holds an object of keys; each key a string, number or boolean, or a list
    of them (IAM's grammar: ``<condition_value_list>``). IAM refuses objects and nulls."""
    for op, block in cond.items():
        if not isinstance(block, dict):
            ctx.add(
                "DATA_TYPE_MISMATCH",
                (*path, op),
                f"Condition.{op} must be an object of condition keys, not {type_name(block)}",
            )
            continue
        for key, value in block.items():
            vpath = (*path, op, key)
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            if isinstance(value, list) and not value:
                ctx.add("DATA_TYPE_MISMATCH", vpath, f"{op} {key} has an empty list of values")
            for i, item in items:
                if item is None or isinstance(item, (dict, list)):
                    ctx.add(
                        "DATA_TYPE_MISMATCH",
                        vpath if i is None else (*vpath, i),
                        f"a value of {op} {key} must be a string, number or boolean, "
                        f"not {type_name(item)}",
                    )


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def size(ctx: Context) -> None:
    """Over the quota of its kind: a warning while some quota IAM has could still hold it (a
    trust policy within the raisable 4,096; an identity policy as a role's inline policies),
    an error once none can (IAM refuses to create it)."""
    used = iam_size(ctx.doc.data)
    if ctx.kind == "scp":
        code, limit, what = "POLICY_SIZE_EXCEEDS_SCP_QUOTA", ctx.limits["scp"], "an SCP"
        most, beyond = limit, ""
    elif ctx.kind == "trust":
        code, limit, what = (
            "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
            ctx.limits["trust"],
            "a role trust policy",
        )
        most = max(limit, TRUST_POLICY_SIZE_MAX)
        beyond = f"; the quota can be raised to {most:,}"
    else:
        code, limit, what = (
            "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
            ctx.limits["managed"],
            "a managed policy",
        )
        most = max(limit, IDENTITY_POLICY_SIZE_MAX)
        beyond = f"; only a role's inline policies ({most:,} together) can hold it"
    if used > most:
        ctx.add(
            code,
            (),
            f"the document takes {used:,} characters; {what} holds {limit:,}"
            + (f" and no IAM quota for it is larger than {most:,}" if most != limit else "")
            + f": {'AWS Organizations' if ctx.kind == 'scp' else 'IAM'} refuses it",
            severity=Severity.ERROR,
        )
    elif used > limit:
        ctx.add(
            code,
            (),
            f"the document takes {used:,} characters; {what} holds {limit:,}{beyond}",
            severity=Severity.WARNING,
        )
