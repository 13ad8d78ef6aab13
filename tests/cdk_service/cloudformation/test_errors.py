"""How AWS errors become DATAHUB errors."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from service_contract.aws_errors import from_client_error


def aws_error(code: str, message: str = "", status: int = 400) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "CreateChangeSet")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (aws_error("Throttling", "Rate exceeded"), "aws_transient"),
        (aws_error("InternalFailure", status=500), "aws_transient"),
        (aws_error("SomethingNew", status=503), "aws_transient"),
        (
            aws_error("ValidationError", "Template format error: JSON not well-formed."),
            "template_invalid",
        ),
        (
            aws_error("ValidationError", "Parameters: [Retention] must have values"),
            "template_invalid",
        ),
        (aws_error("ValidationError", "Stack with id nope does not exist"), "aws_not_found"),
        (aws_error("ChangeSetNotFound", "ChangeSet [x] does not exist"), "aws_not_found"),
        (
            aws_error(
                "ValidationError", "Stack:s is in UPDATE_IN_PROGRESS state and can not be updated."
            ),
            "aws_conflict",
        ),
        (aws_error("InsufficientCapabilitiesException", "Requires capabilities"), "aws_error"),
        (aws_error("AccessDenied", "not authorized"), "aws_error"),
    ],
)
def test_aws_errors_get_stable_codes(error: ClientError, code: str) -> None:
    translated = from_client_error(error)

    assert translated.code == code
    assert translated.details["operation"] == "CreateChangeSet"
