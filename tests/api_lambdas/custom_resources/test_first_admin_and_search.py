"""The first admin on moto's Cognito, and the search set-up's input checks."""

from __future__ import annotations

import pytest

from api_lambdas.custom_resources import first_admin, search_index
from tests.api_lambdas.custom_resources.conftest import call, cloudformation_event

EMAIL = "admin@example.com"


@pytest.fixture
def pool(fake_credentials, fresh_moto, aws, lambda_env, moto_url) -> str:
    """An empty user pool on moto, and the Lambda pointed at moto."""
    lambda_env(aws_endpoint_url=moto_url)
    return aws("cognito-idp").create_user_pool(PoolName="datahub")["UserPool"]["Id"]


def members(aws, pool: str, group: str) -> list[str]:
    users = aws("cognito-idp").list_users_in_group(UserPoolId=pool, GroupName=group)["Users"]
    return [u["Username"] for u in users]


async def test_the_first_admin_is_created_once_and_kept(response_url, aws, pool) -> None:
    properties = {"UserPoolId": pool, "Email": EMAIL, "Group": "admins"}
    for kind in ("Create", "Update", "Delete"):
        event = cloudformation_event(kind, properties, url=response_url.url, physical_id="p")
        await call(first_admin.handler, event)

    created, updated, deleted = response_url.responses
    assert created["Status"] == "SUCCESS" and created["Data"] == {
        "Username": EMAIL,
        "Created": True,
    }
    assert created["PhysicalResourceId"] == f"{pool}/{EMAIL}"
    assert updated["Data"] == {"Username": EMAIL, "Created": False}
    assert deleted["Status"] == "SUCCESS"
    assert members(aws, pool, "admins") == [EMAIL]
    user = aws("cognito-idp").admin_get_user(UserPoolId=pool, Username=EMAIL)
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"


async def test_an_admin_who_exists_is_only_added_to_the_group(response_url, aws, pool) -> None:
    aws("cognito-idp").admin_create_user(UserPoolId=pool, Username=EMAIL)
    event = cloudformation_event(
        "Create", {"UserPoolId": pool, "Email": EMAIL, "Group": "admins"}, url=response_url.url
    )
    await call(first_admin.handler, event)
    assert response_url.responses[0]["Data"]["Created"] is False
    assert members(aws, pool, "admins") == [EMAIL]


async def test_missing_properties_fail_with_their_names(response_url, pool) -> None:
    await call(
        first_admin.handler,
        cloudformation_event("Create", {"UserPoolId": pool}, url=response_url.url),
    )
    [answer] = response_url.responses
    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == "invalid_properties: missing properties: Email, Group"


async def test_search_set_up_needs_an_endpoint(response_url, lambda_env) -> None:
    lambda_env()
    await call(search_index.handler, cloudformation_event("Create", {}, url=response_url.url))
    [answer] = response_url.responses
    assert answer["Status"] == "FAILED" and answer["Reason"].startswith("invalid_properties")


async def test_search_set_up_creates_the_alias(response_url, lambda_env, opensearch_url) -> None:
    lambda_env()
    properties = {"Endpoint": opensearch_url, "Index": "datahub-setup-test"}
    await call(
        search_index.handler, cloudformation_event("Create", properties, url=response_url.url)
    )
    [answer] = response_url.responses
    assert answer["Status"] == "SUCCESS" and answer["Data"] == {"Alias": "datahub-setup-test"}
