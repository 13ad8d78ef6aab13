"""The Metadata handler against a real test service, called as IAM principals."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tortoise import Tortoise

from api_lambdas.metadata.handler import handler
from cdk_service.datasets import service as datasets
from cdk_service.datasets.schemas import DatasetRegistration
from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from cdk_service.teams import principals
from cdk_service.teams.principals import GrantCreate
from tests.api_lambdas.service_fixtures import (
    ADMIN,
    ANALYST,
    FINANCE,
    invoke,
    lambda_environment,
    proxy_event,
    service,
)

__all__ = ["lambda_environment", "service"]
INGEST_ROLE = "arn:aws:iam::210987654321:role/ingest"
INGEST_SESSION = "arn:aws:sts::210987654321:assumed-role/ingest/nightly-load"
BILLING_ROLE = "arn:aws:iam::210987654321:role/billing"
STRANGER_ROLE = "arn:aws:iam::210987654321:role/stranger"
Ask = Callable[..., Awaitable[tuple[int, Any]]]


def iam_identity(arn: str | None) -> dict[str, str | None]:
    """What API Gateway puts in ``requestContext.identity`` for a SigV4-signed request."""
    parts = (arn or "").split(":")
    account = parts[4] if len(parts) > 4 else None
    return {
        "userArn": arn,
        "accountId": account,
        "caller": "AROAEXAMPLE:session",
        "sourceIp": "10.0.0.1",
    }


@pytest.fixture
def ask(lambda_environment: None) -> Ask:
    """``await ask(principal_arn, query, variables)``: the handler's status and body."""

    async def call(
        arn: str | None, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        body = json.dumps({"query": query, "variables": variables or {}})
        event = proxy_event("POST", body=body, identity=iam_identity(arn), path="/metadata/graphql")
        return await invoke(handler, event)

    return call


@pytest.fixture
async def datasets_of_two_teams(service: Any) -> dict[str, str]:
    """analytics' confidential ``orders`` and finance's internal ``invoices``, indexed; the
    ingest role may write for analytics, the billing role for finance."""
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM search_outbox; DELETE FROM search_documents; DELETE FROM search_terms"
    )
    orders = await datasets.register(
        identity=ANALYST,
        registration=DatasetRegistration(
            team="analytics",
            name="orders",
            location="s3://analytics-orders/data/",
            classification="confidential",
        ),
    )
    invoices = await datasets.register(
        identity=FINANCE,
        registration=DatasetRegistration(
            team="finance",
            name="invoices",
            location="s3://finance-invoices/",
            classification="internal",
        ),
    )
    for arn, team in ((INGEST_ROLE, "analytics"), (BILLING_ROLE, "finance")):
        await principals.grant(identity=ADMIN, request=GrantCreate(principal_arn=arn, team=team))
    await Indexer(backend=PostgresSearch()).drain_once()
    return {"orders": str(orders.id), "invoices": str(invoices.id)}
