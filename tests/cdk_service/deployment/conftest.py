"""Fixtures for the deploy engine: moto's server on loopback, emptied after every test.

Credentials are fake and set for every test here, so no call can reach a real account.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from cdk_service.deployment.engine import DeployEngine
from cdk_service.deployment.polling import Polling
from cdk_service.deployment.target import AwsClients, Target

ACCOUNT = "123456789012"  # moto's default account: where the fake credentials land
REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """moto's server on a free loopback port, for the whole run."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake AWS credentials and no profile, whatever the machine has."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(autouse=True)
def fresh_moto(moto_url: str) -> Iterator[None]:
    """Each test starts with empty AWS accounts."""
    yield
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


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


class Aws:
    """Plain boto3 clients on moto, independent of the engine, to check what really exists."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def __call__(self, service: str, **credentials: Any) -> Any:
        session = boto3.Session(**credentials) if credentials else boto3.Session()
        return session.client(service, region_name=REGION, endpoint_url=self.endpoint_url)


@pytest.fixture
def aws(moto_url: str) -> Aws:
    """Clients to check what moto really created."""
    return Aws(moto_url)
