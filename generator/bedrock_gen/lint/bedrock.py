"""Bedrock rules for identity policies, from the catalog's per-source routes.

An inference profile is only usable when the foundation model is allowed in every Region the
profile routes a call to (global profiles: in the source Region and Region-less); a model that
is callable only through a profile needs one of its profiles; model IDs and geographies must
exist; ``bedrock:ApplyGuardrail`` needs guardrail resources; a wildcard over models grants
every model it matches, including the ones AWS adds later (which keys apply to which actions is
``keys``, from AWS's Service Authorization Reference).
"""

from __future__ import annotations

from bedrock_gen.catalog.model import Model, Profile
from bedrock_gen.iam import arn as arns
from bedrock_gen.lint.context import Context, Stmt, as_list
from bedrock_gen.load.document import PathKey
from bedrock_gen.suggest import closest

INVOKE = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
# Keys that pin a wildcard over models to named ones (with a positive operator, concrete values)
PINNING_KEYS = {"bedrock:inferenceprofilearn", "bedrock:modelarn"}
MODEL_KINDS = ("foundation-model", "inference-profile")


def check(ctx: Context) -> None:
    invoke = [s for s in ctx.statements if s.allow and any(s.allows_action(a) for a in INVOKE)]
    resources = [(s, i, r) for s in invoke for i, r in s.resources()]
    patterns = arns.Patterns(r for _, _, r in resources)
    specific_profiles: list[str] = []
    for st, i, text in resources:
        parsed = arns.parse(text)
        if parsed is None or parsed.service != "bedrock":
            continue
        if parsed.kind == "inference-profile" and not arns.has_wildcard(parsed.ident):
            specific_profiles.append(text)
            _profile(ctx, st.rpath(i), parsed, patterns)
        elif parsed.kind == "foundation-model" and parsed.ident:
            _foundation_model(ctx, st.rpath(i), parsed.ident, patterns)
    if specific_profiles:
        for st, i, text in resources:
            if _any_model(text) and not _has_profile_condition(st):
                ctx.add(
                    "BEDROCK_WILDCARD_BROADER_THAN_PROFILES",
                    st.rpath(i),
                    f"'{text}' allows direct calls of any model, though the inference "
                    f"profiles in this policy name {len(specific_profiles)} specific "
                    "model(s)",
                )
    for st in ctx.statements:
        _guardrail(ctx, st)
        _wildcard_models(ctx, st)
        _bearer(ctx, st)
        _marketplace(ctx, st)
    _unguarded(ctx, invoke)
    _application_profiles(ctx, resources)


def _application_profiles(ctx: Context, resources: list[tuple[Stmt, int | None, str]]) -> None:
    """An application inference profile is authorized like a system profile: on the profile
    and on the foundation model in every Region it routes to (user guide,
    inference-profiles-prereq). With no foundation model allowed at all, every call through it
    fails; which models it copies the policy cannot say, so only that case is certain."""
    models = any(
        (parsed := arns.parse(text)) is not None
        and arns.glob_match(parsed.service, "bedrock")
        and (text == "*" or arns.glob_match(parsed.kind or "*", "foundation-model"))
        for _, _, text in resources
    ) or any(text == "*" for _, _, text in resources)
    if models:
        return
    for st, i, text in resources:
        parsed = arns.parse(text)
        if parsed is not None and parsed.kind == "application-inference-profile":
            ctx.add(
                "BEDROCK_APPLICATION_PROFILE_WITHOUT_MODELS",
                st.rpath(i),
                f"'{text}' allows application inference profiles, but no statement allows a "
                "foundation model: every call through them is denied on the model it routes to",
            )


GUARDRAIL_KEY = "bedrock:guardrailidentifier"
BEARER = ("bedrock:callwithbearertoken", "bedrock-mantle:callwithbearertoken")


def _unguarded(ctx: Context, invoke: list[Stmt]) -> None:
    """Invoke actions allowed with no guardrail required: a suggestion (AWS documents
    enforcing one with bedrock:GuardrailIdentifier; not every gateway applies guardrails)."""
    enforced = any(not st.allow and GUARDRAIL_KEY in st.condition_keys() for st in ctx.statements)
    if enforced:
        return
    for st in invoke:
        if GUARDRAIL_KEY in st.condition_keys():
            continue
        ctx.add(
            "BEDROCK_INVOKE_WITHOUT_GUARDRAIL",
            (*st.path, "Action"),
            "the invoke actions are allowed whether or not the call applies a guardrail",
        )


def _bearer(ctx: Context, st: Stmt) -> None:
    """An explicit Allow of CallWithBearerToken without requiring short-term keys."""
    if not st.allow:
        return
    named = [a for a in st.actions() if a.lower() in BEARER]
    if not named:
        return
    short = any(
        k.lower().endswith(":bearertokentype") and "SHORT_TERM" in as_list(v)
        for op, k, v, _ in st.conditions()
        if op.lower().startswith("stringequals")
    )
    if not short:
        ctx.add(
            "BEDROCK_BEARER_TOKEN_UNRESTRICTED",
            (*st.path, "Action"),
            f"{', '.join(named)} allowed for every kind of Bedrock API key",
        )


def _model(ctx: Context, ident: str, path: PathKey) -> Model | None:
    model = ctx.cat.by_id.get(ident)
    if model is not None and model.status == "eol":
        life = model.lifecycle
        dates = sorted({v.eol_date for v in life.regions.values() if v.status == "eol"})
        when = (
            f"reached its end of life on {life.eol_date or ' / '.join(dates)}"
            if life.eol_date or dates
            else "is no longer listed by AWS"
        )
        ctx.add("BEDROCK_MODEL_END_OF_LIFE", path, f"{model.id} {when}: calls fail")
        return None
    if model is not None:
        return model
    wrong = ctx.cat.wrong_ids.get(ident)
    if wrong is not None:
        ctx.add(
            "BEDROCK_WRONG_MODEL_ID",
            path,
            f"'{ident}' is not a Bedrock model ID; the real ID is '{wrong[0].id}' ({wrong[1]})",
        )
        return None
    best = closest(ident, ctx.cat.by_id, 0.85)
    hint = f" (did you mean '{best}'?)" if best else ""
    ctx.add(
        "BEDROCK_UNKNOWN_MODEL",
        path,
        f"model '{ident}' is not in the catalog{hint}; if it "
        "is new, the other checks cannot see its Regions",
    )
    return None


def destinations(profile: Profile, source: str) -> list[str]:
    """Regions whose foundation-model ARN a call from ``source`` is authorized on ('' is the
    Region-less ARN of global profiles)."""
    if profile.is_global:
        return [source, ""] if source in profile.routes else []
    return list(profile.routes.get(source, ()))


def _profile(ctx: Context, path: PathKey, parsed: arns.Arn, patterns: arns.Patterns) -> None:
    geo, dot, model_id = parsed.ident.partition(".")
    if not dot or geo not in ctx.cat.geographies:
        ctx.add(
            "BEDROCK_UNKNOWN_GEOGRAPHY", path, f"'{geo}' is not a cross-Region inference geography"
        )
        return
    model = _model(ctx, model_id, path)
    if model is None:
        return
    profile = model.profiles.get(geo)
    if profile is None and geo in model.unpublished:
        ctx.add(
            "BEDROCK_PROFILE_ROUTES_UNPUBLISHED",
            path,
            f"AWS publishes no per-source routes for {geo}.{model.id}: the Regions a call may "
            "be served in (whose foundation-model ARNs the policy must allow) are unknown",
        )
        return
    if profile is None:
        ctx.add(
            "BEDROCK_PROFILE_NOT_OFFERED",
            path,
            f"{model.id} has no {geo} profile (its "
            f"profiles: {', '.join(model.profiles) or 'none'})",
        )
        return
    region = parsed.region
    sources = (
        [region]
        if region and not arns.has_wildcard(region)
        else [s for s in profile.sources if arns.glob_match(region or "*", s)]
    )
    missing: set[str] = set()
    for source in sources:
        for dest in destinations(profile, source):
            fm = f"arn:{parsed.partition}:bedrock:{dest}::foundation-model/{model.id}"
            if not patterns.match(fm):
                missing.add(dest or "(Region-less)")
    if missing:
        where = region if len(sources) == 1 else "its source Regions"
        ctx.add(
            "BEDROCK_MISSING_DESTINATION_MODELS",
            path,
            f"calls through {geo}.{model.id} from {where} can be served in "
            f"{', '.join(sorted(missing))}, where the policy does not allow the foundation "
            "model; those calls fail",
        )


def _foundation_model(ctx: Context, path: PathKey, ident: str, patterns: arns.Patterns) -> None:
    prefix, dot, rest = ident.partition(".")
    if dot and prefix in ctx.cat.geographies and "." in rest:
        ctx.add(
            "BEDROCK_PROFILE_ID_IN_MODEL_ARN",
            path,
            f"'{ident}' is an inference-profile "
            "ID; a foundation-model ARN with it matches no model",
        )
        return
    if arns.has_wildcard(ident):
        return
    model = _model(ctx, ident, path)
    if model is None or model.on_demand or not (model.profiles or model.unpublished):
        return
    wanted = [f"{g}.{model.id}" for g in [*model.profiles, *model.unpublished]]
    for p in patterns.all:
        parsed = arns.parse(p)
        if parsed is not None and arns.glob_match(parsed.kind, "inference-profile"):
            if any(arns.glob_match(parsed.ident, w) for w in wanted):
                return
        elif parsed is not None and arns.glob_match(parsed.kind, "application-inference-profile"):
            return  # an application profile (its ID says nothing) may copy one of its profiles
        if p == "*":
            return
    ctx.add(
        "BEDROCK_FOUNDATION_MODEL_WITHOUT_PROFILE",
        path,
        f"{model.id} can only be called "
        "through an inference profile, and the policy allows none of its profiles",
    )


def _any_model(text: str) -> bool:
    """Does this Resource allow foundation models by a wildcard in the model ID?"""
    if text == "*":
        return True
    parsed = arns.parse(text)
    if parsed is None or not arns.glob_match(parsed.service, "bedrock"):
        return False
    if parsed.resource == "*":
        return True
    return arns.glob_match(parsed.kind, "foundation-model") and arns.has_wildcard(parsed.ident)


def _has_profile_condition(st: Stmt) -> bool:
    """A condition that holds only for calls through a profile: a positive operator on
    bedrock:InferenceProfileArn (``...IfExists`` also holds for direct calls, which have none)."""
    return any(
        key.lower() == "bedrock:inferenceprofilearn" and _restricts(op)
        for op, key, _, _ in st.conditions()
    )


def _restricts(op: str) -> bool:
    base = op.split(":")[-1]
    return "Not" not in base and not base.endswith("IfExists") and base != "Null"


def _guardrail(ctx: Context, st: Stmt) -> None:
    if not st.allow or not any(
        arns.action_match(a, "bedrock:ApplyGuardrail")
        for a in st.actions()
        if a.lower().startswith("bedrock:")
    ):
        return
    if any(_may_be_guardrail(r) for _, r in st.resources()):
        return
    raw = st.body.get("Action", [])
    path: PathKey = (*st.path, "Action")
    for j, a in enumerate(as_list(raw)):
        if isinstance(a, str) and a.lower() == "bedrock:applyguardrail" and isinstance(raw, list):
            path = (*st.path, "Action", j)
    ctx.add(
        "BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL",
        path,
        "bedrock:ApplyGuardrail is authorized "
        "against guardrail resources, but this statement names none, so it grants nothing "
        "usable",
    )


def _may_be_guardrail(text: str) -> bool:
    if text == "*":
        return True
    parsed = arns.parse(text)
    return (
        parsed is not None
        and arns.glob_match(parsed.service, "bedrock")
        and (
            arns.glob_match(parsed.kind, "guardrail")
            or arns.glob_match(parsed.kind, "guardrail-profile")
        )
    )


def _wildcard_models(ctx: Context, st: Stmt) -> None:
    """An invoke action on a wildcard over models (``foundation-model/*``,
    ``inference-profile/*``, ``*``) grants every model it matches, present and future."""
    if not st.allow:
        return
    granted = [a for a in INVOKE if st.allows_action(a)]
    if not granted or _pinned(st):
        return
    what = " and ".join(granted)
    for i, text in st.resources():
        scope = _models_scope(text)
        if scope is None:
            continue
        ctx.add(
            "BEDROCK_WILDCARD_MODEL_GRANT",
            st.rpath(i),
            f"'{text}' grants {what} on {scope}, present and future: a model AWS adds later is "
            "granted with no change to this policy",
        )


def _models_scope(text: str) -> str | None:
    """What a Resource covers of Bedrock's models by a wildcard, or None (no wildcard over
    models: an exact model, or not a model ARN)."""
    if text == "*":
        return "every model and inference profile of every Region and account"
    parsed = arns.parse(text)
    if parsed is None or not arns.glob_match(parsed.service, "bedrock"):
        return None
    if parsed.resource == "*" or arns.has_wildcard(parsed.kind):
        if not any(arns.glob_match(parsed.kind or "*", k) for k in MODEL_KINDS):
            return None
        return "every Bedrock resource its pattern matches, models and profiles included"
    if parsed.kind not in MODEL_KINDS or not arns.has_wildcard(parsed.ident):
        return None
    noun = "model" if parsed.kind == "foundation-model" else "inference profile"
    if parsed.ident == "*":
        return f"every {noun}"
    return f"every {noun} matching '{parsed.ident}'"


def _pinned(st: Stmt) -> bool:
    """A positive condition naming exact profiles or models restricts the wildcard to them."""
    for op, key, value, _ in st.conditions():
        if key.lower() not in PINNING_KEYS or not _restricts(op):
            continue
        values = as_list(value)
        if values and all(isinstance(v, str) and not arns.has_wildcard(v) for v in values):
            return True
    return False


def _marketplace(ctx: Context, st: Stmt) -> None:
    """An Allow of aws-marketplace:Subscribe (named under the aws-marketplace service; a bare
    '*' is ACCESS_ALL_ACTIONS) must be limited to product IDs: a ProductId condition whose
    values are not wildcards everything."""
    if not st.allow:
        return
    raw = st.body.get("Action", [])
    named = [
        (j, a)
        for j, a in enumerate(as_list(raw))
        if isinstance(a, str)
        and a.lower().startswith("aws-marketplace:")
        and arns.action_match(a, "aws-marketplace:Subscribe")
    ]
    if not named:
        return
    for op, key, value, _path in st.conditions():
        if key.lower() != "aws-marketplace:productid" or op.lower().startswith("null"):
            continue
        values = [v for v in as_list(value) if isinstance(v, str)]
        if values and not any(v.strip("*?") == "" for v in values):
            return
    j, action = named[0]
    path: PathKey = (*st.path, "Action", j) if isinstance(raw, list) else (*st.path, "Action")
    ctx.add(
        "MARKETPLACE_SUBSCRIBE_WITHOUT_PRODUCT_ID",
        path,
        f"'{action}' is allowed without an aws-marketplace:ProductId condition: the account "
        "can be subscribed to any AWS Marketplace product",
    )
