"""Deployments fixtures: the stacks' published versions, recording dispatcher and requester."""

from __future__ import annotations

from tests.cdk_service.stacks.conftest import (  # noqa: F401 - fixtures reused
    catalog,
    dispatcher,
    requester,
)
