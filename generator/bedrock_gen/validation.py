"""Validation in two passes: structure (JSON Schema, every error), then meaning (the catalog).

Pass 1 turns each JSON Schema error into one plain sentence located at the offending key or
value. Pass 2 runs only on a structurally valid config and knows Bedrock: models and aliases,
geographies, Regions, guardrails, Port's gateway, STS and IAM rules. It builds the typed
``Config`` that every later stage reads.

Secrets: an external ID is never echoed in a message; messages name its place or its variable.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from bedrock_gen.catalog import Catalog, Model
from bedrock_gen.config import (
    DEFAULT_EXTERNAL_ID_SECRET,
    INVOKE_POLICY_SUFFIX,
    Auth,
    Config,
    ExternalIdSpec,
    TerraformSettings,
)
from bedrock_gen.diagnostics import Diagnostic, has_errors
from bedrock_gen.loader import Document, PathKey, type_name
from bedrock_gen.suggest import did_you_mean

EXTERNAL_ID_CHARS = re.compile(r"^[A-Za-z0-9_+=,.@:/-]+$")
MODEL_ID = re.compile(r"^[a-z0-9-]{1,63}\.[a-z0-9-]+([.:][a-z0-9-]+)*$")
PRINCIPAL_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-us-gov|aws-cn):iam::(?P<account>[0-9]{12}):"
    r"(?P<kind>role|user|root)(?P<rest>/[A-Za-z0-9_+=,.@/-]+)?$"
)
TAG_CHARS = re.compile(r"^[\w\s.:/=+@-]*$")

_NAME_HINT = "letters, digits and + = , . @ _ - (IAM name rules)"
_PATTERN_HINTS: dict[str, str] = {
    "name": f"may contain only {_NAME_HINT}",
    "role_name": f"may contain only {_NAME_HINT}",
    "user_name": f"may contain only {_NAME_HINT}",
    "account_id": "must be exactly 12 digits, quoted (\"012345678901\")",
    "regions": "is not an AWS Region code (like eu-west-1)",
    "guardrails": "must be a guardrail ARN without a version, like "
                  "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc123def456",
    "marketplace_product_id": "must be an AWS Marketplace product ID like prod-abc123",
    "permissions_boundary": "must be a managed policy ARN, like "
                            "arn:aws:iam::123456789012:policy/boundary",
    "env": "must be an environment variable name (letters, digits, _; not starting with a digit)",
    "external_id_secret_name": "may contain only letters, digits and _ . -",
}


# --------------------------------------------------------------------------------------------
# Pass 1: structure


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from bedrock_gen.resources import load_schema

    return Draft202012Validator(load_schema())


def structure(doc: Document) -> list[Diagnostic]:
    """Every JSON Schema error of the document, each as one located sentence.

    A valid document is recognised by ``schema_fast`` without importing jsonschema; jsonschema
    runs only to explain what is wrong.
    """
    from bedrock_gen import schema_fast
    from bedrock_gen.resources import load_schema

    if schema_fast.valid(load_schema(), doc.data):
        return []
    out: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        out.extend(_explain(doc, error))
    return out


def show(path: PathKey) -> str:
    """``models.ids[2]`` for a path; ``the top level`` for the root."""
    if not path:
        return "the top level"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _expected(types: Any) -> str:
    names = {"string": "a string", "integer": "an integer", "number": "a number",
             "boolean": "true or false", "array": "a list", "object": "a mapping",
             "null": "null"}
    seq = types if isinstance(types, list) else [types]
    return " or ".join(str(names.get(t, t)) for t in seq)


def _yaml_hint(doc: Document, path: PathKey, instance: Any) -> str:
    raw = doc.raw.get(path)
    if raw is None or isinstance(instance, str):
        return ""
    if isinstance(instance, bool):
        return f"; YAML read {raw} as a boolean: quote it (\"{raw}\")"
    if isinstance(instance, (int, float)):
        return f"; YAML read {raw} as a number: quote it (\"{raw}\")"
    if instance is None:
        return f"; YAML read {raw or 'an empty value'} as null"
    return ""


def _explain(doc: Document, error: Any) -> list[Diagnostic]:
    path: PathKey = tuple(error.absolute_path)
    kind = error.validator
    inst = error.instance
    name = show(path)

    def diag(code: str, message: str, at: PathKey = path, key: bool = False) -> Diagnostic:
        return doc.diagnostic(code, message, at, key=key)

    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        where = "the top level" if not path else f"'{name}'"
        return [
            diag("unknown-key", f"unknown key '{k}' in {where}{did_you_mean(str(k), allowed)}"
                 f" (allowed: {', '.join(allowed)})", (*path, k), key=True)
            for k in inst if k not in allowed
        ]
    if kind == "required":
        where = "the top level" if not path else f"'{name}'"
        return [diag("missing-key", f"{where} is missing the required key '{k}'")
                for k in error.validator_value if k not in inst]
    if kind == "type":
        if path == ("account_id",) and isinstance(inst, int) and not isinstance(inst, bool):
            raw = doc.raw.get(path, str(inst))
            if raw.lstrip("+").startswith("0"):
                why = (f"YAML read {raw} as the number {inst} and the leading zero is lost")
            else:
                why = f"YAML read {raw} as a number"
            return [diag("account-id-number", f"account_id must be a quoted string: {why}; "
                         f"write account_id: \"{raw}\"")]
        return [diag("wrong-type", f"'{name}' must be {_expected(error.validator_value)}, "
                     f"not {type_name(inst)}{_yaml_hint(doc, path, inst)}")]
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        hint = did_you_mean(str(inst), options) if isinstance(inst, str) else ""
        return [diag("invalid-value", f"'{name}' must be one of {', '.join(options)}, "
                     f"not {inst!r}{hint}{_yaml_hint(doc, path, inst)}")]
    if kind == "const":
        extra = " (without quotes)" if isinstance(inst, str) else ""
        return [diag("invalid-value",
                     f"'{name}' must be {error.validator_value!r}{extra}, not {inst!r}")]
    if kind == "pattern":
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        hint = _PATTERN_HINTS.get(field, f"must match {error.validator_value}")
        return [diag("invalid-value", f"'{name}' {hint}; got {inst!r}")]
    if kind == "uniqueItems":
        seen: set[str] = set()
        for i, item in enumerate(inst):
            marker = repr(item)
            if marker in seen:
                return [diag("duplicate-item", f"'{name}' lists {item!r} more than once",
                             (*path, i))]
            seen.add(marker)
    if kind == "minItems":
        return [diag("empty-list", f"'{name}' must list at least {error.validator_value} item"
                     f"{'s' if error.validator_value != 1 else ''}")]
    if kind == "minLength":
        return [diag("invalid-value", f"'{name}' must not be empty" if error.validator_value == 1
                     else f"'{name}' must be at least {error.validator_value} characters")]
    if kind == "maxLength":
        return [diag("invalid-value", f"'{name}' is {len(inst)} characters long; the limit is "
                     f"{error.validator_value}")]
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        return [diag("invalid-value", f"'{name}' must be {word} {error.validator_value}, "
                     f"not {inst}")]
    if kind == "maxProperties":
        return [diag("invalid-value", f"'{name}' has {len(inst)} entries; the limit is "
                     f"{error.validator_value}")]
    if kind == "propertyNames":
        return [diag("invalid-value", f"'{name}' has a key of invalid length: {inst!r} "
                     "(1 to 128 characters)")]
    if kind == "oneOf" and path[-1:] == ("external_id",):
        if isinstance(inst, dict):
            branch = error.schema["oneOf"][1]
            from jsonschema import Draft202012Validator

            sub = Draft202012Validator(branch)
            out: list[Diagnostic] = []
            for e in sub.iter_errors(inst):
                e.path.extendleft(reversed(path))
                out.extend(_explain(doc, e))
            return out
        return [diag("wrong-type", f"'{name}' must be a string or a mapping {{env: VAR_NAME}}, "
                     f"not {type_name(inst)}{_yaml_hint(doc, path, inst)}")]
    return [diag("schema", f"'{name}': {error.message}")]


# --------------------------------------------------------------------------------------------
# Pass 2: meaning


def _model_label(requested: str, model: Model) -> str:
    return requested if requested == model.id else f"{requested} ({model.id})"


def _lookalike(text: str) -> str | None:
    for i, ch in enumerate(text):
        if ord(ch) > 0x7E or ord(ch) < 0x21:
            uname = unicodedata.name(ch, "unnamed character")
            return f"U+{ord(ch):04X} {uname} at position {i + 1}"
    return None


class _Meaning:
    """Pass 2 over a structurally valid document. Collects diagnostics; builds the Config."""

    def __init__(self, doc: Document, catalog: Catalog, environ: Mapping[str, str] | None,
                 need_secrets: bool) -> None:
        self.doc = doc
        self.cat = catalog
        self.environ = environ
        self.need_secrets = need_secrets
        self.diags: list[Diagnostic] = []
        self.d: dict[str, Any] = doc.data

    def error(self, code: str, message: str, path: PathKey, key: bool = False) -> None:
        self.diags.append(self.doc.diagnostic(code, message, path, key=key))

    def warn(self, code: str, message: str, path: PathKey, key: bool = False) -> None:
        self.diags.append(self.doc.diagnostic(code, message, path, key=key, severity="warning"))

    # -- pieces ------------------------------------------------------------------------------

    def regions(self) -> tuple[str, ...] | None:
        regions = self.d.get("regions")
        if regions is None:
            return None
        for i, r in enumerate(regions):
            if r not in self.cat.regions:
                self.error("unknown-region", f"unknown AWS Region '{r}'"
                           f"{did_you_mean(r, self.cat.regions)}", ("regions", i))
        return tuple(regions)

    def partition(self, regions: Sequence[str] | None, geographies: Sequence[str]) -> str:
        seen: dict[str, PathKey] = {}
        for i, r in enumerate(regions or ()):
            if r in self.cat.regions:
                seen.setdefault(self.cat.regions[r], ("regions", i))
        for i, g in enumerate(geographies):
            seen.setdefault(self.cat.geographies[g].partition, ("models", "geographies", i))
        if len(seen) > 1:
            names = " and ".join(sorted(seen))
            self.error("mixed-partitions",
                       f"the config mixes AWS partitions ({names}); one IAM role or user lives in "
                       "one partition: render a config per partition",
                       sorted(seen.values())[-1])
        return sorted(seen)[0] if seen else "aws"

    def model_ids(self) -> list[tuple[Model, PathKey, str]]:
        models: dict[str, Any] = self.d["models"]
        chosen: list[tuple[Model, PathKey, str]] = []
        by_id: dict[str, PathKey] = {}
        for i, requested in enumerate(models.get("ids", [])):
            path: PathKey = ("models", "ids", i)
            model = self.cat.lookup(requested)
            if model is None:
                self.unknown_model(requested, path)
                continue
            if model.id in by_id:
                self.warn("duplicate-model", f"{_model_label(requested, model)} is already "
                          f"listed at line {self.doc.locate(by_id[model.id]).line}", path)
                continue
            by_id[model.id] = path
            chosen.append((model, path, requested))
        for j, custom in enumerate(models.get("custom", [])):
            path = ("models", "custom", j, "id")
            cid = custom["id"]
            bad = _lookalike(cid)
            if bad is not None:
                self.error("model-id-lookalike", f"custom model ID '{cid}' contains {bad}; "
                           "Bedrock model IDs are plain ASCII (a look-alike character would "
                           "grant a model that does not exist)", path)
                continue
            if not MODEL_ID.match(cid):
                self.error("invalid-model-id", f"'{cid}' is not a Bedrock model ID "
                           "(provider.model-name, lowercase, like anthropic.claude-opus-5-v1:0)",
                           path)
                continue
            if self.profile_prefix(cid, path):
                continue
            known = self.cat.lookup(cid)
            if known is not None:
                self.warn("custom-overrides-catalog",
                          f"'{cid}' is in the catalog; this custom entry replaces what the "
                          "catalog knows about it", path)
            if cid in by_id:
                self.error("duplicate-model", f"'{cid}' is listed under models.ids too", path)
                continue
            geos = tuple(custom.get("geographies", ()))
            model = self.cat.custom_model(cid, geos, bool(custom.get("in_region", False)),
                                          custom.get("marketplace_product_id"))
            by_id[cid] = path
            chosen = [c for c in chosen if c[0].id != cid]
            chosen.append((model, path, cid))
        return chosen

    def profile_prefix(self, requested: str, path: PathKey) -> bool:
        prefix, _, rest = requested.partition(".")
        if prefix in self.cat.geographies and "." in rest:
            base = self.cat.lookup(rest)
            shown = rest if base is None or not base.aliases else base.aliases[0]
            alias = f"'{shown}'"
            self.error("profile-id-as-model",
                       f"'{requested}' is an inference-profile ID; list the model {alias} and "
                       f"add '{prefix}' to models.geographies", path)
            return True
        return False

    def unknown_model(self, requested: str, path: PathKey) -> None:
        bad = _lookalike(requested)
        if bad is not None:
            self.error("model-id-lookalike", f"model '{requested}' contains {bad}; model IDs and "
                       "aliases are plain ASCII", path)
            return
        wrong = self.cat.wrong_ids.get(requested)
        if wrong is not None:
            model, why = wrong
            self.error("wrong-model-id", f"'{requested}' is not a Bedrock model ID; did you mean "
                       f"'{model.id}'? ({why})", path)
            return
        if self.profile_prefix(requested, path):
            return
        hint = did_you_mean(requested, self.cat.names(), 0.75).removeprefix("; ")
        self.error("unknown-model", f"unknown model '{requested}'"
                   f"{f' ({hint})' if hint else ''}; 'bedrock-gen models' lists the catalog, and "
                   "models.custom takes models it does not know yet", path)

    def coverage(self, chosen: list[tuple[Model, PathKey, str]], geos: tuple[str, ...],
                 regions: tuple[str, ...] | None, in_region: bool) -> None:
        """Every chosen model must end up reachable; say what is silently not granted."""
        for model, path, requested in chosen:
            label = _model_label(requested, model)
            offered = [g for g in geos if g in model.profiles]
            missing = [g for g in geos if g not in model.profiles]
            reachable = False
            for g in offered:
                profile = model.profiles[g]
                if regions is None or any(r in profile.sources for r in regions):
                    reachable = True
                else:
                    self.warn("profile-unreachable",
                              f"{label}: none of the regions can call its {g} profile (it is "
                              f"called from {', '.join(profile.sources)}); it gets no {g} grant",
                              path)
            if in_region:
                if not model.in_region:
                    self.warn("in-region-unsupported",
                              f"{label} cannot be called on demand in a Region, only through an "
                              "inference profile; models.in_region grants it nothing", path)
                elif (model.in_region_regions and regions is not None
                      and not set(model.in_region_regions) & set(regions)):
                    self.warn("in-region-unsupported",
                              f"{label} is offered in-Region only in "
                              f"{', '.join(model.in_region_regions)}; models.in_region grants it "
                              "nothing in these regions", path)
                else:
                    reachable = True
            offered_all = ", ".join(model.profiles) or "none"
            if missing and offered:
                self.warn("model-not-in-geography",
                          f"{label} is not offered in {', '.join(missing)} (its profiles: "
                          f"{offered_all}); it is granted in {', '.join(offered)} only", path)
            if not reachable:
                if not geos and not model.in_region:
                    self.diags = [x for x in self.diags if not (
                        x.code == "in-region-unsupported" and x.location == self.doc.locate(path))]
                    self.error("model-needs-profile",
                               f"{label} can only be called through an inference profile; add one "
                               f"of its geographies ({offered_all}) to models.geographies", path)
                elif not offered:
                    direct = (" or set models.in_region: true to call it directly"
                              if model.in_region and not in_region else "")
                    self.error("model-not-in-geography",
                               f"{label} is not offered in {', '.join(geos) or 'any geography'} "
                               f"(its profiles: {offered_all}); choose one of those "
                               f"geographies{direct}", path)
                else:
                    self.error("model-unreachable",
                               f"{label} cannot be called from any of the regions", path)

    def geography_sources(self, geos: tuple[str, ...], models: Sequence[Model],
                          regions: tuple[str, ...], in_region: bool, allow_all: bool) -> None:
        regions = tuple(r for r in regions if r in self.cat.regions)
        if not regions:
            return  # unknown Regions were reported already
        sources: dict[str, set[str]] = {}
        for g in geos:
            s = set(self.cat.geographies[g].sources)
            for m in models:
                if g in m.profiles:
                    s |= set(m.profiles[g].sources)
            sources[g] = s
        for i, g in enumerate(geos):
            if not any(r in sources[g] for r in regions if r in self.cat.regions):
                self.error("region-cannot-call-geography",
                           f"none of the regions ({', '.join(regions)}) can call {g} inference "
                           f"profiles; they are called from {', '.join(sorted(sources[g]))}",
                           ("models", "geographies", i))
        if in_region or (allow_all and not geos):
            return
        for i, r in enumerate(regions):
            if r in self.cat.regions and not any(r in s for s in sources.values()) and all(
                    any(x in sources[g] for x in regions) for g in geos):
                self.error("region-cannot-call-geography",
                           f"region '{r}' cannot call the profiles of any chosen geography "
                           f"({', '.join(geos) or 'none'}); remove it, add a geography it can call,"
                           " or set models.in_region: true", ("regions", i))

    def guardrails(self, partition: str, account: str | None,
                   regions: tuple[str, ...] | None) -> tuple[str, ...]:
        out = []
        for i, arn in enumerate(self.d.get("guardrails", [])):
            path: PathKey = ("guardrails", i)
            _, part, _, region, acct, _ = arn.split(":", 5)
            if part != partition:
                self.error("guardrail-partition", f"guardrail is in partition {part}, the config "
                           f"in {partition}", path)
            if region not in self.cat.regions:
                self.error("unknown-region", f"guardrail Region '{region}' is not an AWS Region"
                           f"{did_you_mean(region, self.cat.regions)}", path)
            if account is not None and acct != account:
                self.error("guardrail-account",
                           f"guardrail is in account {acct} but account_id is {account}; a "
                           "guardrail can only be used from its own account", path)
            if regions is not None and region not in regions:
                self.warn("guardrail-region", f"guardrail is in {region}, which is not one of the "
                          "regions the gateway calls", path)
            out.append(arn)
        return tuple(out)

    def principals(self, partition: str) -> tuple[str | None, tuple[str, ...]]:
        auth: dict[str, Any] = self.d["auth"]
        trusted = auth.get("trusted_principals") or []
        if trusted:
            for key in ("gateway", "gateway_regions"):
                if key in auth:
                    self.warn("ignored-key", f"auth.{key} is ignored: auth.trusted_principals "
                              "replaces the gateway preset", ("auth", key), key=True)
            opted_in = bool(auth.get("allow_custom_principals", False))
            before = len(self.diags)
            for i, p in enumerate(trusted):
                self.principal(p, ("auth", "trusted_principals", i), partition, opted_in)
            if not opted_in and not has_errors(self.diags[before:]):
                self.error("custom-principals", "auth.trusted_principals trusts principals "
                           "outside the gateway preset; confirm with auth.allow_custom_principals:"
                           " true", ("auth", "trusted_principals"), key=True)
            return None, tuple(sorted(trusted))
        gateway = self.cat.gateways[auth.get("gateway", "port")]
        which = auth.get("gateway_regions") or list(gateway.default_roles)
        if partition != "aws":
            self.error("gateway-partition",
                       f"{gateway.description} runs in the aws partition and cannot assume a role "
                       f"in {partition}", ("auth",))
        return gateway.id, tuple(sorted(gateway.roles[w] for w in which))

    def principal(self, arn: str, path: PathKey, partition: str, opted_in: bool) -> None:
        if arn.strip() == "*":
            self.error("principal-wildcard", "trusting '*' lets any AWS principal assume the "
                       "role; name the gateway's role ARNs", path)
            return
        if re.fullmatch(r"[0-9]{12}", arn):
            if not opted_in:
                self.error("principal-account-root",
                           f"trusting account {arn} trusts every principal in it; name the "
                           "gateway's role ARN (arn:aws:iam::ACCOUNT:role/NAME), or confirm "
                           "with auth.allow_custom_principals: true", path)
            return
        m = PRINCIPAL_ARN.match(arn)
        if m is None:
            self.error("invalid-principal", f"'{arn}' is not an IAM role or user ARN (like "
                       "arn:aws:iam::123456789012:role/gateway)", path)
            return
        if m["kind"] == "root":
            if not opted_in:
                self.error("principal-account-root",
                           f"'{arn}' trusts every principal in account {m['account']}; name the "
                           "gateway's role ARN instead, or confirm with "
                           "auth.allow_custom_principals: true", path)
        elif not m["rest"]:
            self.error("invalid-principal", f"'{arn}' names no {m['kind']}", path)
        elif "*" in arn:
            self.error("principal-wildcard", f"'{arn}' has a wildcard", path)
        if m["partition"] != partition:
            self.error("principal-partition", f"'{arn}' is in partition {m['partition']}, the "
                       f"role in {partition}", path)

    def external_id(self) -> ExternalIdSpec | None:
        raw = self.d["auth"].get("external_id")
        if raw is None:
            return None
        path: PathKey = ("auth", "external_id")
        if isinstance(raw, dict):
            spec = ExternalIdSpec(env=raw["env"], path=(*path, "env"))
            what = f"environment variable {spec.env} (auth.external_id)"
        else:
            spec = ExternalIdSpec(literal=raw, path=path)
            what = "auth.external_id"
        value = spec.value(self.environ)
        if value is None:
            message = f"{what} is not set"
            if self.need_secrets:
                self.error("external-id-unset", message + "; render needs it", spec.path)
            else:
                self.warn("external-id-unset", message + "; render will need it", spec.path)
            return spec
        problem = external_id_problem(value)
        if problem is not None:
            self.error("external-id", f"{what} {problem}", spec.path)
        return spec

    def terraform(self, partition: str) -> TerraformSettings:
        tf: dict[str, Any] = self.d.get("terraform", {})
        tags = dict(tf.get("tags", {}))
        for k, v in tags.items():
            kpath: PathKey = ("terraform", "tags", k)
            if k.lower().startswith("aws:"):
                self.error("invalid-tag", f"tag key '{k}' uses the reserved prefix 'aws:'", kpath,
                           key=True)
            for text, what in ((k, "key"), (v, "value")):
                if not TAG_CHARS.match(text) or _lookalike_tag(text):
                    self.error("invalid-tag", f"tag {what} {text!r} may contain only letters, "
                               "digits, spaces and _ . : / = + - @", kpath, key=what == "key")
        path = tf.get("path", "/")
        if not (path.startswith("/") and path.endswith("/")) or any(
                not 0x21 <= ord(c) <= 0x7E for c in path):
            self.error("invalid-path", f"terraform.path must begin and end with '/' and contain "
                       f"only printable ASCII without spaces; got {path!r}", ("terraform", "path"))
        boundary = tf.get("permissions_boundary")
        if boundary is not None and boundary.split(":")[1] != partition:
            self.error("invalid-value", "terraform.permissions_boundary is in another partition",
                       ("terraform", "permissions_boundary"))
        return TerraformSettings(
            format=tf.get("format", "hcl"), tags=tags, permissions_boundary=boundary, path=path,
            create_access_key=bool(tf.get("create_access_key", False)),
        )

    # -- the whole ------------------------------------------------------------------------------

    def run(self) -> Config | None:
        d = self.d
        name: str = d["name"]
        regions = self.regions()
        models: dict[str, Any] = d["models"]
        allow = models.get("allow", "selected")
        geos = tuple(models.get("geographies", ()))
        in_region = bool(models.get("in_region", False))
        partition = self.partition(regions, geos)
        account = d.get("account_id")

        chosen = self.model_ids()
        if allow == "all":
            for key in ("ids", "custom"):
                if models.get(key):
                    self.warn("ignored-key", f"models.{key} is ignored with allow: all",
                              ("models", key), key=True)
            chosen = []
        elif not models.get("ids") and not models.get("custom"):
            self.error("no-models", "no models selected: list catalog aliases or model IDs under "
                       "models.ids ('bedrock-gen models' lists them), or set models.allow: all",
                       ("models",))
        if not geos and not in_region and (allow == "selected"):
            self.error("no-geographies", "models.geographies is empty: choose the inference-"
                       "profile geographies the gateway calls (for example [eu]), or set "
                       "models.in_region: true for direct calls", ("models",))
        else:
            before = len(self.diags)
            if regions is not None and (geos or allow == "all"):
                self.geography_sources(geos, [m for m, _, _ in chosen], regions, in_region,
                                       allow == "all")
            region_errors = has_errors(self.diags[before:]) or any(
                d.code == "unknown-region" for d in self.diags)
            if allow == "selected" and not region_errors:
                self.coverage(chosen, geos, regions, in_region)
        guardrails = self.guardrails(partition, account, regions)
        subscribe = bool(d.get("marketplace", {}).get("subscribe", False))
        if subscribe and allow == "selected" and chosen and not any(
                m.marketplace for m, _, _ in chosen):
            self.warn("marketplace-unneeded", "marketplace.subscribe is set but no selected model "
                      "is sold through AWS Marketplace; nothing is granted for it",
                      ("marketplace", "subscribe"), key=True)

        auth: dict[str, Any] = d["auth"]
        mode = auth["mode"]
        tf = self.terraform(partition)
        gateway: str | None = None
        principals: tuple[str, ...] = ()
        spec: ExternalIdSpec | None = None
        if mode == "access_keys":
            for key in ("role_name", "gateway", "gateway_regions", "trusted_principals",
                        "allow_custom_principals", "external_id", "external_id_secret_name",
                        "max_session_duration"):
                if key in auth:
                    self.error("auth-contradiction", f"auth.{key} is for mode: assume_role; an "
                               "IAM user (mode: access_keys) is not assumed", ("auth", key),
                               key=True)
        else:
            if "user_name" in auth:
                self.error("auth-contradiction", "auth.user_name is for mode: access_keys; "
                           "mode: assume_role creates a role (auth.role_name)",
                           ("auth", "user_name"), key=True)
            if tf.create_access_key:
                self.error("auth-contradiction", "terraform.create_access_key is for mode: "
                           "access_keys", ("terraform", "create_access_key"), key=True)
            gateway, principals = self.principals(partition)
            spec = self.external_id()
            if spec is None:
                self.warn("external-id-missing",
                          "no auth.external_id: the trust policy then checks only the gateway's "
                          "role; Port recommends an external ID (store it as a Port secret)",
                          ("auth",))
            if gateway == "port" and tf.path != "/" and not has_errors(
                    d for d in self.diags if d.code == "invalid-path"):
                self.warn("port-role-path",
                          f"Port cannot register a role with the IAM path {tf.path!r} (its "
                          "roleArn pattern allows no path); use path: /", ("terraform", "path"))
        role_name = auth.get("role_name", name)
        user_name = auth.get("user_name", name)
        self.names(name, role_name if mode == "assume_role" else user_name)
        limits = d.get("limits", {})
        per_entity = "managed_policies_per_role" if mode == "assume_role" else \
            "managed_policies_per_user"
        managed_limit = limits.get("managed_policies_per_entity", self.cat.limits[per_entity])
        lint_ignore = self.lint_ignore()
        if has_errors(self.diags):
            return None
        return Config(
            file=self.doc.file,
            name=name,
            partition=partition,
            account_id=account,
            regions=tuple(sorted(regions)) if regions is not None else None,
            allow=allow,
            models=tuple(sorted((m for m, _, _ in chosen), key=lambda m: m.id)),
            geographies=tuple(sorted(geos)),
            in_region=in_region,
            guardrails=tuple(sorted(guardrails)),
            marketplace_subscribe=subscribe,
            auth=Auth(
                mode=mode, role_name=role_name, user_name=user_name, gateway=gateway,
                principals=principals, external_id=spec,
                external_id_secret_name=auth.get("external_id_secret_name",
                                                 DEFAULT_EXTERNAL_ID_SECRET),
                max_session_duration=auth.get("max_session_duration"),
            ),
            terraform=tf,
            managed_policy_limit=managed_limit,
            trust_policy_limit=limits.get("trust_policy_size",
                                          self.cat.limits["trust_policy_size"]),
            output_dir=d.get("output_dir", "generated"),
            lint_ignore=lint_ignore,
        )

    def lint_ignore(self) -> tuple[str, ...]:
        from bedrock_gen.lint import RULES

        codes = self.d.get("lint", {}).get("ignore", [])
        for i, code in enumerate(codes):
            if code not in RULES:
                self.error("unknown-lint-code", f"unknown lint code '{code}'"
                           f"{did_you_mean(code, RULES)}; 'bedrock-gen lint --list-rules' lists "
                           "them", ("lint", "ignore", i))
        return tuple(codes)

    def names(self, name: str, entity: str) -> None:
        """IAM names bedrock-gen derives, counted with the suffixes it adds."""
        most = self.cat.limits["managed_policies_per_role_max"]
        longest_policy = f"{name}{INVOKE_POLICY_SUFFIX}-{most}"
        limit = self.cat.limits["policy_name_length"]
        if len(longest_policy) > limit:
            self.error("iam-name-length",
                       f"policy names derived from name ('{name}{INVOKE_POLICY_SUFFIX}-N') would "
                       f"be {len(longest_policy)} characters; IAM allows {limit}", ("name",))
        if len(entity) > self.cat.limits["role_name_length"]:
            self.error("iam-name-length", f"'{entity}' is {len(entity)} characters; IAM role and "
                       f"user names allow {self.cat.limits['role_name_length']}", ("name",))


def _lookalike_tag(text: str) -> bool:
    # IAM allows Unicode letters in tags, but not invisible or control characters.
    return any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp") for c in text)


def external_id_problem(value: str) -> str | None:
    """Why STS would reject (or silently mismatch) this external ID, or ``None``."""
    if value != value.rstrip():
        tail = value[len(value.rstrip()):]
        what = "a newline" if "\n" in tail or "\r" in tail else "white space"
        return (f"ends with {what}; STS compares the external ID character for character and "
                "Port's docs warn the assume-role then fails silently: remove it")
    if value != value.lstrip():
        return "starts with white space; remove it (STS allows none)"
    if not 2 <= len(value) <= 1224:
        return f"must be 2 to 1224 characters long, not {len(value)}"
    if not EXTERNAL_ID_CHARS.match(value):
        for i, ch in enumerate(value):
            if not EXTERNAL_ID_CHARS.match(ch):
                return (f"contains a character STS does not allow (U+{ord(ch):04X} at position "
                        f"{i + 1}); allowed: letters, digits and + = , . @ : / _ -")
    return None


def meaning(doc: Document, catalog: Catalog, environ: Mapping[str, str] | None = None,
            need_secrets: bool = False) -> tuple[Config | None, list[Diagnostic]]:
    m = _Meaning(doc, catalog, environ, need_secrets)
    config = m.run()
    return config, m.diags


def validate(doc: Document, catalog: Catalog, environ: Mapping[str, str] | None = None,
             need_secrets: bool = False) -> tuple[Config | None, list[Diagnostic]]:
    """Both passes; the config is ``None`` when any error was found."""
    diagnostics = structure(doc)
    if has_errors(diagnostics):
        return None, diagnostics
    return meaning(doc, catalog, environ, need_secrets)
