"""Where a stack is deployed, and the boto3 clients that reach it (deploy role assumed)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config
from pydantic import BaseModel, ConfigDict, Field, model_validator

from service_contract.aws_errors import aws_call
from stack_catalog.contract import ACCOUNT_PATTERN, REGION_PATTERN

ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$"
CDK_QUALIFIER = "hnb659fds"
RENEW_BEFORE = timedelta(minutes=10)


class Target(BaseModel):
    """An account and region to deploy into, and how to get there."""

    model_config = ConfigDict(frozen=True)

    account: str = Field(pattern=ACCOUNT_PATTERN)
    region: str = Field(pattern=REGION_PATTERN)
    deploy_role_arn: str | None = Field(
        default=None, pattern=ROLE_ARN_PATTERN, description="Role assumed for every call"
    )
    execution_role_arn: str | None = Field(
        default=None, pattern=ROLE_ARN_PATTERN, description="Role CloudFormation acts as"
    )
    endpoint_url: str | None = Field(default=None, description="AWS endpoint override (moto)")
    asset_bucket_name: str | None = Field(
        default=None, description="Bucket for file assets; the CDK bootstrap bucket when unset"
    )

    @model_validator(mode="after")
    def _roles_live_in_the_account(self) -> Target:
        for arn in (self.deploy_role_arn, self.execution_role_arn):
            if arn is not None and arn.split(":")[4] != self.account:
                raise ValueError(f"role {arn} is not in target account {self.account}")
        return self

    @property
    def partition(self) -> str:
        """The AWS partition of the region."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if self.region.startswith("us-gov-") else "aws"

    @property
    def asset_bucket(self) -> str:
        """Where file assets and large templates go."""
        default = f"cdk-{CDK_QUALIFIER}-assets-{self.account}-{self.region}"
        return self.asset_bucket_name or default


class AwsClients:
    """Makes and caches boto3 clients per target; the seam an async client could replace."""

    def __init__(
        self,
        *,
        max_attempts: int = 5,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        session: boto3.Session | None = None,
    ) -> None:
        self._config = Config(
            retries={"mode": "adaptive", "max_attempts": max_attempts},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )
        self._session = session or boto3.Session()
        self._lock = threading.Lock()
        self._sessions: dict[Target, tuple[boto3.Session, datetime]] = {}
        self._clients: dict[tuple[Target, str], tuple[Any, datetime]] = {}

    def client(self, target: Target, service: str) -> Any:
        """A client for one service in the target, with the deploy role's credentials."""
        with self._lock:
            cached = self._clients.get((target, service))
            if cached is None or _expiring(cached[1]):
                session, expires = self._session_for(target)
                made = session.client(
                    service,
                    region_name=target.region,
                    endpoint_url=target.endpoint_url,
                    config=self._config,
                )
                cached = self._clients[(target, service)] = (made, expires)
            return cached[0]

    def _session_for(self, target: Target) -> tuple[boto3.Session, datetime]:
        if target.deploy_role_arn is None:
            return self._session, datetime.max.replace(tzinfo=UTC)
        cached = self._sessions.get(target)
        if cached is None or _expiring(cached[1]):
            cached = self._sessions[target] = self._assume(target, target.deploy_role_arn)
        return cached

    def _assume(self, target: Target, role_arn: str) -> tuple[boto3.Session, datetime]:
        sts = self._session.client(
            "sts", region_name=target.region, endpoint_url=target.endpoint_url, config=self._config
        )
        response = aws_call(sts, "assume_role", RoleArn=role_arn, RoleSessionName="datahub-deploy")
        credentials = response["Credentials"]
        session = boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        return session, credentials["Expiration"]


def _expiring(expires: datetime) -> bool:
    return expires - datetime.now(UTC) < RENEW_BEFORE
