"""Worker fixtures: moto server and the stacks' requester reused, and a fake synthesizer.

The synthesizer is fake because the built-in templates, as synthesized, tag their KMS keys and
SSM parameters, which moto's server crashes on; it hands back hand-written templates of
resources moto really creates (``tests/cdk_service/cloudformation/templates.py``).
"""

from __future__ import annotations

import pytest

from cdk_service.settings import Settings
from tests.cdk_service.cloudformation.conftest import (  # noqa: F401 - fixtures reused
    clients,
    engine,
    fake_credentials,
    fresh_moto,
)
from tests.cdk_service.jobs.fakes import FakeSynthesizer
from tests.cdk_service.stacks.conftest import (  # noqa: F401 - fixtures reused
    catalog,
    dispatcher,
    requester,
)


@pytest.fixture
def synthesizer() -> FakeSynthesizer:
    """The workspace template (bucket, queues, topic, key, role, parameter)."""
    return FakeSynthesizer()


@pytest.fixture
def settings(moto_url: str, db: str) -> Settings:
    """Settings for a worker on the test database and moto, with a short lease."""
    return Settings(database_url=db, aws_endpoint_url=moto_url, worker_lease_seconds=30)
