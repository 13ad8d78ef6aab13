"""Every test here talks to moto's server with fake credentials, and leaves it empty."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
    """Fake credentials for every test here; moto emptied after each (``tests/aws.py``)."""
