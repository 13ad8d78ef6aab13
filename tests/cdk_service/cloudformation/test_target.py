"""Targets and their clients: deploy role, endpoint, and an endpoint that is down."""

from __future__ import annotations

import socket

import pytest
from pydantic import ValidationError

from cdk_service.cloudformation.engine import DeployEngine
from service_contract.aws_errors import TransientAwsError
from service_contract.targets import AwsClients, Target
from tests.cdk_service.cloudformation.conftest import REGION

ROLE = "arn:aws:iam::210987654321:role/datahub-deploy"


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_calls_go_through_the_deploy_role(clients: AwsClients, moto_url: str) -> None:
    target = Target(
        account="210987654321", region=REGION, deploy_role_arn=ROLE, endpoint_url=moto_url
    )

    identity = clients.client(target, "sts").get_caller_identity()

    assert identity["Account"] == "210987654321"
    assert ":assumed-role/datahub-deploy/" in identity["Arn"]
    assert clients.client(target, "sts") is clients.client(target, "sts")


def test_a_deploy_role_must_live_in_the_target_account() -> None:
    with pytest.raises(ValidationError, match="not in target account"):
        Target(account="123456789012", region=REGION, deploy_role_arn=ROLE)


def test_an_endpoint_that_is_down_is_a_transient_error() -> None:
    engine = DeployEngine(AwsClients(max_attempts=1, connect_timeout=1, read_timeout=2))
    down = Target(
        account="123456789012", region=REGION, endpoint_url=f"http://127.0.0.1:{closed_port()}"
    )

    with pytest.raises(TransientAwsError) as failed:
        engine.status(down, "analytics-workspace")

    assert failed.value.code == "aws_transient"
    assert "could not reach AWS" in failed.value.message
