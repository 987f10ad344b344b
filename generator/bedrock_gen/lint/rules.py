"""Every lint rule: a stable code, a severity, a description, a source and a fix.

Codes are IAM Access Analyzer's issue codes where Access Analyzer has the check (its policy
validation check reference), with its finding type as the severity; checks it does not make
are ``BEDROCK_*``, ``TRUST_*`` and ``ACCESS_*`` here, rated as Access Analyzer rates checks of
the same weight (a grant broader than intended is a SECURITY_WARNING). Codes of earlier
releases still work in ``--ignore`` and ``lint.ignore`` (``ALIASES``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bedrock_gen.diagnostics import Severity

AA = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
GEO = "https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html"
GLOBAL = "https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html"
GUARD = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html"
GUARD_ID = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html"
API_KEYS = "https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html"
PROFILES = "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html"
PRODUCT_IDS = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-access-product-ids.html"
LIFECYCLE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"
EXTID = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"
)
LEAST = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
NOTACTION = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"
)
NOTRESOURCE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html"
)
SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html"
IRSA = "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html"
POD_ID = "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html"
DEPUTY = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
SCP = (
    "https://docs.aws.amazon.com/organizations/latest/userguide/"
    "orgs_manage_policies_scps_syntax.html"
)

E, SW, W, S = Severity.ERROR, Severity.SECURITY_WARNING, Severity.WARNING, Severity.SUGGESTION


class Rule(NamedTuple):
    code: str
    severity: Severity
    description: str
    source: str
    hint: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.code: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # -- grammar (Access Analyzer) --------------------------------------------------------------
    Rule(
        "JSON_SYNTAX_ERROR",
        E,
        "The file is not valid JSON.",
        AA,
        "fix the JSON syntax at the position shown",
    ),
    Rule(
        "MISSING_VERSION",
        W,
        "The policy has no Version element.",
        AA,
        'add "Version": "2012-10-17"',
    ),
    Rule(
        "INVALID_VERSION",
        E,
        "Version is not 2012-10-17 or 2008-10-17.",
        AA,
        'use "Version": "2012-10-17"',
    ),
    Rule("MISSING_STATEMENT", E, "The policy has no Statement.", AA, "add a Statement list"),
    Rule(
        "INVALID_POLICY_ELEMENT",
        E,
        "An element is not valid at this place.",
        AA,
        "remove or rename the element",
    ),
    Rule(
        "DATA_TYPE_MISMATCH",
        E,
        "An element has the wrong JSON type.",
        AA,
        "use the type the policy grammar gives",
    ),
    Rule("MISSING_EFFECT", E, "A statement has no Effect.", AA, 'add "Effect": "Allow"'),
    Rule(
        "INVALID_EFFECT", E, "Effect is not Allow or Deny.", AA, 'use "Effect": "Allow" or "Deny"'
    ),
    Rule(
        "MISSING_ACTION",
        E,
        "A statement has neither Action nor NotAction.",
        AA,
        "give the statement an Action",
    ),
    Rule(
        "MISSING_RESOURCE",
        E,
        "An identity-policy statement has neither Resource nor NotResource.",
        AA,
        "give the statement a Resource",
    ),
    Rule(
        "UNSUPPORTED_ELEMENT_COMBINATION",
        E,
        "A statement has both Action and NotAction, or both Resource and NotResource.",
        AA,
        "keep one of the two",
    ),
    Rule(
        "MISSING_PRINCIPAL",
        E,
        "A trust-policy statement has no Principal.",
        AA,
        "name the principals allowed to assume the role",
    ),
    Rule(
        "UNSUPPORTED_PRINCIPAL",
        E,
        "An identity policy or SCP has a Principal element.",
        AA,
        "remove Principal: identity policies apply to whoever they are attached to",
    ),
    Rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        E,
        "A trust policy has a Resource element.",
        AA,
        "remove Resource from the trust policy",
    ),
    Rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        E,
        "A trust policy has NotPrincipal.",
        AA,
        "name the principals in Principal instead",
    ),
    Rule(
        "UNIQUE_SIDS_REQUIRED",
        E,
        "Two statements have the same Sid.",
        AA,
        "give each statement a unique Sid",
    ),
    Rule(
        "UNSUPPORTED_SID",
        E,
        "A Sid has characters other than letters and digits.",
        AA,
        "use only A-Z, a-z and 0-9 in Sid",
    ),
    Rule(
        "EMPTY_ARRAY_ACTION",
        S,
        "An Action list is empty.",
        AA,
        "list the actions, or remove the statement",
    ),
    Rule(
        "EMPTY_ARRAY_RESOURCE",
        S,
        "A Resource list is empty.",
        AA,
        "list the resources, or remove the statement",
    ),
    Rule(
        "EMPTY_ARRAY_PRINCIPAL",
        S,
        "A Principal list is empty.",
        AA,
        "list the principals, or remove the statement",
    ),
    Rule(
        "EMPTY_OBJECT_CONDITION",
        S,
        "A Condition is an empty object.",
        AA,
        "remove the empty Condition, or add the conditions meant",
    ),
    Rule(
        "INVALID_ACTION",
        E,
        "An action does not exist for its service (checked for the "
        "services in bedrock-gen's action data).",
        AA,
        "use an action from the Service Authorization Reference",
    ),
    Rule(
        "INVALID_ARN_RESOURCE",
        E,
        "A resource is neither '*' nor a well-formed ARN.",
        AA,
        "write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
    ),
    Rule(
        "REDUNDANT_ACTION",
        S,
        "An action is listed twice or covered by a wildcard in the same statement.",
        AA,
        "remove the redundant action",
    ),
    Rule(
        "REDUNDANT_RESOURCE",
        S,
        "A resource is listed twice or covered by a wildcard in the same statement.",
        AA,
        "remove the redundant resource",
    ),
    Rule(
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        W,
        "A managed policy is larger than "
        "IAM's 6,144-character quota (white space not counted): IAM refuses it.",
        QUOTAS,
        "split the policy (bedrock-gen render does), or remove resources",
    ),
    Rule(
        "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        W,
        "A trust policy is larger than the role trust policy quota: IAM refuses it.",
        QUOTAS,
        "remove principals, or raise the quota (up to 4,096)",
    ),
    Rule(
        "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
        E,
        "An SCP is larger than 5,120 characters.",
        AA,
        "split the SCP",
    ),
    Rule(
        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
        SW,
        "A string operator compares an "
        "ARN condition key; ARN operators compare ARNs field by field.",
        AA,
        "use ArnEquals or ArnLike",
    ),
    Rule(
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        E,
        "A Bedrock condition key (such as bedrock:InferenceProfileArn) is in a statement with "
        "Bedrock actions that do not evaluate it, per the Service Authorization Reference's "
        "keys for the action and its resource types: IAM has no value for the key there.",
        AA,
        "move those actions to a statement without this condition key",
    ),
    Rule(
        "INVALID_SERVICE_CONDITION_KEY",
        E,
        "A condition key of bedrock, bedrock-mantle, aws-marketplace or sts that the service "
        "does not define (per the Service Authorization Reference): IAM has no value for it, "
        "so a positive operator never holds.",
        AA,
        "use a condition key the service defines",
    ),
    Rule(
        "WILDCARD_WITHOUT_LIKE_OPERATOR",
        W,
        "A condition value has * or ? under an Equals operator, which compares them literally.",
        AA,
        "use StringLike, or name the exact value",
    ),
    # -- access: grants broader than they look -------------------------------------------------
    Rule(
        "ACCESS_ALL_ACTIONS",
        SW,
        "An Allow grants every action of every service ('*').",
        LEAST,
        "list the actions the gateway calls (bedrock:InvokeModel, "
        "bedrock:InvokeModelWithResponseStream)",
    ),
    Rule(
        "ACCESS_SERVICE_WILDCARD_ACTION",
        SW,
        "An Allow grants every action of a service "
        "(like 'bedrock:*'), including writes and deletes.",
        LEAST,
        "list the actions the gateway calls",
    ),
    Rule(
        "ACCESS_ALLOW_WITH_NOT_ACTION",
        SW,
        "An Allow uses NotAction: it grants every action "
        "not listed, including ones AWS adds later.",
        NOTACTION,
        "list the allowed actions in Action instead",
    ),
    Rule(
        "ACCESS_ALLOW_WITH_NOT_RESOURCE",
        SW,
        "An Allow uses NotResource: it grants every "
        "resource not listed, including ones created later.",
        NOTRESOURCE,
        "list the allowed resources in Resource instead",
    ),
    Rule(
        "ACCESS_RESOURCE_STAR",
        SW,
        "Writes or invocations that support resource-level "
        "permissions are allowed on Resource '*': every model, profile, agent or guardrail, in "
        "every Region and account (reads and lists on '*' are not flagged).",
        SAR,
        "name the resources (bedrock-gen render writes exact ARNs)",
    ),
    # -- Bedrock --------------------------------------------------------------------------------
    Rule(
        "BEDROCK_MISSING_DESTINATION_MODELS",
        E,
        "An inference profile is allowed, but not the "
        "foundation model in every Region the profile routes calls to, so calls fail at "
        "random.",
        GEO,
        "allow the foundation model in every destination Region (bedrock-gen render does)",
    ),
    Rule(
        "BEDROCK_FOUNDATION_MODEL_WITHOUT_PROFILE",
        E,
        "A foundation model that can only be "
        "called through an inference profile is allowed, but none of its profiles is.",
        PROFILES,
        "also allow one of the model's inference profiles",
    ),
    Rule(
        "BEDROCK_PROFILE_ID_IN_MODEL_ARN",
        E,
        "A foundation-model ARN holds an inference-"
        "profile ID (like foundation-model/us.anthropic...): it matches nothing.",
        PROFILES,
        "use arn:aws:bedrock:REGION::foundation-model/MODEL and, for the profile, "
        "arn:aws:bedrock:REGION:ACCOUNT:inference-profile/GEO.MODEL",
    ),
    Rule(
        "BEDROCK_UNKNOWN_MODEL",
        W,
        "A model ID is not in bedrock-gen's catalog.",
        PROFILES,
        "check the model ID ('bedrock-gen models' lists the catalog; --catalog adds an overlay)",
    ),
    Rule(
        "BEDROCK_WRONG_MODEL_ID",
        E,
        "A model ID is a known misspelling of a real one: the ARN matches no model.",
        PROFILES,
        "use the real model ID",
    ),
    Rule(
        "BEDROCK_UNKNOWN_GEOGRAPHY",
        E,
        "An inference-profile ID has a prefix that is not a cross-Region inference geography.",
        PROFILES,
        "use a geography prefix such as us., eu., apac., jp., au., global.",
    ),
    Rule(
        "BEDROCK_PROFILE_NOT_OFFERED",
        W,
        "The model has no inference profile in this "
        "geography (per the catalog), so the ARN matches nothing.",
        PROFILES,
        "use a geography the model is offered in",
    ),
    Rule(
        "BEDROCK_WILDCARD_BROADER_THAN_PROFILES",
        SW,
        "Specific inference profiles are "
        "allowed, but foundation models by a wildcard without a bedrock:InferenceProfileArn "
        "condition: any model can be called directly.",
        GEO,
        "name the profiles' foundation models, or condition them on bedrock:InferenceProfileArn",
    ),
    Rule(
        "BEDROCK_WILDCARD_MODEL_GRANT",
        W,
        "An invoke action is allowed on a wildcard over models (foundation-model/*, "
        "inference-profile/*, a pattern of model IDs, or '*'): every model it matches is "
        "granted, including models AWS adds later, with no change to the policy. A WARNING "
        "rather than a SECURITY_WARNING because it is also the documented shape of a grant "
        "chosen on purpose (Port's 'allow all models' option, bedrock-gen's models.allow: all), "
        "which bedrock-gen renders and so must pass its own lint; where nobody chose it, treat "
        "it as a security finding.",
        LEAST,
        "name the models (bedrock-gen's models.allow with a list), or pin the wildcard with "
        "ArnEquals bedrock:InferenceProfileArn on named profiles",
    ),
    Rule(
        "BEDROCK_APPLICATION_PROFILE_WITHOUT_MODELS",
        E,
        "Application inference profiles are allowed, but no foundation model is: a call "
        "through an application profile is also authorized on the foundation model in each "
        "Region it routes to, so every call fails.",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html",
        "allow the foundation models of the profiles' routes, conditioned on "
        "bedrock:InferenceProfileArn (bedrock-gen's application_inference_profiles does)",
    ),
    Rule(
        "BEDROCK_GUARDRAIL_NOT_ON_GUARDRAIL",
        E,
        "bedrock:ApplyGuardrail is allowed only on "
        "resources that are not guardrails, which grants nothing usable.",
        GUARD,
        "allow bedrock:ApplyGuardrail on arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID in a "
        "statement of its own",
    ),
    Rule(
        "BEDROCK_SCP_BLOCKS_ROUTE",
        E,
        "An SCP denies a Region (or the Region-less "
        "evaluation) that a chosen route is served in, so those calls fail at random.",
        GEO,
        "allow the Region in the SCP, or exempt calls through the chosen profiles "
        "(bedrock-gen render writes iam/scp-bedrock-inference.json)",
    ),
    Rule(
        "BEDROCK_MODEL_END_OF_LIFE",
        W,
        "The model is past its end-of-life date, or no longer listed by AWS (per AWS's model "
        "cards and lifecycle pages, as the catalog records them): calls fail.",
        LIFECYCLE,
        "move to the model's successor ('bedrock-gen models' shows each model's lifecycle)",
    ),
    Rule(
        "BEDROCK_PROFILE_ROUTES_UNPUBLISHED",
        W,
        "AWS names this inference profile but publishes no per-source routing table for it, "
        "so whether the policy allows every Region a call may be served in cannot be checked.",
        PROFILES,
        "take the routes from the account ('bedrock-gen catalog fetch', then --catalog)",
    ),
    Rule(
        "MARKETPLACE_SUBSCRIBE_WITHOUT_PRODUCT_ID",
        SW,
        "aws-marketplace:Subscribe is allowed without an aws-marketplace:ProductId condition: "
        "the principal can subscribe the account to any AWS Marketplace product, and its "
        "charges.",
        PRODUCT_IDS,
        "condition the statement on aws-marketplace:ProductId with the models' product IDs "
        "(ForAnyValue:StringEquals; bedrock-gen render does)",
    ),
    Rule(
        "BEDROCK_SCP_BLOCKS_COUNT_TOKENS",
        E,
        "An SCP denies bedrock:CountTokens on a foundation model the config grants it on. "
        "CountTokens takes only the base model ID, so the request never carries "
        "bedrock:InferenceProfileArn: an SCP that denies foundation models unless called "
        "through a profile blocks it.",
        "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html",
        "exempt bedrock:CountTokens from that statement (limit it to bedrock:InvokeModel and "
        "InvokeModelWithResponseStream, as the re:Post example does), or drop "
        "permissions.count_tokens",
    ),
    # -- trust ----------------------------------------------------------------------------------
    Rule(
        "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        E,
        "The trust policy names Principal '*': any principal could assume the role.",
        AA,
        "name the principals that may assume the role",
    ),
    Rule(
        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
        SW,
        "An OIDC provider is trusted with no "
        "condition on its claims: any identity it issues (any pod of an EKS cluster) can "
        "assume the role.",
        AA,
        "add StringEquals on ISSUER:sub (system:serviceaccount:NS:NAME) and ISSUER:aud",
    ),
    Rule(
        "TRUST_OIDC_WITHOUT_SUB",
        SW,
        "An OIDC provider is trusted without a condition on its "
        "':sub' claim: every service account of the cluster can assume the role.",
        IRSA,
        "add StringEquals ISSUER:sub = system:serviceaccount:NAMESPACE:NAME",
    ),
    Rule(
        "TRUST_OIDC_WITHOUT_AUD",
        W,
        "An OIDC provider is trusted without a condition on its "
        "':aud' claim, which AWS's IRSA trust policy sets to sts.amazonaws.com.",
        IRSA,
        "add StringEquals ISSUER:aud = sts.amazonaws.com",
    ),
    Rule(
        "TRUST_OIDC_WILDCARD_SUBJECT",
        SW,
        "An OIDC ':sub' condition matches by wildcard: it trusts every service account it matches.",
        IRSA,
        "name each service account",
    ),
    Rule(
        "MISMATCHED_ACTION_FOR_PRINCIPAL",
        E,
        "A Federated principal is trusted with an "
        "action it cannot use (OIDC needs sts:AssumeRoleWithWebIdentity).",
        AA,
        "use sts:AssumeRoleWithWebIdentity for OIDC providers",
    ),
    Rule(
        "TRUST_POD_IDENTITY_UNSCOPED",
        SW,
        "pods.eks.amazonaws.com is trusted without "
        "conditions on the kubernetes-namespace and kubernetes-service-account session tags "
        "(or matches them by wildcard): any Pod Identity association in the account can "
        "assume the role.",
        POD_ID,
        "add StringEquals on aws:RequestTag/eks-cluster-arn, "
        "aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account",
    ),
    Rule(
        "TRUST_POD_IDENTITY_ANY_CLUSTER",
        W,
        "pods.eks.amazonaws.com is trusted for a "
        "namespace and service account without aws:RequestTag/eks-cluster-arn: the same names "
        "in any other cluster of the account can assume the role.",
        POD_ID,
        "add StringEquals aws:RequestTag/eks-cluster-arn = arn:aws:eks:REGION:ACCOUNT:cluster/NAME",
    ),
    Rule(
        "TRUST_POD_IDENTITY_WITHOUT_TAG_SESSION",
        E,
        "pods.eks.amazonaws.com is trusted "
        "without sts:TagSession, which EKS Pod Identity needs to tag the session.",
        POD_ID,
        'add "sts:TagSession" to Action',
    ),
    Rule(
        "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
        SW,
        "A service principal is trusted without "
        "aws:SourceAccount or aws:SourceArn where AWS recommends them against the confused "
        "deputy (an ECS task role).",
        DEPUTY,
        'add "Condition": {"StringEquals": '
        '{"aws:SourceAccount": "ACCOUNT"}, "ArnLike": {"aws:SourceArn": '
        '"arn:aws:ecs:*:ACCOUNT:*"}}',
    ),
    Rule(
        "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID",
        W,
        "An AWS principal may assume the role without an sts:ExternalId condition.",
        EXTID,
        'add "Condition": {"StringEquals": {"sts:ExternalId": "..."}}',
    ),
    Rule(
        "TRUST_EXTERNAL_ID_WHITESPACE",
        E,
        "The sts:ExternalId value has white space at "
        "either end; the gateway's value must match character for character.",
        EXTID,
        "remove the white space (and from the gateway's secret)",
    ),
    Rule(
        "TRUST_EXTERNAL_ID_INVALID",
        E,
        "The sts:ExternalId value breaks STS's rules "
        "(2-1224 characters of letters, digits and +=,.@:/_-).",
        EXTID,
        "use a valid external ID",
    ),
    Rule(
        "TRUST_EXTERNAL_ID_PLACEHOLDER",
        SW,
        "The sts:ExternalId value is a placeholder such "
        "as <OPTIONAL_EXTERNAL_ID>, copied from documentation: it protects nothing.",
        EXTID,
        "generate a real external ID and store it in the gateway",
    ),
    # -- SCPs -----------------------------------------------------------------------------------
    Rule(
        "SCP_SYNTAX_ERROR_ACTION_WILDCARD",
        E,
        "An SCP action has a wildcard that is not at the end.",
        AA,
        "put * only at the end of an SCP action",
    ),
    Rule(
        "SCP_SYNTAX_ERROR_PRINCIPAL",
        E,
        "An SCP has Principal or NotPrincipal.",
        SCP,
        "remove it: an SCP applies to the accounts it is attached to",
    ),
    # -- element types (Access Analyzer; IAM refuses these when the policy is saved) ------------
    Rule(
        "INVALID_PRINCIPAL_FORMAT",
        E,
        "Principal is a string other than '*', or an empty object.",
        AA,
        'name the principal in an object, like {"AWS": "arn:aws:iam::111122223333:root"}',
    ),
    Rule(
        "INVALID_PRINCIPAL_KEY",
        E,
        "Principal has a key other than AWS, Federated, Service or CanonicalUser.",
        AA,
        "use AWS, Federated, Service or CanonicalUser",
    ),
    # -- added for safe defaults (guardrail enforcement, Bedrock API keys) -----------------------
    Rule(
        "BEDROCK_INVOKE_WITHOUT_GUARDRAIL",
        S,
        "bedrock:InvokeModel or InvokeModelWithResponseStream is allowed without a "
        "bedrock:GuardrailIdentifier condition: calls need not apply a guardrail (CSPM scanners "
        "such as Datadog's flag this).",
        GUARD_ID,
        "enforce a guardrail: Allow with ArnEquals bedrock:GuardrailIdentifier = GUARDRAIL_ARN:N "
        "and Deny without it (bedrock-gen: guardrails: [{arn, version, enforce: true}])",
    ),
    Rule(
        "BEDROCK_BEARER_TOKEN_UNRESTRICTED",
        W,
        "bedrock:CallWithBearerToken (or bedrock-mantle's) is allowed without "
        "bedrock:BearerTokenType = SHORT_TERM: long-term Bedrock API keys, which do not expire "
        "with a session, may call Bedrock.",
        API_KEYS,
        'add "Condition": {"StringEquals": {"bedrock:BearerTokenType": "SHORT_TERM"}}, or '
        "deny the action",
    ),
)

# Codes of earlier bedrock-gen releases: still accepted by --ignore and lint.ignore.
ALIASES: dict[str, str] = {
    "JSON_SYNTAX": "JSON_SYNTAX_ERROR",
    "INVALID_ELEMENT": "INVALID_POLICY_ELEMENT",
    "DUPLICATE_SID": "UNIQUE_SIDS_REQUIRED",
    "INVALID_SID": "UNSUPPORTED_SID",
    "UNSUPPORTED_RESOURCE_IN_TRUST_POLICY": "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
    "POLICY_SIZE_EXCEEDED": "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
    "TRUST_WILDCARD_PRINCIPAL": "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
}


def canonical(code: str) -> str | None:
    """The current code for ``code`` (case-insensitive, aliases followed), or None."""
    upper = code.upper()
    upper = ALIASES.get(upper, upper)
    return upper if upper in RULES else None


def known_codes() -> list[str]:
    return [*RULES, *ALIASES]


def expand_ignored(codes: Iterable[str]) -> frozenset[str]:
    """Codes to silence, aliases resolved (``POLICY_SIZE_EXCEEDED`` silences both sizes)."""
    out = set()
    for code in codes:
        upper = code.upper()
        if upper == "POLICY_SIZE_EXCEEDED":
            out |= {
                "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
            }
        found = canonical(upper)
        if found is not None:
            out.add(found)
    return frozenset(out)


def table() -> list[dict[str, str]]:
    return [
        {
            "code": r.code,
            "type": r.severity.finding_type,
            "description": r.description,
            "source": r.source,
            "fix": r.hint,
        }
        for r in RULES.values()
    ]
