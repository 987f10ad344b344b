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
from bedrock_gen.catalog.overlay import Overlay
from bedrock_gen.diagnostics import error
from bedrock_gen.errors import CatalogError
from bedrock_gen.output.manifest import digest

ClientFactory = Callable[[str], Any]  # Region -> a boto3 "bedrock" client


def _fail(message: str, where: str = "catalog fetch") -> CatalogError:
    """One line, placed at the Region that answered (or at the command itself)."""
    return CatalogError([error("catalog-fetch", " ".join(message.split()), where)])


def boto3_clients(profile: str | None = None) -> ClientFactory:
    """A factory of Bedrock clients from the usual credential chain (or ``profile``);
    ``CatalogError`` with one line when boto3 or credentials are missing."""
    import importlib

    try:
        boto3: Any = importlib.import_module("boto3")  # the optional extra: untyped, lazy
    except ImportError:
        raise _fail("catalog fetch needs boto3: pip install 'bedrock-gen[aws]'") from None
    try:
        session = boto3.Session(profile_name=profile)
        credentials = session.get_credentials()
    except Exception as exc:  # botocore.exceptions.ProfileNotFound and friends
        raise _fail(f"cannot start an AWS session: {type(exc).__name__}: {exc}") from None
    if credentials is None:
        raise _fail(NO_CREDENTIALS)
    return lambda region: session.client("bedrock", region_name=region)


NO_CREDENTIALS = (
    "no AWS credentials found: set AWS_PROFILE (or pass --profile), or "
    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is "
    "available; the calls need bedrock:ListInferenceProfiles and "
    "bedrock:ListFoundationModels"
)


def _explain(exc: Exception, region: str) -> CatalogError:
    """One line for what AWS or botocore said."""
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        code, message = err.get("Code", name), err.get("Message", str(exc))
        if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
            return _fail(
                f"access denied ({message}); the caller needs "
                "bedrock:ListInferenceProfiles and bedrock:ListFoundationModels",
                region,
            )
        if code in (
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "ExpiredTokenException",
            "ExpiredToken",
            "InvalidSignatureException",
        ):
            return _fail(f"the AWS credentials were refused ({code}); refresh them", region)
        return _fail(f"{code}: {message}", region)
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return _fail(NO_CREDENTIALS)
    if name in (
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ConnectionClosedError",
        "UnknownEndpointError",
    ):
        return _fail(
            f"cannot reach Amazon Bedrock there ({exc}); is the Region enabled for "
            "the account and does it offer Bedrock?",
            region,
        )
    return _fail(f"{name}: {exc}", region)


def fetch_region(client: Any) -> list[dict[str, Any]]:
    """The API outputs of one Region, shaped as the AWS CLI prints them: every page of
    system-defined profiles in one listing (so it is complete), and the foundation models."""
    profiles: list[dict[str, Any]] = []
    paginator = client.get_paginator("list_inference_profiles")
    for page in paginator.paginate(typeEquals="SYSTEM_DEFINED"):
        profiles.extend(page.get("inferenceProfileSummaries", []))
    models = client.list_foundation_models()
    return [
        {"inferenceProfileSummaries": profiles},
        {"modelSummaries": models.get("modelSummaries", [])},
    ]


def fetch(
    regions: Iterable[str], clients: ClientFactory, save_raw: Path | None = None
) -> tuple[Overlay, list[str]]:
    """An overlay (and notes) from live calls in each Region; with ``save_raw``, the outputs
    are also kept there (``REGION.json``) for review or a later ``catalog import``. (Fetch
    knows which Region it asked, so an empty listing still says "nothing here"; a saved file
    with an empty listing names no Region, so importing it cannot say that.)

    Nothing is written (not even raw outputs) unless every Region answered.
    """
    facts = []
    inputs = []
    texts: dict[str, str] = {}
    for region in dict.fromkeys(regions):
        try:
            outputs = fetch_region(clients(region))
        except CatalogError:
            raise
        except Exception as exc:  # botocore's exceptions, without importing botocore
            raise _explain(exc, region) from None
        text = json.dumps(outputs, indent=2, default=str, sort_keys=True) + "\n"
        name = f"{region}.json"
        facts.append(aws_outputs.read_text(text, f"{region} (API)", region))
        inputs.append(
            {
                "file": name,
                "sha256": digest(text.encode()),
                "kind": "list-foundation-models,list-inference-profiles",
            }
        )
        texts[name] = text
    if save_raw is not None:
        from bedrock_gen.output.write import write_atomic

        save_raw.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            write_atomic(save_raw / name, text.encode())
    return from_facts(facts, tuple(inputs))
