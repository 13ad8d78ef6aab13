"""The local Cognito user pool on moto: an app client, the ``admins`` group and demo users.

Everything here is idempotent: run against a pool that already exists, it finds what is there
and adds only what is missing. The demo passwords are for the local moto server only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from service_contract.identity import ADMIN_GROUP

POOL_NAME = "datahub-local"
CLIENT_NAME = "datahub-console"
SIGN_IN_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
LOCAL_POOL_FILE = "local-cognito.json"


@dataclass(frozen=True)
class DemoUser:
    """A user of the local pool with a known password, in the given groups."""

    username: str
    password: str = field(repr=False)
    groups: tuple[str, ...]


DEMO_ADMIN = DemoUser("demo-admin", "Datahub-demo-admin-1", (ADMIN_GROUP,))
DEMO_ANALYST = DemoUser("demo-analyst", "Datahub-demo-analyst-1", ("analytics",))
DEMO_USERS = (DEMO_ADMIN, DEMO_ANALYST)


def local_demo_teams() -> set[str]:
    """The teams the demo users belong to (every group but the admins')."""
    return {group for user in DEMO_USERS for group in user.groups} - {ADMIN_GROUP}


@dataclass(frozen=True)
class LocalCognito:
    """Where the local pool is, for the Authorizer and for ``datahubctl login``."""

    region: str
    user_pool_id: str
    client_id: str
    users: tuple[DemoUser, ...]

    def lambda_environment(self, endpoint_url: str) -> dict[str, str]:
        """The Authorizer's ``DATAHUB_*`` variables for this pool on the endpoint."""
        return {
            "AWS_REGION": self.region,
            "DATAHUB_AWS_ENDPOINT_URL": endpoint_url,
            "DATAHUB_COGNITO_USER_POOL_ID": self.user_pool_id,
            "DATAHUB_COGNITO_CLIENT_IDS": json.dumps([self.client_id]),
        }


def ensure_local_cognito(client: Any, users: tuple[DemoUser, ...] = DEMO_USERS) -> LocalCognito:
    """The local pool with its client, groups and ``users``, created where missing."""
    pool_id = _pool(client)
    client_id = _app_client(client, pool_id)
    for user in users:
        ensure_user(client, pool_id, user)
    region = client.meta.region_name
    return LocalCognito(region=region, user_pool_id=pool_id, client_id=client_id, users=users)


def ensure_user(client: Any, pool_id: str, user: DemoUser) -> None:
    """``user`` exists with its password (permanent) and is in each of its groups."""
    known = client.list_users(UserPoolId=pool_id, Filter=f'username = "{user.username}"')
    if not known["Users"]:
        client.admin_create_user(
            UserPoolId=pool_id, Username=user.username, MessageAction="SUPPRESS"
        )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=user.username, Password=user.password, Permanent=True
    )
    existing = {g["GroupName"] for g in client.list_groups(UserPoolId=pool_id)["Groups"]}
    for group in user.groups:
        if group not in existing:
            client.create_group(UserPoolId=pool_id, GroupName=group)
            existing.add(group)
        client.admin_add_user_to_group(UserPoolId=pool_id, Username=user.username, GroupName=group)


def _pool(client: Any) -> str:
    for pool in client.list_user_pools(MaxResults=60)["UserPools"]:
        if pool["Name"] == POOL_NAME:
            return str(pool["Id"])
    return str(client.create_user_pool(PoolName=POOL_NAME)["UserPool"]["Id"])


def _app_client(client: Any, pool_id: str) -> str:
    for app in client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]:
        if app["ClientName"] == CLIENT_NAME:
            return str(app["ClientId"])
    created = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName=CLIENT_NAME, ExplicitAuthFlows=SIGN_IN_FLOWS
    )
    return str(created["UserPoolClient"]["ClientId"])


class SignInTarget(BaseModel):
    """Where ``datahubctl login`` signs in: an app client of a pool, maybe on moto."""

    region: str
    client_id: str
    endpoint_url: str | None = None


def remember_local_pool(state_dir: Path, pool: LocalCognito, endpoint_url: str) -> Path:
    """Records the local pool's app client in the state directory for ``datahubctl login``."""
    target = SignInTarget(region=pool.region, client_id=pool.client_id, endpoint_url=endpoint_url)
    path = state_dir / LOCAL_POOL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(target.model_dump_json(indent=2))
    return path


def remembered_local_pool(state_dir: Path) -> SignInTarget | None:
    """The local pool ``datahubctl up`` recorded, if it did."""
    path = state_dir / LOCAL_POOL_FILE
    return SignInTarget.model_validate_json(path.read_text()) if path.exists() else None
