"""Saved outputs of Amazon Bedrock's control-plane API, read into plain facts.

Accepted (as the AWS CLI and boto3 print them, one per file or several in a JSON list):
``list-inference-profiles`` (``inferenceProfileSummaries``), ``get-inference-profile`` (one
profile object), ``list-foundation-models`` (``modelSummaries``) and ``get-foundation-model``
(``modelDetails``). Shapes: the API reference pages ListInferenceProfiles, GetInferenceProfile,
ListFoundationModels, GetFoundationModel.

- The source Region of a profile is the Region of its own ARN; its destinations are the Regions
  of ``models[].modelArn``. A Region-less model ARN (``arn:aws:bedrock:::foundation-model/ID``)
  marks a global profile. The caller's account ID in the ARN is read and dropped here.
- Enum values are not restricted: AWS returns ``INFERENCE_PROFILE`` in
  ``inferenceTypesSupported``, which botocore's model does not list.
- Application inference profiles belong to one account and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from bedrock_gen.diagnostics import Location, error
from bedrock_gen.errors import ConfigError
from bedrock_gen.iam import arn as arns
from bedrock_gen.load.document import Document, PathKey, show, type_name

EXPECTED = ("an output of 'aws bedrock list-inference-profiles', 'get-inference-profile', "
            "'list-foundation-models' or 'get-foundation-model' (JSON)")


class ProfileFact(NamedTuple):
    """One system-defined profile as seen from one source Region."""

    profile_id: str  # GEO.MODEL
    geography: str
    model_id: str
    source: str
    partition: str
    destinations: tuple[str, ...]  # empty for a global profile
    is_global: bool


class ModelFact(NamedTuple):
    """One foundation model as listed in one Region."""

    model_id: str
    region: str
    partition: str
    name: str | None
    provider: str | None
    on_demand: bool
    status: str | None


class Listing(NamedTuple):
    """A complete (or, with a nextToken, partial) listing of one kind in one Region."""

    kind: str  # "inference_profiles" | "foundation_models"
    region: str
    complete: bool


class Facts(NamedTuple):
    profiles: list[ProfileFact]
    models: list[ModelFact]
    listings: list[Listing]
    skipped: list[str]  # what was read and deliberately left out, for the summary
    kinds: list[str]


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.facts = Facts([], [], [], [], [])

    def fail(self, path: PathKey, message: str) -> ConfigError:
        loc: Location = self.doc.locate(path)
        return ConfigError([error("catalog-input", message, self.doc.file, loc)])

    def get(self, obj: dict[str, Any], key: str, path: PathKey, kind: type | tuple[type, ...],
            required: bool = True) -> Any:
        if key not in obj:
            if required:
                raise self.fail(path, f"'{show(path) if path else 'the object'}' has no "
                                f"'{key}'; expected {EXPECTED}")
            return None
        value = obj[key]
        if not isinstance(value, kind):
            names = kind if isinstance(kind, tuple) else (kind,)
            want = " or ".join({"str": "a string", "list": "a list", "dict": "an object",
                                "bool": "true or false"}.get(k.__name__, k.__name__)
                               for k in names)
            raise self.fail((*path, key), f"'{show((*path, key))}' must be {want}, not "
                            f"{type_name(value)}")
        return value

    def arn(self, text: str, path: PathKey) -> arns.Arn:
        parsed = arns.parse(text)
        if parsed is None or parsed.service != "bedrock" or arns.has_wildcard(text):
            raise self.fail(path, f"'{text}' is not an Amazon Bedrock ARN")
        return parsed

    # -- shapes ---------------------------------------------------------------------------------

    def read(self) -> Facts:
        data = self.doc.data
        items: list[tuple[PathKey, Any]] = (
            [((i,), x) for i, x in enumerate(data)] if isinstance(data, list) else [((), data)])
        if not items:
            raise self.fail((), f"the file holds an empty list; expected {EXPECTED}")
        for path, item in items:
            self.one(item, path)
        return self.facts

    def one(self, item: Any, path: PathKey) -> None:
        if not isinstance(item, dict):
            raise self.fail(path, f"expected {EXPECTED}, not {type_name(item)}")
        if "inferenceProfileSummaries" in item:
            self.facts.kinds.append("list-inference-profiles")
            summaries = self.get(item, "inferenceProfileSummaries", path, list)
            regions = set()
            for i, s in enumerate(summaries):
                fact = self.profile(s, (*path, "inferenceProfileSummaries", i))
                if fact is not None:
                    regions.add(fact.source)
            complete = not item.get("nextToken")
            if not complete:
                self.facts.skipped.append("a listing with a nextToken (not the last page: "
                                          "absences in it are not taken as facts)")
            for region in sorted(regions):
                self.facts.listings.append(Listing("inference_profiles", region, complete))
        elif "inferenceProfileArn" in item:
            self.facts.kinds.append("get-inference-profile")
            self.profile(item, path)
        elif "modelSummaries" in item:
            self.facts.kinds.append("list-foundation-models")
            summaries = self.get(item, "modelSummaries", path, list)
            regions = set()
            for i, s in enumerate(summaries):
                regions.add(self.model(s, (*path, "modelSummaries", i)).region)
            for region in sorted(regions):
                self.facts.listings.append(Listing("foundation_models", region, True))
        elif "modelDetails" in item:
            self.facts.kinds.append("get-foundation-model")
            self.model(self.get(item, "modelDetails", path, dict), (*path, "modelDetails"))
        else:
            keys = ", ".join(sorted(str(k) for k in item)[:6]) or "none"
            raise self.fail(path, f"expected {EXPECTED}; this object's keys are {keys}")

    def profile(self, s: Any, path: PathKey) -> ProfileFact | None:
        if not isinstance(s, dict):
            raise self.fail(path, f"an inference profile must be an object, not {type_name(s)}")
        arn_text = self.get(s, "inferenceProfileArn", path, str)
        parsed = self.arn(arn_text, (*path, "inferenceProfileArn"))
        kind = str(self.get(s, "type", path, str, required=False) or "SYSTEM_DEFINED")
        if parsed.kind == "application-inference-profile" or kind == "APPLICATION":
            self.facts.skipped.append("an application inference profile (account-specific)")
            return None
        if parsed.kind != "inference-profile":
            raise self.fail((*path, "inferenceProfileArn"), f"'{arn_text}' is not an "
                            "inference-profile ARN")
        profile_id = self.get(s, "inferenceProfileId", path, str, required=False) or parsed.ident
        geography, dot, model_id = profile_id.partition(".")
        if not dot or not model_id:
            raise self.fail((*path, "inferenceProfileId"), f"'{profile_id}' is not a "
                            "system-defined profile ID (GEOGRAPHY.MODEL)")
        models = self.get(s, "models", path, list)
        destinations: set[str] = set()
        is_global = False
        for j, m in enumerate(models):
            mpath = (*path, "models", j)
            if not isinstance(m, dict):
                raise self.fail(mpath, "each of 'models' must be an object with a 'modelArn'")
            marn = self.arn(self.get(m, "modelArn", mpath, str), (*mpath, "modelArn"))
            if marn.kind != "foundation-model":
                raise self.fail((*mpath, "modelArn"), "a profile routes to foundation-model ARNs")
            if marn.region == "":
                is_global = True
            else:
                destinations.add(marn.region)
        if not parsed.region:
            raise self.fail((*path, "inferenceProfileArn"), "the profile ARN names no Region")
        fact = ProfileFact(profile_id, geography, model_id, parsed.region, parsed.partition,
                           () if is_global else tuple(sorted(destinations)), is_global)
        status = s.get("status")
        if status not in (None, "ACTIVE"):
            self.facts.skipped.append(f"a profile with status {status}")
            return None
        self.facts.profiles.append(fact)
        return fact

    def model(self, s: Any, path: PathKey) -> ModelFact:
        if not isinstance(s, dict):
            raise self.fail(path, f"a model summary must be an object, not {type_name(s)}")
        arn_text = self.get(s, "modelArn", path, str)
        parsed = self.arn(arn_text, (*path, "modelArn"))
        model_id = self.get(s, "modelId", path, str)
        types = self.get(s, "inferenceTypesSupported", path, list, required=False) or []
        lifecycle = self.get(s, "modelLifecycle", path, dict, required=False) or {}
        fact = ModelFact(model_id, parsed.region, parsed.partition, s.get("modelName"),
                         s.get("providerName"), "ON_DEMAND" in types,
                         lifecycle.get("status") if isinstance(lifecycle, dict) else None)
        self.facts.models.append(fact)
        return fact


def read(doc: Document) -> Facts:
    """The facts in one loaded file; ``ConfigError`` (located) when it is not an API output."""
    return _Reader(doc).read()


def iter_files(paths: list[str]) -> Iterator[tuple[str, bytes, Document]]:
    from bedrock_gen.load.files import decode, read_limited
    from bedrock_gen.load.json_source import loads

    for path in paths:
        data = read_limited(path, path, "an AWS API output", 64 * 1024 * 1024)
        yield path, data, loads(decode(data, path), path)
