"""``variables.tf``: the module's inputs, defaulting to the config's values. Every bound and
pattern comes from ``iam.limits``."""

from __future__ import annotations

from bedrock_gen.emit.terraform.blocks import BLANK, Block, Item, comment, variable
from bedrock_gen.emit.terraform.files import surfaces
from bedrock_gen.emit.terraform.module import (
    EXTERNAL_ID_PATTERN,
    HEADER,
    NAME_PATTERN,
    UNIQUE_SUFFIX,
    Facts,
)
from bedrock_gen.gateways.modes import kubernetes
from bedrock_gen.iam import limits

# Further parts are named NAME-2 ... NAME-25: the base name leaves room for the suffix.
POLICY_NAME_MAX = limits.POLICY_NAME_LENGTH - len(f"-{limits.MANAGED_POLICIES_PER_ROLE_MAX}")
# hashicorp/aws appends a unique ID to a prefix (and parts add "N-" before it).
NAME_PREFIX_MAX = limits.ROLE_NAME_LENGTH - UNIQUE_SUFFIX
POLICY_NAME_PREFIX_MAX = (
    limits.POLICY_NAME_LENGTH - UNIQUE_SUFFIX - len(f"{limits.MANAGED_POLICIES_PER_ROLE_MAX}-")
)
OIDC_PROVIDER = "^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$"
# RE2 forms of the Kubernetes names gateways.modes.kubernetes checks (Terraform's regex has no
# \\Z): NAMESPACE:NAME.
SERVICE_ACCOUNT = (
    kubernetes.NAMESPACE.pattern.removesuffix("\\Z")
    + ":"
    + kubernetes.NAME.pattern.removeprefix("^").removesuffix("\\Z")
    + "$"
)
PERMISSIONS_BOUNDARY = "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/"


def _name(f: Facts) -> Block:
    if f.creates:
        verb = "signs in as" if f.is_user else "assumes"
        description = f"Name of the IAM {f.kind} the gateway {verb}."
    else:
        description = f"Name of the existing IAM {f.kind} the policies are attached to."
    length = limits.USER_NAME_LENGTH if f.is_user else limits.ROLE_NAME_LENGTH
    return variable(
        "name",
        description,
        "string",
        f.name,
        validations=[
            (
                f'length(var.name) <= {length} && can(regex("{NAME_PATTERN}", var.name))',
                f"The name must be 1 to {length} characters of letters, digits and +=,.@_-.",
            )
        ],
    )


def _name_prefix(f: Facts) -> Block:
    return variable(
        "name_prefix",
        "Name the role with this prefix and a unique suffix instead of name (set one of the "
        "two), or null.",
        "string",
        None,
        validations=[
            (
                f'var.name_prefix == null || (length(coalesce(var.name_prefix, "x")) <= '
                f'{NAME_PREFIX_MAX} && can(regex("{NAME_PATTERN}", coalesce(var.name_prefix, '
                '"x"))))',
                f"The name prefix must be 1 to {NAME_PREFIX_MAX} characters of letters, digits "
                "and +=,.@_-.",
            )
        ],
    )


def _policy_name_prefix() -> Block:
    return variable(
        "policy_name_prefix",
        "Name the invoke policies with this prefix (parts 2, 3, ... add N-) and a unique "
        "suffix instead of policy_name, or null.",
        "string",
        None,
        validations=[
            (
                "var.policy_name_prefix == null || (length(coalesce(var.policy_name_prefix, "
                f'"x")) <= {POLICY_NAME_PREFIX_MAX} && can(regex("{NAME_PATTERN}", '
                'coalesce(var.policy_name_prefix, "x"))))',
                f"The policy name prefix must be 1 to {POLICY_NAME_PREFIX_MAX} characters of "
                "letters, digits and +=,.@_-.",
            )
        ],
    )


def _irsa(f: Facts) -> list[Block]:
    return [
        variable(
            "oidc_provider_arns",
            "ARNs of the IAM OIDC providers of the clusters whose service accounts may assume "
            "the role (one trust statement each).",
            "list(string)",
            [f.oidc_provider_arn],
            validations=[
                (
                    "length(var.oidc_provider_arns) > 0 && alltrue([for arn in "
                    f'var.oidc_provider_arns : can(regex("{OIDC_PROVIDER}", arn))])',
                    "Give at least one IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:"
                    "oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID).",
                )
            ],
        ),
        _service_accounts(f, "the role trusts (through each OIDC provider)"),
    ]


def _service_accounts(f: Facts, what: str) -> Block:
    return variable(
        "service_accounts",
        f"Kubernetes service accounts {what}, as NAMESPACE:NAME.",
        "list(string)",
        [f"{ns}:{sa}" for ns, sa in f.service_accounts],
        validations=[
            (
                "length(var.service_accounts) > 0 && alltrue([for pair in var.service_accounts "
                f': can(regex("{SERVICE_ACCOUNT}", pair))])',
                "Give at least one service account, each NAMESPACE:NAME in Kubernetes' "
                "lowercase name syntax.",
            )
        ],
    )


def _cluster_name(f: Facts) -> Block:
    return variable(
        "cluster_name",
        "Name of the EKS cluster whose pods may assume the role, in the config's account and "
        f"Region ({f.cluster_arn_prefix}NAME); the associations are created there.",
        "string",
        f.cluster_name,
        validations=[
            (
                'can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.cluster_name))',
                "An EKS cluster name is 1 to 100 letters, digits, _ and -, starting with a "
                "letter or digit.",
            )
        ],
    )


def _path(f: Facts) -> Block:
    what = f"{f.kind} and of the policies" if f.creates else "policies"
    port = f.is_port and f.kind == "role"
    note = " Port cannot register a role whose path is not /." if port else ""
    return variable(
        "path",
        f"IAM path of the {what}.{note}",
        "string",
        f.path,
        validations=[
            (
                f"length(var.path) <= {limits.PATH_LENGTH} && "
                'can(regex("^(/|/[!-~]+/)$", var.path))',
                "The path must be / or begin and end with / and hold printable ASCII only.",
            )
        ],
    )


def _policy_name(f: Facts) -> Block:
    return variable(
        "policy_name",
        "Name of the managed invoke policy; further parts, when the policy is split, get "
        "-2, -3, ...",
        "string",
        f.policy_name,
        validations=[
            (
                f"length(var.policy_name) <= {POLICY_NAME_MAX} && "
                f'can(regex("{NAME_PATTERN}", var.policy_name))',
                f"The policy name must be 1 to {POLICY_NAME_MAX} characters of letters, digits "
                "and +=,.@_-.",
            )
        ],
    )


def _permissions_boundary(f: Facts) -> Block:
    return variable(
        "permissions_boundary",
        f"ARN of a managed policy to use as the {f.kind}'s permissions boundary, or null.",
        "string",
        f.permissions_boundary,
        validations=[
            (
                "var.permissions_boundary == null || "
                f'can(regex("{PERMISSIONS_BOUNDARY}", var.permissions_boundary))',
                "The permissions boundary must be a managed policy ARN.",
            )
        ],
    )


def _session(f: Facts) -> Block:
    low, high = limits.SESSION_DURATION_MIN, limits.SESSION_DURATION_MAX
    return variable(
        "max_session_duration",
        f"Maximum session duration of the role, in seconds ({low} to {high}).",
        "number",
        f.max_session_duration,
        validations=[
            (
                f"var.max_session_duration >= {low} && var.max_session_duration <= {high}",
                f"The maximum session duration must be {low} to {high} seconds.",
            )
        ],
    )


def _external_id(f: Facts) -> Block:
    assert f.external_id is not None
    env = f.external_id.env
    source = f" (from ${env})" if env else ""
    secret = f" (Port secret {f.secret_name})" if f.secret_name else ""
    low, high = limits.EXTERNAL_ID_MIN, limits.EXTERNAL_ID_MAX
    literal = f.external_id.literal
    return variable(
        "external_id",
        f"The sts:ExternalId the gateway sends{source}. Store the same value in the gateway"
        f"{secret}, character for character.",
        "string",
        literal if literal is not None else ...,
        sensitive=True,
        nullable=False,
        validations=[
            (
                f"length(var.external_id) >= {low} && length(var.external_id) <= {high} && "
                f'can(regex("{EXTERNAL_ID_PATTERN}", var.external_id))',
                f"The external ID must be {low} to {high} characters of letters, digits and "
                "+=,.@:/_- (STS rules); a trailing space or newline makes the assume-role fail "
                "silently.",
            )
        ],
    )


def build(f: Facts) -> list[Item]:
    blocks: list[Block] = [
        variable(
            "create",
            "Whether to create anything; false keeps the module in code but creates nothing.",
            "bool",
            True,
        ),
        _name(f),
    ]
    if f.creates_role:
        blocks.append(_name_prefix(f))
    if f.creates:
        blocks.append(
            variable("description", f"Description of the IAM {f.kind}.", "string", f.description)
        )
    blocks += [
        _path(f),
        _policy_name(f),
        _policy_name_prefix(),
        variable(
            "policies",
            "Further managed policy ARNs to attach, by a key of your choice.",
            "map(string)",
            {},
        ),
        variable(
            "tags",
            "Tags for every resource, merged over the config's tags (these win).",
            "map(string)",
            {},
        ),
    ]
    if f.creates:
        blocks.append(_permissions_boundary(f))
    if f.kind == "role" and f.creates:
        blocks += [
            _session(f),
            variable(
                "force_detach_policies",
                "Detach policies attached outside this module before destroying the role.",
                "bool",
                False,
            ),
        ]
    if f.oidc_provider_arn is not None:
        blocks += _irsa(f)
    if f.cluster_arn is not None:
        blocks.append(_cluster_name(f))
    if f.external_id is not None:
        blocks.append(_external_id(f))
    if f.mode == "access_keys":
        blocks += [
            variable(
                "force_destroy",
                "Destroy the user even if it has access keys or policies not managed by this "
                "module.",
                "bool",
                False,
            ),
            variable(
                "create_access_key",
                "Create an access key for the user. Its secret is then stored in the Terraform "
                "state; see the README.",
                "bool",
                f.create_access_key,
            ),
            variable(
                "pgp_key",
                "A base64 PGP public key or keybase:USERNAME to encrypt the access key's secret "
                "with, so the state holds only the encrypted secret; or null.",
                "string",
                None,
            ),
        ]
    if f.mode == "eks_pod_identity":
        blocks.append(
            variable(
                "create_pod_identity_associations",
                "Create the EKS Pod Identity association of each service account with the role.",
                "bool",
                f.create_associations,
            )
        )
    if f.instance_profile:
        blocks.append(
            variable(
                "create_instance_profile",
                "Create an instance profile for the role (EC2).",
                "bool",
                True,
            )
        )
    blocks += surfaces.variables(f)
    if f.port_secret:
        blocks.append(
            variable(
                "port_secret_name",
                "Name of the Port organization secret holding the external ID.",
                "string",
                f.secret_name,
                validations=[
                    (
                        'can(regex("^[A-Za-z0-9_-]{1,100}$", var.port_secret_name))',
                        "Port secret names are 1 to 100 letters, digits, _ and -.",
                    )
                ],
            )
        )
    out: list[Item] = [
        comment(
            HEADER,
            "Defaults come from the config; override what belongs to an environment when "
            "calling the module.",
        )
    ]
    for b in blocks:
        out += [BLANK, b]
    return out
