"""The statements of Bedrock's other surfaces, each an optional group placed like a model's
grants (``resolve.optional_pieces``), and the batch service role's own documents.

Facts, with the AWS page each comes from (stored copies; the report of issue 22 lists them):

- **Application inference profiles.** Invoking one is authorized on the profile
  (``application-inference-profile/ID``, in its Region) and, like a system-defined profile, on
  the foundation model in every Region the call may be served in, with
  ``bedrock:InferenceProfileArn`` set to the profile called (user guide,
  inference-profiles-prereq: "When you specify an inference profile in the Resource field ...
  you must also specify the foundation model in each Region associated with it"; the condition
  key "Filters access by the specified inference profile", SAR). The profile's ID is assigned at
  creation, so the policy names ``application-inference-profile/*`` in the Region and only the
  profiles carrying bedrock-gen's tag: the resource type's condition key is
  ``aws:ResourceTag/${TagKey}`` (SAR), evaluated for InvokeModel, InvokeModelWithResponseStream
  and GetInferenceProfile. The foundation models are allowed only through application profiles
  of that Region and account (``ArnLike`` on the pattern).
  *Left open by AWS's pages:* whether a call through an application profile that copies a
  system-defined profile is also authorized on that system profile. No page says it is; a role
  allowed no system profile calls application profiles (anthropics/claude-code issue 6191,
  where only the client's own direct calls of the system profile failed). So the narrower
  grant: the system profile is not allowed (list the model with that geography under
  ``models`` to allow it), and ``explain`` says so.
- **OpenAI Chat Completions on bedrock-runtime** is authorized as bedrock:InvokeModel* on the
  inference target (user guide, "Making inference requests": the bedrock-runtime endpoint's
  policy covers "Converse, Invoke, Chat Completions, and Responses APIs"): the model grants.
- **OpenAI Responses on bedrock-runtime** (user guide, "Responses API", section "Using the
  Responses API on the bedrock-runtime endpoint"; stored copy, index id 58517007509): "Creating
  a response authorizes two resources: bedrock:InvokeModel (or
  bedrock:InvokeModelWithResponseStream) on the inference target ... and bedrock:InvokeModel on
  your account's default project. Retrieving, canceling, and deleting a stored response
  authorize bedrock:GetInvoke, bedrock:CancelInvoke, and bedrock:DeleteInvoke respectively,
  each on the project"; "the project authorization carries bedrock:ModelArn, valued at the
  inference profile or foundation model your request named"; "Only the default project is
  supported"; "Application inference profiles aren't supported"; "Guardrails don't apply".
  The SAR's ``project`` type:
  ``arn:${Partition}:bedrock:${Region}:${Account}:project/${ResourceId}``.
- **bedrock-mantle** "authorizes bedrock-mantle:CreateInference" (same page), on ``project``
  (``arn:${Partition}:bedrock-mantle:${Region}:${Account}:project/${ResourceId}``), with the
  condition key ``bedrock-mantle:Model`` (SAR, bedrock-mantle).
- **Models invoked by ARN**: InvokeModel* on ``provisioned-model``, ``custom-model-deployment``
  and ``imported-model`` ARNs (SAR resource types of both invoke actions).
- **CountTokens** is authorized on ``foundation-model`` only (SAR) and takes "The unique
  identifier or ARN of the foundation model" (botocore bedrock-runtime CountTokens): no profile
  is in the request, so its grant carries no bedrock:InferenceProfileArn (``resolve``).
- **Batch inference** (user guide, batch-inference-permissions and batch-iam-sr): the identity
  creating jobs needs CreateModelInvocationJob (AWS's scoped example names the foundation model
  and ``model-invocation-job/*``), Get/List/StopModelInvocationJob, and iam:PassRole of the
  service role; the service role trusts ``bedrock.amazonaws.com`` with ``aws:SourceAccount``
  and ``aws:SourceArn`` on ``arn:aws:bedrock:REGION:ACCOUNT:model-invocation-job/*``, and reads
  the input and writes the output in S3.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bedrock_gen.access import grants
from bedrock_gen.access.documents import (
    GUARDRAIL_KEY,
    POLICY_VERSION,
    Common,
    Document,
    Group,
    arn_operator,
    statement,
)
from bedrock_gen.access.packing import pack
from bedrock_gen.catalog.model import Catalog
from bedrock_gen.config.model import Config
from bedrock_gen.config.surfaces import PROFILE_TAG, ApplicationProfile
from bedrock_gen.iam.bedrock import (
    INVOKE_ACTIONS,
    PROFILE_KEY,
    REQUESTED_REGION,
    UNSPECIFIED,
    fm_arn,
)

APP = "application-inference-profile"
MODEL_ARN_KEY = "bedrock:ModelArn"
MANTLE_MODEL_KEY = "bedrock-mantle:Model"
TAG_KEY = f"aws:ResourceTag/{PROFILE_TAG}"
BEDROCK_SERVICE = "bedrock.amazonaws.com"
# Condition values per statement before a statement is cut in two: keeps every statement of a
# whole-catalog config well inside a managed policy.
VALUES_PER_STATEMENT = 40


def region_sid(region: str) -> str:
    """A Sid suffix for a Region (``eu-west-1`` -> ``EuWest1``; ``*`` -> ``AnyRegion``)."""
    if region == "*":
        return "AnyRegion"
    return "".join(part[:1].upper() + part[1:] for part in region.split("-"))


def app_profile_pattern(partition: str, region: str, account: str) -> str:
    return f"arn:{partition}:bedrock:{region}:{account}:{APP}/*"


def _invoke_condition(common: Common, extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An invoke Allow's condition: its own blocks and the enforced guardrails (as every invoke
    Allow of the policy has them, ``documents.Common``)."""
    cond = {op: dict(block) for op, block in extra.items()}
    if common.guardrails:
        op = arn_operator(any("*" in g for g in common.guardrails))
        cond.setdefault(op, {})[GUARDRAIL_KEY] = list(common.guardrails)
    return {op: dict(sorted(block.items())) for op, block in sorted(cond.items())}


def _by_region(profiles: Iterable[ApplicationProfile]) -> dict[str, list[ApplicationProfile]]:
    out: dict[str, list[ApplicationProfile]] = {}
    for p in profiles:
        out.setdefault(p.source_region, []).append(p)
    return dict(sorted(out.items()))


def application_profiles(config: Config, common: Common) -> list[Group]:
    """Per source Region: the tagged profiles (invoke), the foundation models through them
    (Regional, and Region-less for copies of global profiles), GetInferenceProfile."""
    p, account = config.partition, config.account_id or "*"
    out: list[Group] = []
    for region, profiles in _by_region(config.surfaces.application_profiles).items():
        sid = region_sid(region)
        pattern = app_profile_pattern(p, region, account)
        values = sorted({x.tag_value(config.name) for x in profiles})
        tagged = {"StringEquals": {TAG_KEY: values}}
        out.append(
            Group(
                f"~application-profiles {region}",
                (
                    statement(
                        f"AllowApplicationInferenceProfiles{sid}",
                        INVOKE_ACTIONS,
                        [pattern],
                        _invoke_condition(common, tagged),
                        common.secure,
                    ),
                ),
            )
        )
        through = {"ArnLike": {PROFILE_KEY: [pattern]}}
        regional = sorted({fm_arn(p, d, x.model.id) for x in profiles for d in x.destinations if d})
        out.append(
            Group(
                f"~application-profile-models {region}",
                (
                    statement(
                        f"AllowFoundationModelsThroughApplicationProfiles{sid}",
                        INVOKE_ACTIONS,
                        regional,
                        _invoke_condition(common, through),
                        common.secure,
                    ),
                ),
            )
        )
        regionless = sorted({fm_arn(p, "", x.model.id) for x in profiles if x.is_global})
        if regionless:
            out.append(
                Group(
                    f"~application-profile-global-models {region}",
                    (
                        statement(
                            f"AllowGlobalFoundationModelsThroughApplicationProfiles{sid}",
                            INVOKE_ACTIONS,
                            regionless,
                            _invoke_condition(
                                common,
                                {**through, "StringEquals": {REQUESTED_REGION: UNSPECIFIED}},
                            ),
                            common.secure,
                        ),
                    ),
                )
            )
        out.append(
            Group(
                f"~application-profile-reads {region}",
                (
                    statement(
                        f"AllowGetApplicationInferenceProfiles{sid}",
                        ["bedrock:GetInferenceProfile"],
                        [pattern],
                        tagged,
                        common.secure,
                    ),
                ),
            )
        )
    return out


def provisioned(config: Config, common: Common) -> list[Group]:
    arns = config.surfaces.provisioned
    if not arns:
        return []
    return [
        Group(
            "~models-by-arn",
            (
                statement(
                    "AllowModelsByArn",
                    INVOKE_ACTIONS,
                    sorted(arns),
                    _invoke_condition(common, {}) or None,
                    common.secure,
                ),
            ),
        )
    ]


def sources(config: Config) -> list[str]:
    """The Regions the gateway calls (``*`` when not pinned)."""
    return list(config.sorted_regions or ["*"])


def inference_targets(config: Config, catalog: Catalog) -> dict[str, list[str]]:
    """Per source Region, the inference targets a request may name, as the model grants allow
    them: the chosen system-defined profiles, and foundation models for direct calls (the
    values of bedrock:ModelArn on the default project)."""
    out: dict[str, set[str]] = {}
    for piece in grants.pieces(config, catalog):
        for item in piece.items:
            if item.kind[0] not in ("port", "profiles", "direct"):
                continue
            region = item.resource.split(":")[3]
            if ":inference-profile/" in item.resource or item.kind[0] == "direct":
                out.setdefault(region, set()).add(item.resource)
            elif item.kind[0] == "port" and ":foundation-model/" in item.resource:
                out.setdefault(region, set()).add(item.resource)  # in_region, unpinned
    return {r: sorted(v) for r, v in sorted(out.items())}


def _chunked(values: Sequence[str]) -> list[list[str]]:
    return [
        list(values[i : i + VALUES_PER_STATEMENT])
        for i in range(0, len(values), VALUES_PER_STATEMENT)
    ] or [[]]


def openai_responses(config: Config, catalog: Catalog, common: Common) -> list[Group]:
    """InvokeModel on the default project for the chosen targets; the stored-response actions."""
    if not config.surfaces.openai_responses:
        return []
    p, account = config.partition, config.account_id or "*"
    out: list[Group] = []
    targets = inference_targets(config, catalog)
    for region, values in targets.items():
        project = f"arn:{p}:bedrock:{region}:{account}:project/default"
        for n, chunk in enumerate(_chunked(values)):
            op = arn_operator(any("*" in v for v in chunk))
            out.append(
                Group(
                    f"~openai-responses {region}" + ("" if n == 0 else f" {n + 1}"),
                    (
                        statement(
                            f"AllowResponsesOnDefaultProject{region_sid(region)}"
                            + ("" if n == 0 else str(n + 1)),
                            ["bedrock:InvokeModel"],
                            [project],
                            {op: {MODEL_ARN_KEY: chunk}},
                            common.secure,
                        ),
                    ),
                )
            )
    projects = [f"arn:{p}:bedrock:{r}:{account}:project/default" for r in sources(config)]
    out.append(
        Group(
            "~openai-responses-stored",
            (
                statement(
                    "AllowStoredResponsesOnDefaultProject",
                    ["bedrock:CancelInvoke", "bedrock:DeleteInvoke", "bedrock:GetInvoke"],
                    projects,
                    secure=common.secure,
                ),
            ),
        )
    )
    return out


def mantle(config: Config, common: Common) -> list[Group]:
    models = config.surfaces.mantle_models
    if not models:
        return []
    p, account = config.partition, config.account_id or "*"
    projects = [f"arn:{p}:bedrock-mantle:{r}:{account}:project/*" for r in sources(config)]
    return [
        Group(
            "~mantle",
            (
                statement(
                    "AllowMantleInference",
                    ["bedrock-mantle:CreateInference"],
                    projects,
                    {"StringEquals": {MANTLE_MODEL_KEY: list(models)}},
                    common.secure,
                ),
            ),
        )
    ]


def batch(config: Config, common: Common) -> list[Group]:
    """What the gateway needs to submit and manage batch jobs."""
    b = config.surfaces.batch
    role = config.batch_role_arn
    if b is None or role is None or config.account_id is None:
        return []
    p, account = config.partition, config.account_id
    regions = list(config.sorted_regions or ())
    jobs = [f"arn:{p}:bedrock:{r}:{account}:model-invocation-job/*" for r in regions]
    models = sorted({fm_arn(p, r, m.id) for m in config.models for r in regions})
    return [
        Group(
            "~batch",
            (
                statement(
                    "AllowCreateBatchInferenceJobs",
                    ["bedrock:CreateModelInvocationJob"],
                    [*models, *jobs],
                    secure=common.secure,
                ),
                statement(
                    "AllowManageBatchInferenceJobs",
                    ["bedrock:GetModelInvocationJob", "bedrock:StopModelInvocationJob"],
                    jobs,
                    secure=common.secure,
                ),
                statement(
                    "AllowListBatchInferenceJobs",
                    ["bedrock:ListModelInvocationJobs"],
                    ["*"],
                    secure=common.secure,
                ),
                statement(
                    "AllowPassBatchServiceRole",
                    ["iam:PassRole"],
                    [role],
                    {"StringEquals": {"iam:PassedToService": BEDROCK_SERVICE}},
                    common.secure,
                ),
            ),
        )
    ]


def groups(config: Config, catalog: Catalog, common: Common) -> list[Group]:
    """Every surface's statements, in the order a new config places them."""
    return [
        *application_profiles(config, common),
        *provisioned(config, common),
        *openai_responses(config, catalog, common),
        *mantle(config, common),
        *batch(config, common),
    ]


# --------------------------------------------------------------------------------------------
# the batch service role


def batch_trust(config: Config) -> Document | None:
    """AWS's trust policy for the batch service role (batch-iam-sr, "Trust relationship"), with
    the job ARNs of every Region the gateway calls (``ArnLike``: the value is a pattern)."""
    if config.surfaces.batch is None or config.account_id is None:
        return None
    p, account = config.partition, config.account_id
    jobs = [
        f"arn:{p}:bedrock:{r}:{account}:model-invocation-job/*" for r in config.sorted_regions or ()
    ]
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "AllowBedrockBatchInference",
                "Effect": "Allow",
                "Principal": {"Service": BEDROCK_SERVICE},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": jobs},
                    "StringEquals": {"aws:SourceAccount": account},
                },
            }
        ],
    }


def _key(prefix: str | None) -> str:
    return (prefix or "") + "*"


def batch_policy(config: Config, catalog: Catalog) -> Document | None:
    """The service role's permissions: read the input, write the output (only in the buckets'
    owner account, ``aws:ResourceAccount``), and invoke exactly the models the gateway may
    (the same routes, bedrock:InvokeModel only: batch jobs do not stream)."""
    b = config.surfaces.batch
    if b is None:
        return None
    p = config.partition
    owner = {"StringEquals": {"aws:ResourceAccount": b.bucket_owner}} if b.bucket_owner else None
    listing: dict[str, Any] = dict(owner or {})
    if b.input_prefix:
        listing["StringLike"] = {"s3:prefix": [_key(b.input_prefix)]}
    s3 = [
        statement(
            "ReadBatchInput",
            ["s3:GetObject"],
            [f"arn:{p}:s3:::{b.input_bucket}/{_key(b.input_prefix)}"],
            owner,
        ),
        statement("ListBatchInput", ["s3:ListBucket"], [f"arn:{p}:s3:::{b.input_bucket}"], listing),
        statement(
            "WriteBatchOutput",
            ["s3:PutObject"],
            [f"arn:{p}:s3:::{b.output_bucket}/{_key(b.output_prefix)}"],
            owner,
        ),
    ]
    packed = pack(grants.pieces(config, catalog), 10**9, Common())
    invoke: list[Document] = []
    for part in packed.parts:
        statements: list[Document] = part.document()["Statement"]  # type: ignore[assignment]
        for st in statements:
            invoke.append({**st, "Sid": "Batch" + st["Sid"], "Action": ["bedrock:InvokeModel"]})
    return {"Version": POLICY_VERSION, "Statement": [*s3, *invoke]}


# --------------------------------------------------------------------------------------------
# what explain says beside the grants


def notes(config: Config) -> list[str]:
    """What a reviewer of these surfaces should know that the grants themselves cannot show:
    the choices made where AWS's pages are silent, and what the defaults mean for them."""
    s = config.surfaces
    out: list[str] = []
    if s.application_profiles:
        copies = sorted(
            {f"{p.geography}.{p.model.id}" for p in s.application_profiles if p.geography}
        )
        out.append(
            "Application inference profiles: calls are allowed on the profiles tagged "
            f"{PROFILE_TAG} = {config.name}/PROFILE and on the foundation models of their "
            "routes, only through application profiles (bedrock:InferenceProfileArn). AWS's "
            "pages do not say whether a call through an application profile that copies a "
            "system-defined profile is also authorized on that system profile; it is not "
            "granted (the narrower grant: no page requires it, and a role without system "
            "profiles calls application profiles in anthropics/claude-code issue 6191). If "
            "calls fail on inference-profile/"
            + (", ".join(copies) if copies else "GEO.MODEL")
            + ", add the model with that geography under models."
        )
        seen: dict[tuple[str, str], set[str | None]] = {}
        for p in s.application_profiles:
            seen.setdefault((p.model.id, p.source_region), set()).add(p.geography)
        for (model, region), geos in sorted(seen.items()):
            if len(geos) > 1:
                out.append(
                    f"Application profiles copy {model} from {region} in several ways "
                    f"({', '.join(sorted(g or 'in-Region' for g in geos))}): IAM cannot tell them "
                    "apart, so each may reach the foundation model in the Regions of all of them."
                )
    if s.openai_chat:
        out.append(
            "OpenAI Chat Completions (bedrock-runtime /openai/v1): authorized as "
            "bedrock:InvokeModel and InvokeModelWithResponseStream on the model named, which the "
            "model grants above are; nothing more is granted for it."
        )
    if s.openai_responses:
        out.append(
            "OpenAI Responses (bedrock-runtime /openai/v1): bedrock:InvokeModel on the default "
            "project for the chosen inference profiles (bedrock:ModelArn), Get/Cancel/DeleteInvoke "
            "on it for stored responses, in the Regions the gateway calls. AWS stores a response "
            "in the Region that served it and does not say which Region's project a later "
            "retrieval is authorized on; only the calling Regions' projects are granted. "
            "Application inference profiles cannot be used with it, and guardrails do not apply."
        )
    if (s.openai_chat or s.openai_responses or s.mantle_models) and (
        config.restrictions.bearer_tokens == "deny"
    ):
        out.append(
            "The OpenAI SDK authenticates with a Bedrock API key, which these policies deny "
            "(permissions.bearer_tokens: deny): the gateway must sign its requests with SigV4 "
            "(AWS credentials), or set bearer_tokens: short_term for keys minted from the role's "
            "session."
        )
    if config.needs.count_tokens:
        out.append(
            "CountTokens takes only the base model ID, so it is allowed on the source Regions' "
            "foundation models with no bedrock:InferenceProfileArn condition; an SCP that denies "
            "foundation-model resources to every Bedrock action without a profile blocks it (one "
            "that denies only InvokeModel* does not)."
        )
    if s.batch is not None:
        b = s.batch
        out.append(
            f"Batch inference: the gateway may pass only {config.batch_role_arn}, and only to "
            f"{BEDROCK_SERVICE}; that role (iam/batch-service-role-*.json) reads "
            f"s3://{b.input_bucket}/{b.input_prefix or ''}, writes "
            f"s3://{b.output_bucket}/{b.output_prefix or ''} and invokes the chosen models "
            "(bedrock:InvokeModel, through the same profiles)."
        )
    return out


# --------------------------------------------------------------------------------------------
# what the Terraform module creates for these surfaces (the module step reads this)


def profile_description(name: str) -> str:
    """The description of a profile whose config entry gives none: CreateInferenceProfile's (and
    CloudFormation's) pattern allows letters, digits, ``:`` and ``.`` with single spaces, ``_``
    or ``-`` between them, so no other punctuation; a change replaces the profile, so it
    depends on the profile's name only."""
    return f"Created by bedrock-gen for {name}"


def module_spec(config: Config) -> dict[str, Any]:
    """The resources the Terraform module must create for the surfaces, as plain data.

    - ``application_inference_profiles``: one ``aws_bedrock_inference_profile`` each, by name:
      ``region`` (the provider's Region for it: hashicorp/aws 5.x has no per-resource region,
      so a provider per Region, or ``region =`` with aws >= 6.0), ``name``, ``description``
      (``profile_description`` when the config has none),
      ``model_source.copy_from`` (``copy_from``; ``ACCOUNT_ID`` stands for the caller's account
      when the config pins none), and ``tags``: the profile's own, merged over the module's
      ``tags``, with bedrock-gen's tag last. The tag's value is fixed here (the policy names
      it), never derived from a module input.
    - ``batch_service_role``: an ``aws_iam_role`` (``name``, ``path``, ``description``) whose
      trust is the JSON of ``trust_file`` and whose policy (``policy_description``) is
      ``policy_file`` (both in ``iam/``).
    """
    account = config.account_id or "ACCOUNT_ID"
    profiles = {
        p.name: {
            "region": p.source_region,
            "name": p.name,
            "description": p.description or profile_description(p.name),
            "copy_from": p.copy_from(config.partition, account),
            "model": p.model.id,
            "geography": p.geography,
            "tags": {**dict(p.tags), PROFILE_TAG: p.tag_value(config.name)},
        }
        for p in config.surfaces.application_profiles
    }
    out: dict[str, Any] = {"application_inference_profiles": profiles}
    b = config.surfaces.batch
    if b is not None:
        out["batch_service_role"] = {
            "name": b.role_name,
            "path": config.terraform.path,
            "arn": config.batch_role_arn,
            "trust_file": "iam/batch-service-role-trust.json",
            "policy_file": "iam/batch-service-role-policy.json",
            "description": "Assumed by Amazon Bedrock to run the batch inference jobs "
            f"{config.gateway.described} submits. Generated by bedrock-gen.",
            "policy_description": "Lets Amazon Bedrock batch jobs read their input, write their "
            "output and invoke the selected models. Generated by bedrock-gen.",
        }
    return out
