"""AWS calls' errors: the one place botocore exceptions become DATAHUB errors (for the
CloudFormation engine and the Lambdas that call AWS alike)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable
from botocore.parsers import ResponseParserError

from service_contract.errors import Conflict, DatahubError, InvalidInput, NotFound, UpstreamFailure

TRANSIENT_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalFailure",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)
NOT_FOUND_CODES = frozenset(
    {"ChangeSetNotFound", "ChangeSetNotFoundException", "404", "NoSuchKey", "NoSuchBucket"}
)
CONFLICT_CODES = frozenset(
    {
        "AlreadyExistsException",
        "InvalidChangeSetStatus",
        "InvalidChangeSetStatusException",
        "OperationInProgressException",
        "TokenAlreadyExistsException",
    }
)
# CloudFormation reports every bad template or parameter as a ValidationError; these
# openings tell them apart from "stack does not exist" and "stack is busy".
TEMPLATE_ERROR_MARKERS = (
    "Template format error",
    "Template error",
    "Template Validation Error",
    "Unresolved resource dependencies",
    "Unrecognized resource types",
    "Invalid template",
    "Parameters: [",
    "Missing parameter",
    "Parameter '",
)
BUSY_MARKERS = ("_IN_PROGRESS state", "can not be updated", "cannot be executed in its current")


class TransientAwsError(UpstreamFailure):
    """AWS was throttling, slow, unreachable or failing on its side: retry the same step later."""

    code = "aws_transient"


class NotReady(TransientAwsError):
    """CloudFormation is still working past the deadline: retry the same step later."""

    code = "aws_not_ready"


def aws_call(client: Any, operation: str, /, **arguments: Any) -> dict[str, Any]:
    """Call one AWS operation; every botocore failure comes out as a DATAHUB error."""
    try:
        response: dict[str, Any] = getattr(client, operation)(**arguments)
    except (ClientError, BotoCoreError, ResponseParserError) as error:
        raise translated(error, operation) from error
    return response


def aws_pages(
    client: Any, operation: str, result_key: str, /, **arguments: Any
) -> Iterator[dict[str, Any]]:
    """The items of a paginated AWS listing, page by page, so callers may stop early."""
    token: str | None = None
    while True:
        page = aws_call(client, operation, **arguments, **({"NextToken": token} if token else {}))
        yield from page.get(result_key) or []
        token = page.get("NextToken")
        if not token:
            return


def translated(error: Exception, operation: str) -> DatahubError:
    """The DATAHUB error for a botocore failure of one operation."""
    if isinstance(error, ClientError):
        return from_client_error(error)
    details = {"operation": operation}
    if isinstance(error, EndpointUnreachable | HTTPClientError):
        return TransientAwsError(f"could not reach AWS for {operation}: {error}", details=details)
    if isinstance(error, ResponseParserError):
        return UpstreamFailure(
            f"the AWS endpoint answered {operation} with something that is not an AWS "
            f"response (an emulator crash or a proxy error page): {str(error)[:300]}",
            code="aws_bad_response",
            details=details,
        )
    return UpstreamFailure(f"{operation} failed: {error}", code="aws_error", details=details)


def from_client_error(error: ClientError) -> DatahubError:
    """The DATAHUB error for an AWS error response."""
    aws_code = str(error.response.get("Error", {}).get("Code", "Unknown"))
    aws_message = str(error.response.get("Error", {}).get("Message", ""))
    http_status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    details = {"aws_code": aws_code, "operation": error.operation_name}
    message = f"{error.operation_name} failed: {aws_code}: {aws_message}"
    if aws_code in TRANSIENT_CODES or http_status >= 500:
        return TransientAwsError(message, details=details)
    if aws_code == "ValidationError" and is_template_error(aws_message):
        return InvalidInput(aws_message, code="template_invalid", details=details)
    if aws_code in NOT_FOUND_CODES or _says(aws_message, ("does not exist",)):
        return NotFound(message, code="aws_not_found", details=details)
    if aws_code in CONFLICT_CODES or _says(aws_message, BUSY_MARKERS):
        return Conflict(message, code="aws_conflict", details=details)
    return UpstreamFailure(message, code="aws_error", details=details)


def is_template_error(message: str) -> bool:
    """Whether a CloudFormation message is about the template or its parameters."""
    return _says(message, TEMPLATE_ERROR_MARKERS)


def _says(message: str, markers: tuple[str, ...]) -> bool:
    return any(marker in message for marker in markers)
