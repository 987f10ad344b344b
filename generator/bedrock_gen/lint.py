"""``bedrock-gen lint``: offline checks of IAM JSON documents, generated or hand-written.

Each rule has a stable code (IAM Access Analyzer's issue code where one fits, ``BEDROCK_*`` and
``TRUST_*`` for checks it does not make), a finding type (ERROR, SECURITY_WARNING, WARNING,
SUGGESTION, as Access Analyzer uses them), a short description, a source and a fix hint.
``bedrock-gen lint --list-rules`` prints them.

Findings are located at the JSON value they concern. The linter knows identity policies from
role trust policies, and Bedrock from the catalog: an inference profile is only usable when the
foundation model is allowed in every Region the profile routes to.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from bedrock_gen.catalog import Catalog, Model, Profile
from bedrock_gen.diagnostics import Diagnostic
from bedrock_gen.loader import Document, PathKey
from bedrock_gen.resolve import iam_size
from bedrock_gen.suggest import closest
from bedrock_gen.validation import external_id_problem

FindingType = Literal["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"]
FINDING_TYPES: tuple[FindingType, ...] = ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")
DEFAULT_FAIL_ON: frozenset[str] = frozenset({"ERROR", "SECURITY_WARNING"})

AA = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
GRAMMAR = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
GEO = "https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html"
GUARD = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html"
PROFILES = "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html"
EXTID = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"


class Rule(NamedTuple):
    code: str
    finding_type: FindingType
    description: str
    source: str
    hint: str


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("JSON_SYNTAX", "ERROR", "The file is not valid JSON.", GRAMMAR,
         "fix the JSON syntax at the position shown"),
    Rule("MISSING_VERSION", "WARNING", "The policy has no Version element.", AA,
         'add "Version": "2012-10-17"'),
    Rule("INVALID_VERSION", "ERROR", "Version is not 2012-10-17 or 2008-10-17.", AA,
         'use "Version": "2012-10-17"'),
    Rule("MISSING_STATEMENT", "ERROR", "The policy has no Statement.", GRAMMAR,
         "add a Statement list"),
    Rule("INVALID_ELEMENT", "ERROR", "An element is not valid at this place or has the wrong "
         "type.", GRAMMAR, "remove or correct the element"),
    Rule("INVALID_EFFECT", "ERROR", "Effect is missing or not Allow or Deny.", AA,
         'use "Effect": "Allow" or "Deny"'),
    Rule("MISSING_ACTION", "ERROR", "A statement has neither Action nor NotAction (or both).",
         AA, "give the statement exactly one of Action or NotAction"),
    Rule("MISSING_RESOURCE", "ERROR", "An identity-policy statement has neither Resource nor "
         "NotResource (or both).", AA, "give the statement exactly one of Resource or "
         "NotResource"),
    Rule("MISSING_PRINCIPAL", "ERROR", "A trust-policy statement has no Principal.", AA,
         "name the principals allowed to assume the role"),
    Rule("UNSUPPORTED_PRINCIPAL", "ERROR", "An identity policy has a Principal element.", AA,
         "remove Principal: identity policies apply to whoever they are attached to"),
    Rule("UNSUPPORTED_RESOURCE_IN_TRUST_POLICY", "ERROR", "A trust policy has a Resource "
         "element.", AA, "remove Resource from the trust policy"),
    Rule("DUPLICATE_SID", "ERROR", "Two statements have the same Sid.", AA,
         "give each statement a unique Sid"),
    Rule("INVALID_SID", "ERROR", "A Sid has characters other than letters and digits.", AA,
         "use only A-Z, a-z and 0-9 in Sid"),
    Rule("EMPTY_ARRAY_ACTION", "ERROR", "An Action list is empty.", AA,
         "list the actions, or remove the statement"),
    Rule("EMPTY_ARRAY_RESOURCE", "ERROR", "A Resource list is empty.", AA,
         "list the resources, or remove the statement"),
    Rule("EMPTY_ARRAY_PRINCIPAL", "ERROR", "A Principal list is empty.", AA,
         "list the principals, or remove the statement"),
    Rule("INVALID_ACTION", "ERROR", "An action does not exist for its service (checked for "
         "bedrock, bedrock-mantle, aws-marketplace and sts).", AA,
         "use an action from the Service Authorization Reference"),
    Rule("INVALID_ARN_RESOURCE", "ERROR", "A resource is neither '*' nor a well-formed ARN.", AA,
         "write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"),
    Rule("REDUNDANT_ACTION", "SUGGESTION", "An action is listed twice or covered by a wildcard "
         "in the same statement.", AA, "remove the redundant action"),
    Rule("REDUNDANT_RESOURCE", "SUGGESTION", "A resource is listed twice or covered by a "
         "wildcard in the same statement.", AA, "remove the redundant resource"),
    Rule("POLICY_SIZE_EXCEEDED", "ERROR", "The document is larger than its IAM quota (white "
         "space not counted).", QUOTAS, "split the policy, or remove resources"),
    Rule("BEDROCK_MISSING_DESTINATION_MODELS", "ERROR", "An inference profile is allowed, but "
         "not the foundation model in every Region the profile routes calls to, so calls fail "
         "at random.", GEO, "allow the foundation model in every destination Region (bedrock-gen "
         "render does)"),
    Rule("BEDROCK_FOUNDATION_MODEL_WITHOUT_PROFILE", "ERROR", "A foundation model that can only "
         "be called through an inference profile is allowed, but none of its profiles is.",
         PROFILES, "also allow one of the model's inference profiles"),
    Rule("BEDROCK_UNKNOWN_MODEL", "WARNING", "A model ID is not in bedrock-gen's catalog.",
         PROFILES, "check the model ID ('bedrock-gen models' lists the catalog)"),
    Rule("BEDROCK_WRONG_MODEL_ID", "ERROR", "A model ID is a known misspelling of a real one: "
         "the ARN matches no model.", PROFILES, "use the real model ID"),
    Rule("BEDROCK_UNKNOWN_GEOGRAPHY", "ERROR", "An inference-profile ID has a prefix that is "
         "not a cross-Region inference geography.", PROFILES,
         "use a geography prefix such as us., eu., apac., jp., au., global."),
    Rule("BEDROCK_PROFILE_NOT_OFFERED", "WARNING", "The model has no inference profile in this "
         "geography (per the catalog), so the ARN matches nothing.", PROFILES,
         "use a geography the model is offered in"),
    Rule("BEDROCK_WILDCARD_BROADER_THAN_PROFILES", "SECURITY_WARNING", "Specific inference "
         "profiles are allowed, but foundation models by a wildcard without a "
         "bedrock:InferenceProfileArn condition: any model can be called directly.", GEO,
         "name the profiles' foundation models, or condition them on "
         "bedrock:InferenceProfileArn"),
    Rule("BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL", "ERROR", "bedrock:ApplyGuardrail is allowed only "
         "on resources that are not guardrails, which grants nothing usable.", GUARD,
         "allow bedrock:ApplyGuardrail on arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID in a "
         "statement of its own"),
    Rule("TRUST_WILDCARD_PRINCIPAL", "SECURITY_WARNING", "The trust policy lets any principal "
         "assume the role.", AA, "name the principals that may assume the role"),
    # A WARNING, not a SECURITY_WARNING: Port documents the external ID as optional (but
    # recommended), and `validate` warns about the same thing.
    Rule("TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID", "WARNING", "An AWS principal may "
         "assume the role without an sts:ExternalId condition.", EXTID,
         'add "Condition": {"StringEquals": {"sts:ExternalId": "..."}}'),
    Rule("TRUST_EXTERNAL_ID_WHITESPACE", "ERROR", "The sts:ExternalId value has white space at "
         "either end; the gateway's value must match character for character.", EXTID,
         "remove the white space (and from the gateway's secret)"),
    Rule("TRUST_EXTERNAL_ID_INVALID", "ERROR", "The sts:ExternalId value breaks STS's rules "
         "(2-1224 characters of letters, digits and +=,.@:/_-).", EXTID,
         "use a valid external ID"),
    Rule("TRUST_EXTERNAL_ID_PLACEHOLDER", "WARNING", "The sts:ExternalId value is a placeholder "
         "such as <OPTIONAL_EXTERNAL_ID>.", EXTID, "put the real external ID in"),
]}

_ARN = re.compile(r"^arn:(?P<partition>[a-z*?-]+):(?P<service>[a-z0-9*?-]+):"
                  r"(?P<region>[a-z0-9*?-]*):(?P<account>[0-9*?]*|aws):(?P<resource>.+)$")
_SID = re.compile(r"^[A-Za-z0-9]*$")
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                   "Principal", "NotPrincipal", "Condition"}
INVOKE = ("bedrock:invokemodel", "bedrock:invokemodelwithresponsestream")


@functools.cache
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                              for c in pattern), re.DOTALL | re.IGNORECASE)


def glob_match(pattern: str, value: str) -> bool:
    return _glob(pattern).fullmatch(value) is not None


def arn_match(pattern: str, arn: str) -> bool:
    """IAM matching of a Resource pattern: each of the six ARN fields separately."""
    if pattern == "*":
        return True
    p, a = pattern.split(":", 5), arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return False
    return all(_glob(x).fullmatch(y) is not None for x, y in zip(p, a, strict=True))


class _Patterns:
    """Resource patterns indexed for matching: a set for plain ARNs, a scan only over the few
    with wildcards (a whole-catalog policy has thousands of ARNs)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        items = list(patterns)
        self.exact = {p for p in items if "*" not in p and "?" not in p}
        self.wild = [p for p in items if "*" in p or "?" in p]
        # Wildcards are nearly always in the Region or account field; index by the last field.
        self.by_resource: dict[str, list[str]] = {}
        self.scan: list[str] = []
        for p in self.wild:
            last = p.split(":", 5)[-1] if p.count(":") >= 5 else "*"
            if "*" in last or "?" in last:
                self.scan.append(p)
            else:
                self.by_resource.setdefault(last, []).append(p)

    def candidates(self, arn: str) -> list[str]:
        """Wildcard patterns that may match ``arn`` (the rest cannot)."""
        return [*self.by_resource.get(arn.split(":", 5)[-1], ()), *self.scan]

    def match(self, arn: str) -> bool:
        return arn in self.exact or any(arn_match(p, arn) for p in self.candidates(arn))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@functools.cache
def known_actions() -> dict[str, list[str]]:
    from bedrock_gen.resources import data_path

    with open(data_path("iam_actions.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    return {svc: sorted(v["actions"]) for svc, v in data["services"].items()}


class _Stmt:
    def __init__(self, index: int, path: PathKey, body: dict[str, Any]) -> None:
        self.index = index
        self.path = path
        self.body = body

    @property
    def allow(self) -> bool:
        return self.body.get("Effect") == "Allow"

    def actions(self) -> list[str]:
        value = self.body.get("Action", [])
        return [a for a in _as_list(value) if isinstance(a, str)]

    def resources(self) -> list[tuple[int | None, str]]:
        value = self.body.get("Resource", [])
        if isinstance(value, str):
            return [(None, value)]
        return [(i, r) for i, r in enumerate(value if isinstance(value, list) else [])
                if isinstance(r, str)]

    def rpath(self, i: int | None) -> PathKey:
        return (*self.path, "Resource") if i is None else (*self.path, "Resource", i)

    def allows_action(self, action: str) -> bool:
        return any(glob_match(a, action) for a in self.actions())


class Linter:
    """One document's findings."""

    def __init__(self, doc: Document, catalog: Catalog, kind: str = "auto",
                 managed_limit: int = 6144, trust_limit: int = 2048) -> None:
        self.doc = doc
        self.cat = catalog
        self.kind = kind
        self.managed_limit = managed_limit
        self.trust_limit = trust_limit
        self.out: list[Diagnostic] = []

    def add(self, code: str, path: PathKey, message: str, key: bool = False) -> None:
        rule = RULES[code]
        loc = self.doc.locate_key(path) if key else self.doc.locate(path)
        self.out.append(Diagnostic(rule.finding_type.lower(), code,  # type: ignore[arg-type]
                                   f"{message}; fix: {rule.hint}", self.doc.file, loc))

    # -- structure ------------------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.add("INVALID_ELEMENT", (), "a policy document must be a JSON object")
            return self.out
        for k in data:
            if k not in ("Version", "Id", "Statement"):
                self.add("INVALID_ELEMENT", (k,), f"unknown top-level element '{k}'", key=True)
        version = data.get("Version")
        if version is None:
            self.add("MISSING_VERSION", (), "the policy has no Version, so IAM reads it with "
                     "the 2008 rules (no policy variables)")
        elif version not in ("2012-10-17", "2008-10-17"):
            self.add("INVALID_VERSION", ("Version",), f"Version {version!r} is not valid")
        raw = data.get("Statement")
        if raw is None:
            self.add("MISSING_STATEMENT", (), "the policy has no Statement")
            return self.out
        if isinstance(raw, dict):
            stmts = [_Stmt(0, ("Statement",), raw)]
        elif isinstance(raw, list):
            if not raw:
                self.add("MISSING_STATEMENT", ("Statement",), "the Statement list is empty")
            stmts = []
            for i, s in enumerate(raw):
                if isinstance(s, dict):
                    stmts.append(_Stmt(i, ("Statement", i), s))
                else:
                    self.add("INVALID_ELEMENT", ("Statement", i), "a statement must be an object")
        else:
            self.add("INVALID_ELEMENT", ("Statement",), "Statement must be an object or a list")
            return self.out
        trust = self.is_trust(stmts)
        sids: dict[str, PathKey] = {}
        for st in stmts:
            self.statement(st, trust, sids)
        if trust:
            self.trust(stmts)
        else:
            self.bedrock(stmts)
        size = iam_size(data)
        limit = self.trust_limit if trust else self.managed_limit
        if size > limit:
            what = "role trust policy" if trust else "managed policy"
            self.add("POLICY_SIZE_EXCEEDED", (), f"the document takes {size:,} characters; a "
                     f"{what} holds {limit:,}")
        return self.out

    def is_trust(self, stmts: Sequence[_Stmt]) -> bool:
        if self.kind != "auto":
            return self.kind == "trust"
        with_principal = [s for s in stmts if "Principal" in s.body or "NotPrincipal" in s.body]
        return bool(stmts) and len(with_principal) == len(stmts) and not any(
            "Resource" in s.body or "NotResource" in s.body for s in stmts)

    def statement(self, st: _Stmt, trust: bool, sids: dict[str, PathKey]) -> None:
        b, p = st.body, st.path
        for k in b:
            if k not in _STATEMENT_KEYS:
                self.add("INVALID_ELEMENT", (*p, k), f"unknown statement element '{k}'",
                         key=True)
        sid = b.get("Sid")
        if sid is not None:
            if not isinstance(sid, str) or (not trust and not _SID.match(sid)):
                self.add("INVALID_SID", (*p, "Sid"), f"Sid {sid!r} may hold only letters and "
                         "digits")
            elif sid in sids:
                first = self.doc.locate(sids[sid]).line
                self.add("DUPLICATE_SID", (*p, "Sid"), f"Sid '{sid}' is also used at line "
                         f"{first}")
            else:
                sids[sid] = (*p, "Sid")
        if b.get("Effect") not in ("Allow", "Deny"):
            where = (*p, "Effect") if "Effect" in b else p
            self.add("INVALID_EFFECT", where, f"Effect is {b.get('Effect')!r}")
        if ("Action" in b) == ("NotAction" in b):
            self.add("MISSING_ACTION", p, "the statement needs exactly one of Action and "
                     "NotAction")
        for key in ("Action", "NotAction"):
            if key in b:
                self.actions(st, key)
        if trust:
            if "Principal" not in b and "NotPrincipal" not in b:
                self.add("MISSING_PRINCIPAL", p, "a trust-policy statement names no Principal")
            for key in ("Resource", "NotResource"):
                if key in b:
                    self.add("UNSUPPORTED_RESOURCE_IN_TRUST_POLICY", (*p, key),
                             f"a trust policy has no {key}", key=True)
        else:
            for key in ("Principal", "NotPrincipal"):
                if key in b:
                    self.add("UNSUPPORTED_PRINCIPAL", (*p, key), f"an identity policy has no "
                             f"{key}", key=True)
            if ("Resource" in b) == ("NotResource" in b):
                self.add("MISSING_RESOURCE", p, "the statement needs exactly one of Resource and "
                         "NotResource")
            for key in ("Resource", "NotResource"):
                if key in b:
                    self.resources(st, key)

    def strings(self, st: _Stmt, key: str, empty_code: str,
                what: str) -> list[tuple[PathKey, str]]:
        """The strings of an Action/Resource-like element with their paths; the empty list,
        wrong types and non-string items are reported here."""
        value = st.body[key]
        path = (*st.path, key)
        if isinstance(value, list) and not value:
            self.add(empty_code, path, f"{key} is an empty list")
            return []
        if isinstance(value, str):
            return [(path, value)]
        if not isinstance(value, list):
            self.add("INVALID_ELEMENT", path, f"{key} must be a string or a list of strings")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                out.append(((*path, i), item))
            else:
                self.add("INVALID_ELEMENT", (*path, i), f"{what} must be a string")
        return out

    def actions(self, st: _Stmt, key: str) -> None:
        seen: list[str] = []
        for apath, action in self.strings(st, key, "EMPTY_ARRAY_ACTION", "an action"):
            if action != "*":
                service, sep, name = action.partition(":")
                if not sep or not name or not service:
                    self.add("INVALID_ACTION", apath, f"'{action}' is not SERVICE:ACTION")
                    continue
                known = known_actions().get(service.lower())
                if known is not None and not any(glob_match(name, k) for k in known):
                    best = closest(name, known, 0.7)
                    hint = f" (did you mean {service}:{best}?)" if best else ""
                    self.add("INVALID_ACTION", apath, f"{service} has no action matching "
                             f"'{name}'{hint}")
            if action.lower() in (s.lower() for s in seen) or any(
                    other != action and glob_match(other, action) for other in seen):
                self.add("REDUNDANT_ACTION", apath, f"'{action}' is already covered in this "
                         "statement")
            seen.append(action)

    def resources(self, st: _Stmt, key: str) -> None:
        strings = self.strings(st, key, "EMPTY_ARRAY_RESOURCE", "a resource")
        index = _Patterns(r for _, r in strings)
        seen: set[str] = set()
        for rpath, r in strings:
            if r != "*" and not _ARN.match(r):
                self.add("INVALID_ARN_RESOURCE", rpath, f"'{r}' is not a well-formed ARN")
        for rpath, r in strings:
            cover = r if r in seen else next(
                (w for w in index.candidates(r) if w != r and _covers(w, r)), None)
            seen.add(r)
            if cover is not None:
                self.add("REDUNDANT_RESOURCE", rpath, f"'{r}' is already covered by '{cover}' "
                         "in this statement")

    # -- Bedrock --------------------------------------------------------------------------------

    def bedrock(self, stmts: Sequence[_Stmt]) -> None:
        invoke = [s for s in stmts if s.allow and any(s.allows_action(a) for a in INVOKE)]
        resources = [(s, i, r) for s in invoke for i, r in s.resources()]
        patterns = _Patterns(r for _, _, r in resources)
        specific_profiles: list[str] = []
        for st, i, arn in resources:
            m = _ARN.match(arn)
            if not m or m["service"] != "bedrock":
                continue
            kind, _, ident = m["resource"].partition("/")
            if kind == "inference-profile" and not any(c in ident for c in "*?"):
                specific_profiles.append(arn)
                self.profile(st.rpath(i), m, ident, patterns)
            elif kind == "foundation-model" and ident and not any(c in ident for c in "*?"):
                self.foundation_model(st.rpath(i), ident, patterns)
        if specific_profiles:
            for st, i, arn in resources:
                if _any_model(arn) and not _has_profile_condition(st.body.get("Condition")):
                    self.add("BEDROCK_WILDCARD_BROADER_THAN_PROFILES", st.rpath(i),
                             f"'{arn}' allows direct calls of any model, though the inference "
                             f"profiles in this policy name {len(specific_profiles)} specific "
                             "model(s)")
        for st in stmts:
            if not st.allow or not any(glob_match(a, "bedrock:ApplyGuardrail")
                                       for a in st.actions() if a.lower().startswith("bedrock:")):
                continue
            if not any(_may_be_guardrail(r) for _, r in st.resources()):
                path = (*st.path, "Action")
                for j, a in enumerate(_as_list(st.body.get("Action", []))):
                    if isinstance(a, str) and a.lower() == "bedrock:applyguardrail":
                        path = (*st.path, "Action", j) if isinstance(st.body["Action"], list) \
                            else path
                self.add("BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL", path,
                         "bedrock:ApplyGuardrail is authorized against guardrail resources, but "
                         "this statement names none, so it grants nothing usable")

    def model(self, ident: str, path: PathKey) -> Model | None:
        model = self.cat.by_id.get(ident)
        if model is not None:
            return model
        wrong = self.cat.wrong_ids.get(ident)
        if wrong is not None:
            self.add("BEDROCK_WRONG_MODEL_ID", path, f"'{ident}' is not a Bedrock model ID; "
                     f"the real ID is '{wrong[0].id}' ({wrong[1]})")
            return None
        best = closest(ident, self.cat.by_id, 0.85)
        hint = f" (did you mean '{best}'?)" if best else ""
        self.add("BEDROCK_UNKNOWN_MODEL", path, f"model '{ident}' is not in the catalog"
                 f"{hint}; if it is new, the other checks cannot see its Regions")
        return None

    def profile(self, path: PathKey, m: re.Match[str], ident: str, patterns: _Patterns) -> None:
        geo, dot, model_id = ident.partition(".")
        if not dot or geo not in self.cat.geographies:
            self.add("BEDROCK_UNKNOWN_GEOGRAPHY", path, f"'{geo}' is not a cross-Region "
                     "inference geography")
            return
        model = self.model(model_id, path)
        if model is None:
            return
        profile = model.profiles.get(geo)
        if profile is None:
            self.add("BEDROCK_PROFILE_NOT_OFFERED", path, f"{model.id} has no {geo} profile "
                     f"(its profiles: {', '.join(model.profiles) or 'none'})")
            return
        region = m["region"]
        sources = [region] if region and not any(c in region for c in "*?") else \
            [s for s in profile.sources if glob_match(region or "*", s)]
        missing: set[str] = set()
        for source in sources:
            for dest in _destinations(self.cat, profile, source):
                fm = f"arn:{m['partition']}:bedrock:{dest}::foundation-model/{model.id}"
                if not patterns.match(fm):
                    missing.add(dest or "(Region-less)")
        if missing:
            where = region if len(sources) == 1 else "its source Regions"
            self.add("BEDROCK_MISSING_DESTINATION_MODELS", path,
                     f"calls through {geo}.{model.id} from {where} can be served in "
                     f"{', '.join(sorted(missing))}, where the policy does not allow the "
                     "foundation model; those calls fail")

    def foundation_model(self, path: PathKey, ident: str, patterns: _Patterns) -> None:
        model = self.model(ident, path)
        if model is None or model.in_region:
            return
        wanted = [f"{g}.{model.id}" for g in model.profiles]
        reachable = any(
            parts is not None and glob_match(parts[0], "inference-profile")
            and any(glob_match(parts[1], w) for w in wanted)
            for parts in (_resource_kind(p) for p in [*patterns.exact, *patterns.wild]))
        if not reachable:
            self.add("BEDROCK_FOUNDATION_MODEL_WITHOUT_PROFILE", path,
                     f"{model.id} can only be called through an inference profile, and the "
                     "policy allows none of its profiles")

    # -- trust ----------------------------------------------------------------------------------

    def trust(self, stmts: Sequence[_Stmt]) -> None:
        for st in stmts:
            if not st.allow:
                continue
            principal = st.body.get("Principal")
            path = (*st.path, "Principal")
            aws: list[Any] = []
            if principal == "*":
                self.add("TRUST_WILDCARD_PRINCIPAL", path, "Principal '*' lets anyone assume "
                         "the role")
                continue
            if isinstance(principal, dict) and "AWS" in principal:
                aws = _as_list(principal["AWS"])
                if not aws:
                    self.add("EMPTY_ARRAY_PRINCIPAL", (*path, "AWS"), "Principal.AWS is an "
                             "empty list")
                if "*" in aws:
                    self.add("TRUST_WILDCARD_PRINCIPAL", (*path, "AWS"), "Principal AWS '*' "
                             "lets any AWS principal assume the role")
                    continue
            ids = _external_ids(st.body.get("Condition"))
            if aws and not ids:
                self.add("TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID", path,
                         "AWS principals may assume the role without an sts:ExternalId")
            for cpath, value in ids:
                full = (*st.path, "Condition", *cpath)
                if not isinstance(value, str):
                    continue
                if value != value.strip():
                    self.add("TRUST_EXTERNAL_ID_WHITESPACE", full, "the external ID has white "
                             "space at one end")
                elif re.fullmatch(r"<[^<>]*>", value):
                    self.add("TRUST_EXTERNAL_ID_PLACEHOLDER", full, f"{value} is a placeholder")
                elif external_id_problem(value) is not None:
                    self.add("TRUST_EXTERNAL_ID_INVALID", full, "the external ID breaks STS's "
                             "rules")


def _resource_kind(arn: str) -> tuple[str, str] | None:
    """(resource type, id) of a Bedrock ARN pattern, or None for other services."""
    m = _ARN.match(arn)
    if m is None or not glob_match(m["service"], "bedrock"):
        return None
    kind, _, ident = m["resource"].partition("/")
    return kind, ident


def _may_be_guardrail(arn: str) -> bool:
    if arn == "*":
        return True
    parts = _resource_kind(arn)
    return parts is not None and (glob_match(parts[0], "guardrail")
                                  or glob_match(parts[0], "guardrail-profile"))


def _any_model(arn: str) -> bool:
    """Does this Resource allow foundation models by a wildcard in the model ID?"""
    if arn == "*":
        return True
    m = _ARN.match(arn)
    if m is None or not glob_match(m["service"], "bedrock"):
        return False
    kind, _, ident = m["resource"].partition("/")
    if m["resource"] == "*":
        return True
    return glob_match(kind, "foundation-model") and any(c in ident for c in "*?")


def _destinations(catalog: Catalog, profile: Profile, source: str) -> list[str]:
    if profile.is_global:
        return [source, ""]
    return list(catalog.certain_destinations(profile, source))


def _covers(pattern: str, arn: str) -> bool:
    """Does ``pattern`` cover ``arn``? A '*' Region is not taken to cover the Region-less
    foundation-model ARN of global profiles: AWS documents that ARN explicitly."""
    if not arn_match(pattern, arn):
        return False
    p, a = pattern.split(":", 5), arn.split(":", 5)
    return not (len(a) == 6 and a[3] == "" and len(p) == 6 and p[3] != "")


def _has_profile_condition(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    return any(isinstance(block, dict) and any(k.lower() == "bedrock:inferenceprofilearn"
                                               for k in block)
               for block in condition.values())


def _external_ids(condition: Any) -> list[tuple[PathKey, Any]]:
    out: list[tuple[PathKey, Any]] = []
    if not isinstance(condition, dict):
        return out
    for op, block in condition.items():
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            if key.lower() == "sts:externalid":
                if isinstance(value, list):
                    out += [((op, key, i), v) for i, v in enumerate(value)]
                else:
                    out.append(((op, key), value))
    return out


def lint_document(doc: Document, catalog: Catalog, kind: str = "auto",
                  trust_limit: int = 2048) -> list[Diagnostic]:
    return Linter(doc, catalog, kind, trust_limit=trust_limit).run()


def lint_data(data: Any, file: str, catalog: Catalog, kind: str = "auto",
              trust_limit: int = 2048) -> list[Diagnostic]:
    """Lint an in-memory document (the generator's own output), without locations."""
    return lint_document(Document(file, data), catalog, kind, trust_limit)


def fail_set(chosen: Iterable[str]) -> frozenset[str]:
    """``--fail-on`` is a threshold: the most lenient type named, and everything more severe."""
    given = [c.upper() for c in chosen]
    if not given:
        return DEFAULT_FAIL_ON
    lowest = max(FINDING_TYPES.index(c) for c in given)
    return frozenset(FINDING_TYPES[: lowest + 1])


def failing(diagnostics: Iterable[Diagnostic], fail_on: Iterable[str]) -> list[Diagnostic]:
    wanted = {f.lower() for f in fail_on}
    return [d for d in diagnostics if d.severity in wanted]


def ignore(diagnostics: Iterable[Diagnostic], codes: Iterable[str]) -> list[Diagnostic]:
    skip = {c.upper() for c in codes}
    return [d for d in diagnostics if d.code not in skip]


def rule_table() -> list[Mapping[str, str]]:
    return [{"code": r.code, "type": r.finding_type, "description": r.description,
             "source": r.source, "fix": r.hint} for r in RULES.values()]
