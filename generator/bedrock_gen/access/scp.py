"""Organization SCPs and cross-Region inference: the statements an admin adds so that exactly
the chosen routes work, and which routes an existing SCP would block.

AWS (Bedrock user guide, geographic and global cross-Region inference): a Region-deny SCP must
allow every destination Region of a geographic profile's source, or calls fail at random even
though the source Region is allowed; a global profile is served in any commercial Region and
authorized on the Region-less model ARN with ``aws:RequestedRegion`` = ``unspecified``, and a
deny that exempts requests carrying ``bedrock:InferenceProfileArn`` cannot bypass the Region
restriction on the originating call. So the generated statement denies Bedrock outside the
allowed Regions except for evaluations made through the chosen global profiles, and with
``organization.exempt_profiles`` through the chosen geographic profiles too (the re:Post
Knowledge Center's "bedrock-access-denied-exception" and AWS's "Securing Amazon Bedrock
cross-Region inference" use the same ``bedrock:InferenceProfileArn`` exemption); without it,
validation refuses geographic routes that leave the allowed Regions.

A second statement denies Bedrock API keys organization-wide, as AWS's example SCPs do
(aws-samples/service-control-policy-examples, Service-specific-controls/Amazon-Bedrock:
"Deny-Bedrock-api-keys" denies creating Bedrock service-specific credentials and both
``CallWithBearerToken`` actions; "Deny-Bedrock-long-term-api-keys" only long-term keys, for
``permissions.bearer_tokens: short_term``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from bedrock_gen.catalog.routes import Route
from bedrock_gen.iam.bedrock import PROFILE_KEY, REQUESTED_REGION, UNSPECIFIED, fm_arn
from bedrock_gen.iam.evaluate import Evaluator, Policy, Request

SCP_FILE = "scp-bedrock-inference.json"
SID = "DenyBedrockOutsideAllowedRegionsExceptChosenGlobalProfiles"
SID_EXEMPT = "DenyBedrockOutsideAllowedRegionsExceptChosenProfiles"
SID_KEYS = "DenyBedrockApiKeys"
SID_LONG_TERM_KEYS = "DenyLongTermBedrockApiKeys"
INVOKE = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


def document(
    allowed: Sequence[str],
    routes: Iterable[Route],
    partition: str,
    exempt_geographic: bool = False,
    bearer_tokens: str = "deny",
    application_profiles: Iterable[str] = (),
) -> dict[str, Any]:
    """The SCP statements: Bedrock outside the allowed Regions, except evaluations through
    the chosen global profiles (and geographic ones, with ``exempt_geographic``), and through
    ``application_profiles`` (patterns of application inference profiles, whose foundation-model
    evaluations carry their own ARN); Bedrock API keys."""
    exempt = sorted(
        {
            f"arn:{partition}:bedrock:*:*:inference-profile/{r.profile_id}"
            for r in routes
            if r.profile_id and (r.is_global or exempt_geographic)
        }
        | set(application_profiles)
    )
    condition: dict[str, Any] = {"StringNotEquals": {REQUESTED_REGION: sorted(allowed)}}
    if exempt:
        condition["ArnNotLike"] = {PROFILE_KEY: exempt}
    regions = {
        "Sid": SID_EXEMPT if exempt_geographic else SID,
        "Effect": "Deny",
        "Action": "bedrock:*",
        "Resource": "*",
        "Condition": dict(sorted(condition.items())),
    }
    return {"Version": "2012-10-17", "Statement": [regions, *api_key_statements(bearer_tokens)]}


def api_key_statements(bearer_tokens: str) -> list[dict[str, Any]]:
    """AWS's example SCPs for Bedrock API keys (see the module docstring)."""
    if bearer_tokens == "short_term":
        return [
            {
                "Sid": SID_LONG_TERM_KEYS,
                "Effect": "Deny",
                "Action": "bedrock:CallWithBearerToken",
                "Resource": "*",
                "Condition": {"StringEquals": {"bedrock:BearerTokenType": "LONG_TERM"}},
            },
            {
                "Sid": SID_LONG_TERM_KEYS + "Mantle",
                "Effect": "Deny",
                "Action": "bedrock-mantle:CallWithBearerToken",
                "Resource": "*",
                "Condition": {"StringEquals": {"bedrock-mantle:BearerTokenType": "LONG_TERM"}},
            },
        ]
    return [
        {
            "Sid": SID_KEYS + "Creation",
            "Effect": "Deny",
            "Action": "iam:CreateServiceSpecificCredential",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com"
                }
            },
        },
        {
            "Sid": SID_KEYS,
            "Effect": "Deny",
            "Action": ["bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken"],
            "Resource": "*",
        },
    ]


class Evaluation(NamedTuple):
    """One authorization Bedrock makes for a call along a route."""

    action: str
    resource: str
    region: str  # aws:RequestedRegion
    profile: str | None  # bedrock:InferenceProfileArn


def evaluations(route: Route, partition: str, account: str) -> list[Evaluation]:
    """What Bedrock authorizes for one call along ``route`` (InvokeModel)."""
    action = INVOKE[0]
    if route.geography is None:
        return [
            Evaluation(action, fm_arn(partition, route.source, route.model), route.source, None)
        ]
    parn = f"arn:{partition}:bedrock:{route.source}:{account}:inference-profile/{route.profile_id}"
    out = [Evaluation(action, parn, route.source, None)]
    served = [route.source, ""] if route.is_global else list(route.destinations)
    out += [
        Evaluation(action, fm_arn(partition, d, route.model), d or UNSPECIFIED, parn)
        for d in served
    ]
    return out


class Blocked(NamedTuple):
    route: Route
    evaluation: Evaluation
    reason: str


def blocked_routes(
    scp: Policy, routes: Iterable[Route], partition: str, account: str
) -> list[Blocked]:
    """Every evaluation of every route the SCP denies, and why (not only the first: a
    reviewer sees each Region a route would fail in, in one run)."""
    # The identity is taken to allow everything: the question is only what the SCP denies.
    everything = Policy(
        "(the gateway's own policies)",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    )
    policies = [scp._replace(kind="scp"), everything]
    ev = Evaluator(policies)
    out = []
    for route in routes:
        for e in evaluations(route, partition, account):
            ctx = {REQUESTED_REGION: [e.region], "aws:SecureTransport": ["true"]}
            if e.profile is not None:
                ctx[PROFILE_KEY] = [e.profile]
            if not ev.allowed(Request(e.action, e.resource, ctx)):
                from bedrock_gen.iam.evaluate import evaluate

                decision = evaluate(policies, Request(e.action, e.resource, ctx))
                out.append(Blocked(route, e, decision.reason))
    return out
