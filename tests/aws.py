"""AWS for tests: moto's server on loopback, fake credentials, an emptied account, boto3 checks.

The server is ``datahubctl.local.moto``'s: moto with the compatibility patch that lets the
catalog templates deploy as synthesized (see that module for moto's gaps).

Registered for every test package from ``tests/conftest.py``; nothing here is autouse. A
package that talks to AWS opts in from its conftest, e.g.::

    @pytest.fixture(autouse=True)
    def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
        '''Fake credentials for every test here; moto emptied after each.'''
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from datahubctl.local.moto import MotoServer, moto_server

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
    """moto's server (patched) on a free loopback port, for the whole run."""
    with moto_server() as server:
        yield server.url


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake AWS credentials and no profile, whatever the machine has."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fresh_moto(moto_url: str) -> Iterator[None]:
    """The test leaves moto's accounts empty behind it."""
    yield
    MotoServer(moto_url).reset()


class Aws:
    """Plain boto3 clients on moto, independent of the service, to check what really exists."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def __call__(self, service: str, **credentials: Any) -> Any:
        session = boto3.Session(**credentials) if credentials else boto3.Session()
        return session.client(service, region_name=REGION, endpoint_url=self.endpoint_url)


@pytest.fixture
def aws(moto_url: str) -> Aws:
    """Clients to check what moto really created."""
    return Aws(moto_url)
