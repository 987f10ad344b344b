"""The resources Bedrock's other surfaces need (``access.surfaces.module_spec``), for
``policies.tf`` (their locals), ``main.tf`` (the resources), ``variables.tf``, ``outputs.tf``
and the module's own ``terraform test``.

- **Application inference profiles**: one ``aws_bedrock_inference_profile`` each, copying the
  system-defined profile of its geography or the foundation model of its Region, tagged with
  the module's tags, its own, and bedrock-gen's tag (last, so no input can change it: the
  policy's ``aws:ResourceTag`` condition names exactly that value). A profile lives in its
  source Region and hashicorp/aws 5.x creates a resource in the provider's Region, so a
  precondition stops a plan with a provider elsewhere (the policy would name profiles that do
  not exist); with the account pinned, another stops a plan in another account.
- **Batch inference**: the Bedrock service role, its managed policy and the attachment, with
  the documents of ``iam/batch-service-role-*.json`` and the name and path the gateway's
  ``iam:PassRole`` names (the config's, never ``name_prefix`` or ``var.path``).
"""

from __future__ import annotations

from bedrock_gen.config.surfaces import PROFILE_TAG
from bedrock_gen.emit.terraform.blocks import (
    BLANK,
    Attr,
    Block,
    Expr,
    Inline,
    InlineList,
    Item,
    Template,
    block,
    comment,
    output,
    variable,
)
from bedrock_gen.emit.terraform.hcl import string
from bedrock_gen.emit.terraform.module import CALLER_ACCOUNT, Facts

PROFILES = "aws_bedrock_inference_profile.this"
BATCH_ROLE = "aws_iam_role.batch"
BATCH_POLICY = "aws_iam_policy.batch"
BATCH_ATTACHMENT = "aws_iam_role_policy_attachment.batch"
CREATE_PROFILES = "create_application_inference_profiles"
PROVIDER_REGION = "data.aws_region.current.name"


def _resource(kind: str, name: str, *body: Item) -> Block:
    return block("resource", kind, name, body)


# --------------------------------------------------------------------------------------------
# policies.tf


def locals_(f: Facts) -> list[Item]:
    """The profiles' facts and the batch role's documents, as locals."""
    out: list[Item] = []
    if f.profiles:
        out += [
            BLANK,
            comment(
                "Application inference profiles by name: source Region, what each copies, and "
                "its own tags.",
                f"bedrock-gen's tag ({PROFILE_TAG}) is added last in main.tf: the policy "
                "names its value.",
            ),
            Attr(
                "application_inference_profiles",
                {
                    p.name: {
                        "region": p.region,
                        "description": p.description,
                        "copy_from": p.copy_from,
                        "tags": dict(p.tags),
                        "policy_tag": p.policy_tag,
                    }
                    for p in f.profiles
                },
            ),
        ]
    if f.batch_role is not None:
        b = f.batch_role
        out += [
            BLANK,
            comment(f"The batch service role's documents: ../{b.trust_file}, ../{b.policy_file}."),
            Attr("batch_service_role_trust", b.trust),
            BLANK,
            Attr("batch_service_role_policy", b.policy),
        ]
    return out


# --------------------------------------------------------------------------------------------
# main.tf


def _data(f: Facts) -> list[Block]:
    out = [block("data", "aws_region", "current", [])]
    if f.account_id is not None or any(isinstance(p.copy_from, Expr) for p in f.profiles):
        out.append(block("data", "aws_caller_identity", "current", []))
    return out


def _profile_preconditions(f: Facts) -> list[Item]:
    out: list[Item] = [
        block(
            "precondition",
            [
                Attr("condition", Expr(f"{PROVIDER_REGION} == each.value.region")),
                Attr(
                    "error_message",
                    Template(
                        "The application inference profile ${each.key} lives in "
                        "${each.value.region} (its source Region), but the aws provider creates "
                        f"it in ${{{PROVIDER_REGION}}}: call this module with a provider for "
                        "${each.value.region}."
                    ),
                ),
            ],
        )
    ]
    if f.account_id is not None:
        out += [
            BLANK,
            block(
                "precondition",
                [
                    Attr("condition", Expr(f"{CALLER_ACCOUNT} == {string(f.account_id)}")),
                    Attr(
                        "error_message",
                        f"The config pins account_id {f.account_id}: the policy names that "
                        "account's application inference profiles. Apply with credentials of "
                        "that account.",
                    ),
                ],
            ),
        ]
    return out


def _profiles(f: Facts) -> Block:
    return _resource(
        "aws_bedrock_inference_profile",
        "this",
        Attr(
            "for_each",
            Expr(
                "{ for name, profile in local.application_inference_profiles : name => profile "
                f"if var.create && var.{CREATE_PROFILES} }}"
            ),
        ),
        BLANK,
        Attr("name", Expr("each.key")),
        Attr("description", Expr("each.value.description")),
        comment(
            "The module's tags, the profile's own, then bedrock-gen's tag: the policy allows "
            "only profiles",
            "carrying exactly this value.",
        ),
        Attr(
            "tags",
            Expr(
                f"merge(local.tags, each.value.tags, {{ {string(PROFILE_TAG)} = "
                "each.value.policy_tag })"
            ),
        ),
        BLANK,
        block("model_source", [Attr("copy_from", Expr("each.value.copy_from"))]),
        BLANK,
        block("lifecycle", _profile_preconditions(f)),
    )


def _batch(f: Facts) -> list[Block]:
    b = f.batch_role
    assert b is not None
    boundary: list[Item] = (
        [Attr("permissions_boundary", Expr("var.permissions_boundary"))] if f.creates else []
    )
    return [
        _resource(
            "aws_iam_role",
            "batch",
            Attr("count", Expr("var.create ? 1 : 0")),
            BLANK,
            comment(
                "The name and path the gateway's iam:PassRole names (the config's, never "
                "name_prefix or var.path)."
            ),
            Attr("name", b.name),
            Attr("path", b.path),
            Attr("description", b.description),
            Attr("assume_role_policy", Expr("jsonencode(local.batch_service_role_trust)")),
            *boundary,
            Attr("tags", Expr("local.tags")),
        ),
        _resource(
            "aws_iam_policy",
            "batch",
            Attr("count", Expr("var.create ? 1 : 0")),
            BLANK,
            Attr("name", b.name),
            Attr("path", b.path),
            Attr("description", b.policy_description),
            Attr("policy", Expr("jsonencode(local.batch_service_role_policy)")),
            Attr("tags", Expr("local.tags")),
        ),
        _resource(
            "aws_iam_role_policy_attachment",
            "batch",
            Attr("count", Expr("var.create ? 1 : 0")),
            BLANK,
            Attr("role", Expr(f"{BATCH_ROLE}[0].name")),
            Attr("policy_arn", Expr(f"{BATCH_POLICY}[0].arn")),
        ),
    ]


def resources(f: Facts) -> list[Block]:
    out: list[Block] = []
    if f.profiles:
        out += [*_data(f), _profiles(f)]
    if f.batch_role is not None:
        out += _batch(f)
    return out


# --------------------------------------------------------------------------------------------
# variables.tf, outputs.tf


def variables(f: Facts) -> list[Block]:
    if not f.profiles:
        return []
    return [
        variable(
            CREATE_PROFILES,
            "Create the application inference profiles (false when they are created elsewhere: "
            "the policy still allows only profiles carrying bedrock-gen's tag).",
            "bool",
            True,
        )
    ]


def outputs(f: Facts) -> list[Block]:
    attached = [f"{f.attachment}.invoke", f"{f.attachment}.additional"]
    out: list[Block] = []
    if f.profiles:
        out.append(
            output(
                "application_inference_profile_arns",
                "ARNs of the application inference profiles, by name: what the gateway calls "
                "(LiteLLM: model: bedrock/<ARN>).",
                Expr(f"{{ for name, profile in {PROFILES} : name => profile.arn }}"),
                depends_on=attached,
            )
        )
    if f.batch_role is not None:
        out.append(
            output(
                "batch_service_role_arn",
                "ARN of the Bedrock batch service role (CreateModelInvocationJob's roleArn), or "
                "null.",
                Expr(f"try({BATCH_ROLE}[0].arn, null)"),
                depends_on=[BATCH_ATTACHMENT, *attached],
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# tests/bedrock_gen.tftest.hcl


def mocks(f: Facts) -> list[Item]:
    """Mocked values: the profiles' Region and account, the profile ARNs."""
    out: list[Item] = []
    if f.profiles:
        out += [
            block(
                "mock_data",
                "aws_region",
                [Attr("defaults", {"name": f.profile_regions[0]})],
            ),
            BLANK,
            block(
                "mock_data",
                "aws_caller_identity",
                [Attr("defaults", {"account_id": f.account_id or "123456789012"})],
            ),
            BLANK,
            block(
                "mock_resource",
                "aws_bedrock_inference_profile",
                [
                    Attr(
                        "defaults",
                        {
                            "arn": f"arn:{f.config.partition}:bedrock:{f.profile_regions[0]}:"
                            f"{f.account_id or '123456789012'}:application-inference-profile/"
                            "abcdef123456"
                        },
                    )
                ],
            ),
            BLANK,
        ]
    return out


def overrides(f: Facts) -> list[Block]:
    """File-level: the batch role's ARN (the mocked aws_iam_role's is the gateway's); with
    profiles in several Regions, none created (one provider cannot create them all)."""
    out: list[Block] = []
    if f.batch_role is not None:
        out.append(
            block(
                "override_resource",
                [
                    Attr("target", Expr(BATCH_ROLE)),
                    Attr("values", {"arn": f.batch_role.arn}),
                ],
            )
        )
    if len(f.profile_regions) > 1:
        out.append(
            block(
                "variables",
                [
                    comment(
                        "Profiles in several Regions: one provider cannot create them all "
                        "(see the README)."
                    ),
                    Attr(CREATE_PROFILES, False),
                ],
            )
        )
    return out


def wired(f: Facts) -> list[Block]:
    """Asserts for the apply run: the outputs name what was created."""
    out = []
    if f.profiles and len(f.profile_regions) == 1:
        out.append(
            _assert(
                f"length(output.application_inference_profile_arns) == {len(f.profiles)}",
                "Every application inference profile must be created and named in the output.",
            )
        )
    if f.batch_role is not None:
        out.append(
            _assert(
                f"output.batch_service_role_arn == {string(f.batch_role.arn)}",
                "output.batch_service_role_arn is not the role the gateway may pass.",
            )
        )
    return out


def _assert(condition: str, message: str) -> Block:
    return block("assert", [Attr("condition", Expr(condition)), Attr("error_message", message)])


def runs(f: Facts) -> list[Block]:
    out: list[Block] = []
    if len(f.profile_regions) == 1:
        checks: list[Item] = []
        for p in f.profiles:
            ref = f"{PROFILES}[{string(p.name)}]"
            checks += [
                BLANK,
                _assert(
                    f"{ref}.tags[{string(PROFILE_TAG)}] == {string(p.policy_tag)}",
                    f"The profile {p.name} must carry the tag the policy names.",
                ),
            ]
            if not isinstance(p.copy_from, Expr):
                checks += [
                    BLANK,
                    _assert(
                        f"{ref}.model_source[0].copy_from == {string(p.copy_from)}",
                        f"The profile {p.name} must copy what the policy's routes allow.",
                    ),
                ]
        out.append(
            block(
                "run",
                "application_inference_profiles_carry_the_policy_tag",
                [
                    Attr("command", Expr("plan")),
                    BLANK,
                    block("variables", [Attr("tags", {PROFILE_TAG: "other"})]),
                    *checks,
                ],
            )
        )
        other = "us-west-2" if f.profile_regions[0] != "us-west-2" else "us-east-1"
        out.append(
            block(
                "run",
                "application_inference_profiles_need_a_provider_in_their_region",
                [
                    Attr("command", Expr("plan")),
                    BLANK,
                    block(
                        "override_data",
                        [
                            Attr("target", Expr("data.aws_region.current")),
                            Attr("values", Inline(name=other)),
                        ],
                    ),
                    BLANK,
                    Attr("expect_failures", InlineList([Expr(PROFILES)])),
                ],
            )
        )
    if f.batch_role is not None:
        b = f.batch_role
        out.append(
            block(
                "run",
                "batch_service_role_is_the_role_the_gateway_passes",
                [
                    Attr("command", Expr("plan")),
                    BLANK,
                    _assert(
                        f"jsondecode({BATCH_ROLE}[0].assume_role_policy) == "
                        f'jsondecode(file("../{b.trust_file}"))',
                        f"The planned batch service role trust differs from {b.trust_file}.",
                    ),
                    BLANK,
                    _assert(
                        f"jsondecode({BATCH_POLICY}[0].policy) == "
                        f'jsondecode(file("../{b.policy_file}"))',
                        f"The planned batch service role policy differs from {b.policy_file}.",
                    ),
                    BLANK,
                    _assert(
                        f"{BATCH_ROLE}[0].name == {string(b.name)} && "
                        f"{BATCH_ROLE}[0].path == {string(b.path)}",
                        "The batch service role must have the name and path the gateway's "
                        "iam:PassRole names.",
                    ),
                ],
            )
        )
    return out


def nothing(f: Facts) -> list[Block]:
    """Asserts for ``create = false``."""
    out = []
    if f.profiles:
        out.append(
            _assert(
                f"length({PROFILES}) == 0",
                "With create = false the module must create no application inference profile.",
            )
        )
    if f.batch_role is not None:
        out.append(
            _assert(
                f"length({BATCH_ROLE}) == 0",
                "With create = false the module must create no batch service role.",
            )
        )
    return out
