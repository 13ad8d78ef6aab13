"""Fixtures for the deploy engine on moto's server (``tests/aws.py``), emptied after every test.

Credentials are fake and set for every test here, so no call can reach a real account.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.polling import Polling
from service_contract.targets import AwsClients, Target
from tests.aws import ACCOUNT, FAKE_CREDENTIALS, REGION, Aws

__all__ = ["ACCOUNT", "FAKE_CREDENTIALS", "REGION", "Aws"]


@pytest.fixture(autouse=True)
def fake_credentials(fake_credentials: None) -> None:
    """Every test here: fake credentials (``tests/aws.py``)."""


@pytest.fixture(autouse=True)
def fresh_moto(fresh_moto: None) -> Iterator[None]:
    """Every test here leaves moto empty (``tests/aws.py``)."""
    yield


@pytest.fixture
def target(moto_url: str) -> Target:
    """moto's default account, reached without a deploy role."""
    return Target(account=ACCOUNT, region=REGION, endpoint_url=moto_url)


@pytest.fixture
def clients() -> AwsClients:
    """Client factory with few retries, so failures show quickly."""
    return AwsClients(max_attempts=2, connect_timeout=2, read_timeout=30)


@pytest.fixture
def engine(clients: AwsClients) -> DeployEngine:
    """The engine, polling fast (moto is ready at once)."""
    return DeployEngine(clients, polling=Polling(timeout_seconds=10, first_interval=0.05))
