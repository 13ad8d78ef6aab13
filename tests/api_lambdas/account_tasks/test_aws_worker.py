"""AWS Worker tasks on moto's server: account checks, Glue columns, dataset statistics; and how
a batch reports the messages that failed."""

from __future__ import annotations

import asyncio
import json
from uuid import UUID

import pytest

from api_lambdas.account_tasks.handler import handler, run
from api_lambdas.account_tasks.tasks import TASK
from api_lambdas.lambda_runtime import lambda_settings
from cdk_service.datasets import service as datasets
from cdk_service.datasets.schemas import Column, DatasetRegistration
from service_contract.targets import AwsClients
from tests.api_lambdas.account_tasks.conftest import sqs_event
from tests.api_lambdas.service_fixtures import ANALYST
from tests.aws import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/datahub-deploy"
ASSET_BUCKET = f"cdk-hnb659fds-assets-{ACCOUNT}-{REGION}"
CHECK = {
    "task": "check_target_account",
    "account": ACCOUNT,
    "region": REGION,
    "deploy_role_arn": ROLE,
}


async def do(message: dict) -> dict:
    """Run one task as the handler would, and return what it found."""
    return await run(TASK.validate_python(message), lambda_settings(), AwsClients())


@pytest.fixture
def deploy_role(aws) -> str:
    """The deploy role in the target account, trusting the account."""
    statement = {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
    trust = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    aws("iam").create_role(RoleName="datahub-deploy", AssumeRolePolicyDocument=trust)
    return ROLE


async def test_a_ready_account_passes_its_check(worker_environment, aws, deploy_role) -> None:
    aws("s3").create_bucket(Bucket=ASSET_BUCKET)
    check = await do(CHECK)
    assert check["role_assumable"] and check["asset_bucket_exists"]
    assert check["problems"] == ()


async def test_a_missing_asset_bucket_is_named(worker_environment, deploy_role) -> None:
    check = await do({**CHECK, "asset_bucket_name": "not-made-yet"})
    assert (check["role_assumable"], check["asset_bucket_exists"]) == (True, False)
    assert check["problems"] == ("the asset bucket not-made-yet does not exist",)


def test_a_role_that_cannot_be_assumed_is_reported() -> None:
    pytest.skip("moto's STS lets any role be assumed, even one that does not exist (moto 5.2)")


async def register_orders(team_columns: list[Column]) -> str:
    detail = await datasets.register(
        identity=ANALYST,
        registration=DatasetRegistration(team="analytics", name="orders", columns=team_columns),
    )
    return str(detail.id)


async def test_glue_columns_are_synced_into_the_dataset(worker_environment, aws) -> None:
    dataset_id = await register_orders([Column(name="email", type="varchar", pii=True)])
    glue = aws("glue")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_table(
        DatabaseName="sales",
        TableInput={
            "Name": "orders",
            "StorageDescriptor": {
                "Columns": [
                    {"Name": "order_id", "Type": "string", "Comment": "Order number"},
                    {"Name": "email", "Type": "string"},
                ]
            },
            "PartitionKeys": [{"Name": "day", "Type": "date"}],
        },
    )
    message = {
        "task": "sync_glue_columns",
        "account": ACCOUNT,
        "region": REGION,
        "dataset_id": dataset_id,
        "team": "analytics",
        "database": "sales",
        "table": "orders",
    }

    answer = await asyncio.to_thread(handler, sqs_event(message), None)

    assert answer == {"batchItemFailures": []}
    dataset = await datasets.get(identity=ANALYST, dataset_id=UUID(dataset_id))
    assert [(c.name, c.type, c.pii) for c in dataset.columns] == [
        ("order_id", "string", False),
        ("email", "string", True),
        ("day", "date", False),
    ]
    assert dataset.columns[0].description == "Order number"
    assert (dataset.glue_database, dataset.glue_table, dataset.updated_by) == (
        "sales",
        "orders",
        "aws-worker",
    )


async def test_statistics_count_every_object_under_the_location(worker_environment, aws) -> None:
    s3 = aws("s3")
    s3.create_bucket(Bucket="analytics-orders")
    for key, size in (("data/a.parquet", 10), ("data/day=1/b.parquet", 20), ("other/c", 99)):
        s3.put_object(Bucket="analytics-orders", Key=key, Body=b"x" * size)
    message = {
        "task": "collect_dataset_statistics",
        "account": ACCOUNT,
        "region": REGION,
        "dataset_id": "0b3d1f5e-4a57-4c0e-9a53-3a4b8d6f2c11",
        "team": "analytics",
        "location": "s3://analytics-orders/data/",
    }
    statistics = await do(message)
    assert (statistics["objects"], statistics["bytes"]) == (2, 30)


async def test_a_batch_names_only_the_messages_that_failed(
    worker_environment, aws, deploy_role
) -> None:
    aws("s3").create_bucket(Bucket=ASSET_BUCKET)
    missing_table = {
        "task": "sync_glue_columns",
        "account": ACCOUNT,
        "region": REGION,
        "dataset_id": "0b3d1f5e-4a57-4c0e-9a53-3a4b8d6f2c11",
        "team": "analytics",
        "database": "nowhere",
        "table": "nothing",
    }
    event = sqs_event(CHECK, "{not json", {"task": "reboot_the_world"}, missing_table, CHECK)

    answer = await asyncio.to_thread(handler, event, None)

    assert answer == {
        "batchItemFailures": [
            {"itemIdentifier": "message-1"},
            {"itemIdentifier": "message-2"},
            {"itemIdentifier": "message-3"},
        ]
    }
