"""``bedrock-gen catalog fetch``: ask a live account, Region by Region, what ``catalog import``
reads from saved files.

Calls per Region: ``ListInferenceProfiles(typeEquals=SYSTEM_DEFINED)`` through its paginator
(the AWS CLI lists only system-defined profiles unless told otherwise; the API should be told)
and ``ListFoundationModels`` (not paginated). Needs ``bedrock:ListInferenceProfiles`` and
``bedrock:ListFoundationModels`` on ``*``. boto3 is an optional extra
(``pip install 'bedrock-gen[aws]'``), imported only here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bedrock_gen.catalog import aws_outputs
from bedrock_gen.catalog.importer import from_facts
from bedrock_gen.catalog.overlay import Overlay, sha256
from bedrock_gen.diagnostics import error
from bedrock_gen.errors import CatalogError
from bedrock_gen.load.json_source import loads

ClientFactory = Callable[[str], Any]  # Region -> a boto3 "bedrock" client


def _fail(message: str) -> CatalogError:
    return CatalogError([error("catalog-fetch", message)])


def boto3_clients(profile: str | None = None) -> ClientFactory:
    try:
        import boto3
    except ImportError:
        raise _fail("catalog fetch needs boto3: pip install 'bedrock-gen[aws]'") from None
    try:
        session = boto3.Session(profile_name=profile)
    except Exception as exc:  # botocore.exceptions.ProfileNotFound and friends
        raise _fail(f"cannot start an AWS session: {exc}") from None
    if session.get_credentials() is None:
        raise _fail("no AWS credentials found: set AWS_PROFILE (or pass --profile), or "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is "
                    "available; the calls need bedrock:ListInferenceProfiles and "
                    "bedrock:ListFoundationModels")
    return lambda region: session.client("bedrock", region_name=region)


def _explain(exc: Exception, region: str) -> CatalogError:
    """One line for what AWS or botocore said."""
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        code, message = err.get("Code", name), err.get("Message", str(exc))
        if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
            return _fail(f"{region}: access denied ({message}); the caller needs "
                         "bedrock:ListInferenceProfiles and bedrock:ListFoundationModels")
        if code in ("UnrecognizedClientException", "InvalidClientTokenId",
                    "ExpiredTokenException", "ExpiredToken"):
            return _fail(f"{region}: the AWS credentials were refused ({code}); refresh them")
        return _fail(f"{region}: {code}: {message}")
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return _fail("no usable AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                     "AWS_SECRET_ACCESS_KEY")
    if name in ("EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError"):
        return _fail(f"{region}: cannot reach Amazon Bedrock there ({exc}); is the Region "
                     "enabled for the account and does it offer Bedrock?")
    return _fail(f"{region}: {name}: {exc}")


def fetch_region(client: Any, region: str) -> list[dict[str, Any]]:
    """The API outputs of one Region, shaped as the AWS CLI prints them."""
    profiles: list[dict[str, Any]] = []
    paginator = client.get_paginator("list_inference_profiles")
    for page in paginator.paginate(typeEquals="SYSTEM_DEFINED"):
        profiles.extend(page.get("inferenceProfileSummaries", []))
    models = client.list_foundation_models()
    return [{"inferenceProfileSummaries": profiles},
            {"modelSummaries": models.get("modelSummaries", [])}]


def fetch(regions: Iterable[str], clients: ClientFactory,
          save_raw: Path | None = None) -> Overlay:
    """An overlay from live calls in each Region; with ``save_raw``, the outputs are also
    kept there (``REGION.json``) for review or a later ``catalog import``."""
    facts = []
    inputs = []
    for region in regions:
        try:
            outputs = fetch_region(clients(region), region)
        except CatalogError:
            raise
        except Exception as exc:  # botocore's exceptions, without importing botocore
            raise _explain(exc, region) from None
        text = json.dumps(outputs, indent=2, default=str, sort_keys=True) + "\n"
        name = f"{region}.json"
        facts.append(aws_outputs.read(loads(text, f"{region} (API)")))
        inputs.append({"file": name, "sha256": sha256(text.encode()),
                       "kind": "list-inference-profiles,list-foundation-models"})
        if save_raw is not None:
            save_raw.mkdir(parents=True, exist_ok=True)
            (save_raw / name).write_text(text, encoding="utf-8")
    return from_facts(facts, tuple(inputs))
