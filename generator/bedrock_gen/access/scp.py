"""Organization SCPs and cross-Region inference: the statements an admin adds so that exactly
the chosen routes work, and which routes an existing SCP would block.

AWS (Bedrock user guide, geographic and global cross-Region inference): a Region-deny SCP must
allow every destination Region of a geographic profile's source, or calls fail at random even
though the source Region is allowed; a global profile is served in any commercial Region and
authorized on the Region-less model ARN with ``aws:RequestedRegion`` = ``unspecified``, and a
deny that exempts requests carrying ``bedrock:InferenceProfileArn`` cannot bypass the Region
restriction on the originating call. So the generated statement denies Bedrock outside the
allowed Regions except for evaluations made through the chosen global profiles; validation
already refuses geographic routes that leave the allowed Regions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from bedrock_gen.catalog.routes import Route
from bedrock_gen.iam.bedrock import PROFILE_KEY, REQUESTED_REGION, UNSPECIFIED, fm_arn
from bedrock_gen.iam.evaluate import Evaluator, Policy, Request

SCP_FILE = "scp-bedrock-inference.json"
SID = "DenyBedrockOutsideAllowedRegionsExceptChosenGlobalProfiles"
INVOKE = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


def document(allowed: Sequence[str], routes: Iterable[Route], partition: str) -> dict[str, Any]:
    """The SCP statement (one), exempting evaluations through the chosen global profiles."""
    exempt = sorted(
        {
            f"arn:{partition}:bedrock:*:*:inference-profile/{r.profile_id}"
            for r in routes
            if r.is_global and r.profile_id
        }
    )
    condition: dict[str, Any] = {"StringNotEquals": {REQUESTED_REGION: sorted(allowed)}}
    if exempt:
        condition["ArnNotLike"] = {PROFILE_KEY: exempt}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": SID,
                "Effect": "Deny",
                "Action": "bedrock:*",
                "Resource": "*",
                "Condition": dict(sorted(condition.items())),
            }
        ],
    }


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
    """Routes the SCP denies, with the first evaluation it denies and why."""
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
                break
    return out
