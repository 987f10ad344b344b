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
- Application inference profiles belong to one account and are skipped; so are foundation-model
  entries that only support ``PROVISIONED`` throughput (the ``:28k``/``:300k`` context-length
  variants): neither can be called on demand, and bedrock-gen grants only on-demand calls.
- A listing with a ``nextToken`` (the API's) or ``NextToken`` (the AWS CLI's, with
  ``--max-items``) is one page: what it lacks is not evidence that it does not exist.

Files are read through ``load.json_source`` (its limits on depth, number length, lone
surrogates and duplicate keys hold here) with the standard library's C parser (a 30-Region dump
is megabytes); only when a file turns out to be wrong is it parsed again with the locating
parser, so that the error names its line and column. Text fields that reach the overlay and the
summary (names, providers, statuses) must be strings; they are printed through
``printable.shown``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bedrock_gen.catalog.ids import GEOGRAPHY, MODEL_ID, PARTITION, REGION
from bedrock_gen.diagnostics import Diagnostic, Location, error
from bedrock_gen.errors import ConfigError
from bedrock_gen.iam import arn as arns
from bedrock_gen.load.document import Document, PathKey, show, type_name

EXPECTED = (
    "an output of 'aws bedrock list-inference-profiles', 'get-inference-profile', "
    "'list-foundation-models' or 'get-foundation-model' (JSON)"
)
MAX_BYTES = 64 * 1024 * 1024
PROFILE_ARN = "arn:PARTITION:bedrock:REGION:ACCOUNT:inference-profile/GEOGRAPHY.MODEL"
MODEL_ARN = "arn:PARTITION:bedrock:REGION::foundation-model/MODEL"


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
    partial: list[str]  # Regions of listings that were one page of several
    regions: dict[str, PathKey]  # every Region named, and where it first appears


def region_partition(region: str) -> str:
    """The partition a Region's name puts it in (AWS's naming: us-gov-*, cn-*, us-iso-*...)."""
    for prefix, partition in (
        ("us-gov-", "aws-us-gov"),
        ("cn-", "aws-cn"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
    ):
        if region.startswith(prefix):
            return partition
    return "aws"


class _Reader:
    def __init__(self, doc: Document, region: str | None) -> None:
        self.doc = doc
        self.region = region  # the Region the outputs were asked in, when known (fetch)
        self.facts = Facts([], [], [], [], [], [], {})

    def fail(self, path: PathKey, message: str) -> ConfigError:
        loc: Location = self.doc.locate(path)
        return ConfigError([error("catalog-input", message, self.doc.file, loc)])

    def get(
        self,
        obj: dict[str, Any],
        key: str,
        path: PathKey,
        kind: type | tuple[type, ...],
        required: bool = True,
    ) -> Any:
        if key not in obj or (obj[key] is None and not required):
            if required:
                raise self.fail(
                    path,
                    f"'{show(path) if path else 'the object'}' has no '{key}'; expected {EXPECTED}",
                )
            return None
        value = obj[key]
        if not isinstance(value, kind):
            names = kind if isinstance(kind, tuple) else (kind,)
            want = " or ".join(
                {
                    "str": "a string",
                    "list": "a list",
                    "dict": "an object",
                    "bool": "true or false",
                }.get(k.__name__, k.__name__)
                for k in names
            )
            raise self.fail(
                (*path, key), f"'{show((*path, key))}' must be {want}, not {type_name(value)}"
            )
        return value

    def arn(self, text: str, path: PathKey, expected: str) -> arns.Arn:
        """A Bedrock ARN with plain names in it: its Region, partition and ID end up in
        policies, so nothing that IAM would read as a pattern may pass."""
        parsed = arns.parse(text)
        if (
            parsed is None
            or parsed.service != "bedrock"
            or arns.has_wildcard(text)
            or not PARTITION.match(parsed.partition)
            or (parsed.region and not REGION.match(parsed.region))
            or not MODEL_ID.match(parsed.ident)
        ):
            raise self.fail(path, f"'{text}' is not an Amazon Bedrock ARN; expected {expected}")
        if parsed.region:
            if region_partition(parsed.region) != parsed.partition:
                raise self.fail(
                    path,
                    f"'{text}' puts Region {parsed.region} in partition {parsed.partition}; "
                    f"{parsed.region} is in {region_partition(parsed.region)}",
                )
            self.facts.regions.setdefault(parsed.region, path)
        return parsed

    # -- shapes ---------------------------------------------------------------------------------

    def read(self) -> Facts:
        data = self.doc.data
        items: list[tuple[PathKey, Any]] = (
            [((i,), x) for i, x in enumerate(data)] if isinstance(data, list) else [((), data)]
        )
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
            regions = {self.region} if self.region else set()
            for i, s in enumerate(summaries):
                source = self.profile(s, (*path, "inferenceProfileSummaries", i))
                if source is not None:
                    regions.add(source)
            complete = not (item.get("nextToken") or item.get("NextToken"))
            if not complete:
                self.facts.partial.extend(sorted(regions))
            for region in sorted(regions):
                self.facts.listings.append(Listing("inference_profiles", region, complete))
        elif "inferenceProfileArn" in item:
            self.facts.kinds.append("get-inference-profile")
            self.profile(item, path)
        elif "modelSummaries" in item:
            self.facts.kinds.append("list-foundation-models")
            summaries = self.get(item, "modelSummaries", path, list)
            regions = {self.region} if self.region else set()
            for i, s in enumerate(summaries):
                regions.add(self.model(s, (*path, "modelSummaries", i)))
            for region in sorted(regions):
                self.facts.listings.append(Listing("foundation_models", region, True))
        elif "modelDetails" in item:
            self.facts.kinds.append("get-foundation-model")
            self.model(self.get(item, "modelDetails", path, dict), (*path, "modelDetails"))
        else:
            keys = ", ".join(sorted(str(k) for k in item)[:6]) or "none"
            raise self.fail(path, f"expected {EXPECTED}; this object's keys are {keys}")

    def profile(self, s: Any, path: PathKey) -> str | None:
        """Record one profile; its source Region when it is system-defined (listed or not)."""
        if not isinstance(s, dict):
            raise self.fail(path, f"an inference profile must be an object, not {type_name(s)}")
        arn_text = self.get(s, "inferenceProfileArn", path, str)
        apath = (*path, "inferenceProfileArn")
        parsed = self.arn(arn_text, apath, PROFILE_ARN)
        kind = self.get(s, "type", path, str, required=False) or "SYSTEM_DEFINED"
        if parsed.kind == "application-inference-profile" or kind == "APPLICATION":
            self.facts.skipped.append("an application inference profile (account-specific)")
            return None
        if parsed.kind != "inference-profile":
            raise self.fail(
                apath, f"'{arn_text}' is not an inference-profile ARN; expected {PROFILE_ARN}"
            )
        if not parsed.region:
            raise self.fail(apath, f"'{arn_text}' names no Region; expected {PROFILE_ARN}")
        profile_id = self.get(s, "inferenceProfileId", path, str, required=False) or parsed.ident
        if profile_id != parsed.ident:
            raise self.fail(
                (*path, "inferenceProfileId"),
                f"'{profile_id}' is not the ID in its ARN ('{parsed.ident}')",
            )
        geography, dot, model_id = profile_id.partition(".")
        if not dot or not MODEL_ID.match(model_id) or not GEOGRAPHY.match(geography):
            raise self.fail(
                (*path, "inferenceProfileId"),
                f"'{profile_id}' is not a "
                "system-defined profile ID (GEOGRAPHY.MODEL, like "
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0)",
            )
        models = self.get(s, "models", path, list)
        if not models:
            raise self.fail(
                (*path, "models"),
                f"a profile routes to at least one foundation model ({MODEL_ARN})",
            )
        destinations: set[str] = set()
        is_global = False
        for j, m in enumerate(models):
            mpath = (*path, "models", j)
            if not isinstance(m, dict):
                raise self.fail(
                    mpath,
                    f"each of 'models' must be an object with a 'modelArn' "
                    f"({MODEL_ARN}), not {type_name(m)}",
                )
            marn = self.arn(self.get(m, "modelArn", mpath, str), (*mpath, "modelArn"), MODEL_ARN)
            if marn.kind != "foundation-model":
                raise self.fail(
                    (*mpath, "modelArn"), f"a profile routes to foundation-model ARNs ({MODEL_ARN})"
                )
            if marn.partition != parsed.partition:
                raise self.fail(
                    (*mpath, "modelArn"),
                    f"profile {profile_id} is in partition {parsed.partition} but routes to "
                    f"'{marn.partition}' ({marn.region or 'Region-less'}): a route cannot cross "
                    "partitions",
                )
            if marn.region == "":
                is_global = True
            else:
                destinations.add(marn.region)
        status = self.get(s, "status", path, str, required=False)
        if status not in (None, "ACTIVE"):
            self.facts.skipped.append(f"a profile with status {status}")
            return parsed.region
        self.facts.profiles.append(
            ProfileFact(
                profile_id,
                geography,
                model_id,
                parsed.region,
                parsed.partition,
                () if is_global else tuple(sorted(destinations)),
                is_global,
            )
        )
        return parsed.region

    def model(self, s: Any, path: PathKey) -> str:
        """Record one foundation model; its Region."""
        if not isinstance(s, dict):
            raise self.fail(path, f"a model summary must be an object, not {type_name(s)}")
        arn_text = self.get(s, "modelArn", path, str)
        parsed = self.arn(arn_text, (*path, "modelArn"), MODEL_ARN)
        if parsed.kind != "foundation-model" or not parsed.region:
            raise self.fail(
                (*path, "modelArn"),
                f"'{arn_text}' is not a foundation-model ARN in a Region; expected {MODEL_ARN}",
            )
        model_id = self.get(s, "modelId", path, str)
        if not MODEL_ID.match(model_id) or arns.has_wildcard(model_id):
            raise self.fail(
                (*path, "modelId"),
                f"'{model_id}' is not a foundation-model ID "
                "(like anthropic.claude-sonnet-4-5-20250929-v1:0)",
            )
        types = self.get(s, "inferenceTypesSupported", path, list, required=False) or []
        lifecycle = self.get(s, "modelLifecycle", path, dict, required=False) or {}
        name = self.get(s, "modelName", path, str, required=False)
        provider = self.get(s, "providerName", path, str, required=False)
        status = self.get(lifecycle, "status", (*path, "modelLifecycle"), str, required=False)
        if types and all(t == "PROVISIONED" for t in types):
            self.facts.skipped.append("a provisioned-throughput-only model entry")
            return parsed.region
        self.facts.models.append(
            ModelFact(
                model_id,
                parsed.region,
                parsed.partition,
                name,
                provider,
                "ON_DEMAND" in types,
                status if isinstance(status, str) else None,
            )
        )
        return parsed.region


def _with_hint(exc: ConfigError) -> ConfigError:
    """A JSON syntax error, saying also what the file should have been (a duplicate key is
    refused as the loader says: which of the two AWS meant is unknown)."""
    return ConfigError(
        [
            Diagnostic(
                d.severity,
                d.code,
                d.message
                if "duplicate key" in d.message
                else f"{d.message} (the file should be {EXPECTED})",
                d.file,
                d.location,
            )
            for d in exc.diagnostics
        ]
    )


def _located(text: str, name: str) -> Document:
    from bedrock_gen.load.json_source import loads

    try:
        return loads(text, name)
    except ConfigError as exc:
        raise _with_hint(exc) from None


def read_text(text: str, name: str, region: str | None = None) -> Facts:
    """The facts in one file's text; ``ConfigError`` (located) when it is not an API output.

    ``region``: the Region the outputs were asked in, when known (``catalog fetch``), so that
    an empty listing still says "nothing here".
    """
    from bedrock_gen.load.json_source import parse

    text = text.removeprefix("\ufeff")
    try:
        doc = Document(name, parse(text, name))
    except ConfigError as exc:
        raise _with_hint(exc) from None
    try:
        return _Reader(doc, region).read()
    except ConfigError:
        if doc.values:
            raise
    return _Reader(_located(text, name), region).read()  # raises it again, located


def read(doc: Document, region: str | None = None) -> Facts:
    """The facts in one loaded document; ``ConfigError`` (located) when it is not an API
    output."""
    return _Reader(doc, region).read()


def locate(data: bytes, name: str, path: PathKey) -> Location | None:
    """Where ``path`` is in a file already read (the locating parser runs only for this)."""
    from bedrock_gen.load.files import decode

    try:
        return _located(decode(data, name).removeprefix("\ufeff"), name).locate(path)
    except ConfigError:
        return None


def read_file(path: str) -> tuple[bytes, Facts]:
    """One saved output file: its bytes (for the overlay's record of inputs) and its facts."""
    from bedrock_gen.load.files import decode, read_limited

    data = read_limited(path, path, "an AWS API output", MAX_BYTES)
    return data, read_text(decode(data, path), path)
