"""Amazon Bedrock's resource ARNs, built and read in one place.

Formats (Service Authorization Reference, Amazon Bedrock): a foundation model has no account
(``arn:P:bedrock:REGION::foundation-model/ID``); the Region-less form
``arn:P:bedrock:::foundation-model/ID`` is what AWS evaluates for the serving Region of a
global profile. A system-defined inference profile lives in the caller's account and source
Region (``arn:P:bedrock:REGION:ACCOUNT:inference-profile/GEO.ID``).
"""

from __future__ import annotations

FM = "foundation-model"
PROFILE = "inference-profile"
APP_PROFILE = "application-inference-profile"
GUARDRAIL = "guardrail"
GUARDRAIL_PROFILE = "guardrail-profile"

INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
PROFILE_KEY = "bedrock:InferenceProfileArn"
REQUESTED_REGION = "aws:RequestedRegion"
UNSPECIFIED = "unspecified"  # aws:RequestedRegion of the Region-less foundation-model ARN


def fm_arn(partition: str, region: str, model: str) -> str:
    return f"arn:{partition}:bedrock:{region}::{FM}/{model}"


def profile_arn(partition: str, region: str, account: str, geography: str, model: str) -> str:
    return f"arn:{partition}:bedrock:{region}:{account}:{PROFILE}/{geography}.{model}"


def profile_id(geography: str, model: str) -> str:
    return f"{geography}.{model}"
