"""The AWS Worker against moto's server and a real test service."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from api_lambdas.lambda_runtime import lambda_settings
from tests.api_lambdas.service_fixtures import lambda_environment, service

__all__ = ["lambda_environment", "service"]


@pytest.fixture(autouse=True)
def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
    """Fake credentials for every test here; moto emptied after each."""


@pytest.fixture
def worker_environment(
    lambda_environment: None, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The Lambda settings reach moto for AWS and the test service for records."""
    monkeypatch.setenv("DATAHUB_AWS_ENDPOINT_URL", moto_url)
    lambda_settings.cache_clear()
    yield
    lambda_settings.cache_clear()


def sqs_event(*bodies: Any) -> dict[str, Any]:
    """An SQS event as Lambda delivers it; dict bodies are sent as JSON."""
    records = [
        {
            "messageId": f"message-{index}",
            "receiptHandle": uuid.uuid4().hex,
            "body": body if isinstance(body, str) else json.dumps(body),
            "attributes": {"ApproximateReceiveCount": "1"},
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:datahub-aws-worker",
        }
        for index, body in enumerate(bodies)
    ]
    return {"Records": records}
