"""The migrations custom resource on a scratch PostgreSQL database, answering CloudFormation."""

from __future__ import annotations

import json

import boto3
import pytest

from api_lambdas.custom_resources import migrations
from api_lambdas.custom_resources.resource import ResourceFailed
from api_lambdas.settings import LambdaSettings
from cdk_service.db.admin import scratch_database
from cdk_service.db.upgrade import MIGRATIONS_DIR
from tests.api_lambdas.custom_resources.conftest import call, cloudformation_event

MIGRATION_FILES = sorted(p.name for p in (MIGRATIONS_DIR / "models").glob("[0-9]*_*.py"))


@pytest.fixture
async def empty_database(database_server_url: str) -> str:
    """A database with nothing in it, dropped after the test."""
    async with scratch_database(database_server_url, prefix="datahub_migrate") as url:
        yield url


async def tables_of(url: str) -> set[str]:
    from asyncpg import connect

    connection = await connect(url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows}


async def test_create_brings_the_schema_to_head_and_update_is_a_no_op(
    response_url, lambda_env, empty_database
) -> None:
    lambda_env(database_url=empty_database)

    await call(migrations.handler, cloudformation_event("Create", {}, url=response_url.url))
    await call(
        migrations.handler,
        cloudformation_event(
            "Update", {"ServiceImage": "v2"}, url=response_url.url, physical_id="x"
        ),
    )

    first, second = response_url.responses
    assert first["Status"] == "SUCCESS" and first["PhysicalResourceId"] == "datahub-database-schema"
    assert first["Data"]["Applied"] == len(MIGRATION_FILES)
    assert second["Status"] == "SUCCESS" and second["Data"]["Applied"] == 0
    assert response_url.content_types == ["", ""]
    assert {"stacks", "deployments", "principal_grants"} <= await tables_of(empty_database)


async def test_delete_leaves_the_database_alone(response_url, lambda_env, empty_database) -> None:
    lambda_env(database_url=empty_database)
    await call(migrations.handler, cloudformation_event("Create", {}, url=response_url.url))
    event = cloudformation_event(
        "Delete", {}, url=response_url.url, physical_id="datahub-database-schema"
    )
    await call(migrations.handler, event)
    assert response_url.responses[-1]["Status"] == "SUCCESS"
    assert "stacks" in await tables_of(empty_database)


async def test_a_failure_is_reported_to_cloudformation_without_secrets(
    response_url, lambda_env
) -> None:
    lambda_env(database_url="postgres://admin:s3cret-pass@127.0.0.1:9/none")
    await call(migrations.handler, cloudformation_event("Create", {}, url=response_url.url))
    [answer] = response_url.responses
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("internal_error")
    assert "s3cret-pass" not in json.dumps(answer)


async def test_under_the_provider_framework_it_returns_or_raises(
    lambda_env, empty_database
) -> None:
    lambda_env(database_url=empty_database)
    answer = await call(migrations.handler, cloudformation_event("Create", {}, url="..."))
    assert answer["PhysicalResourceId"] == "datahub-database-schema"
    assert answer["Data"]["Applied"] == len(MIGRATION_FILES)

    lambda_env(database_url="")
    with pytest.raises(ResourceFailed, match="database_missing"):
        await call(migrations.handler, cloudformation_event("Create", {}, url="..."))


def test_the_url_is_built_from_the_rds_secret_with_the_login_quoted(
    fake_credentials, fresh_moto, moto_url
) -> None:
    # RDS keeps the login as JSON; a generated password may hold @, : or /.
    secret = {"username": "admin", "password": "p@ss:w/rd", "host": "db.internal", "port": 5432}
    client = boto3.client("secretsmanager", endpoint_url=moto_url)
    arn = client.create_secret(Name="database", SecretString=json.dumps(secret))["ARN"]
    settings = LambdaSettings(database_secret_arn=arn, aws_endpoint_url=moto_url)

    url = migrations.database_url(settings, "datahub")
    assert url == "postgres://admin:p%40ss%3Aw%2Frd@db.internal:5432/datahub"

    client.put_secret_value(SecretId=arn, SecretString=json.dumps({**secret, "dbname": "app"}))
    assert migrations.database_url(settings, None).endswith("@db.internal:5432/app")
