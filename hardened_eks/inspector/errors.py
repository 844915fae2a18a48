"""Inspector and EC2 API calls with errors turned into messages a user can act on.

Throttling is retried by botocore itself (`retry_config`); everything else becomes InspectorError.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

# Adaptive mode retries throttling with backoff and also rate-limits the client when AWS pushes back.
RETRY_CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 10})


class InspectorError(RuntimeError):
    """Something the user must fix (or wait for) before Inspector results can be collected."""


def _explain(error: ClientError, client: Any, operation: str) -> str:
    region = client.meta.region_name
    action = f"{client.meta.service_model.signing_name}:{client.meta.method_to_api_mapping.get(operation, operation)}"
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    if "not enabled" in message.lower():
        return (f"Amazon Inspector is not enabled in {region} ({operation}: {message}); enable it for EC2 "
                "(set hardened-eks:enableInspector: true, or ask whoever manages Inspector for your organization)")
    if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
        return (f"missing permission {action} in {region}: {message or code}; "
                f"grant it to the role running the pipeline")
    if code == "ResourceNotFoundException":
        return f"{action} in {region}: {message or code} (was it deleted outside this stack?)"
    return f"{action} in {region} failed: {code}: {message}"


def call(client: Any, operation: str, **kwargs: Any) -> dict:
    """One API call; a failure becomes an InspectorError naming the call and what to do."""
    try:
        return getattr(client, operation)(**kwargs)
    except ClientError as error:
        raise InspectorError(_explain(error, client, operation)) from error
    except NoCredentialsError as error:
        raise InspectorError(f"{operation}: no AWS credentials; configure a profile or assume a role") from error
    except BotoCoreError as error:
        raise InspectorError(f"{operation} in {client.meta.region_name} failed: {error}") from error


def paginate(client: Any, operation: str, result_key: str, **kwargs: Any) -> Iterator[dict]:
    """Every item of a paginated call, across all pages."""
    try:
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(result_key, [])
    except ClientError as error:
        raise InspectorError(_explain(error, client, operation)) from error
    except NoCredentialsError as error:
        raise InspectorError(f"{operation}: no AWS credentials; configure a profile or assume a role") from error
    except BotoCoreError as error:
        raise InspectorError(f"{operation} in {client.meta.region_name} failed: {error}") from error
