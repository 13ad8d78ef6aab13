"""What each task does in AWS (through the target's deploy role) and in the service."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from api_lambdas.account_tasks.tasks import (
    CheckTargetAccount,
    CollectDatasetStatistics,
    SyncGlueColumns,
)
from api_lambdas.dataset_resolvers import dataset_path
from api_lambdas.service_calls import ServiceCalls
from service_contract.aws_errors import TransientAwsError, aws_call
from service_contract.errors import DatahubError, NotFound
from service_contract.targets import AwsClients


@dataclass(frozen=True)
class AccountCheck:
    """What a target account check found; ``problems`` is empty when it is ready."""

    account: str
    region: str
    role_assumable: bool
    asset_bucket: str
    asset_bucket_exists: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class DatasetStatistics:
    """How many objects a dataset's location holds, and their total size."""

    dataset_id: str
    objects: int
    bytes: int


def check_target_account(
    clients: AwsClients, task: CheckTargetAccount, endpoint_url: str | None
) -> AccountCheck:
    """Assume the deploy role, then look for the asset bucket with its credentials.

    What is wrong with the account is the result; AWS being briefly unavailable is raised
    (``TransientAwsError``), so that the message is tried again.
    """
    target = task.target(endpoint_url)
    found = {"role_assumable": False, "asset_bucket_exists": False}
    problems: list[str] = []
    try:
        s3 = clients.client(target, "s3")
        found["role_assumable"] = True
        aws_call(s3, "head_bucket", Bucket=target.asset_bucket, ExpectedBucketOwner=task.account)
        found["asset_bucket_exists"] = True
    except TransientAwsError:
        raise
    except DatahubError as error:
        if not found["role_assumable"]:
            problems.append(f"the deploy role cannot be assumed ({error.code})")
        elif isinstance(error, NotFound):
            problems.append(f"the asset bucket {target.asset_bucket} does not exist")
        else:
            problems.append(f"the asset bucket {target.asset_bucket} cannot be read ({error.code})")
    return AccountCheck(
        account=task.account,
        region=task.region,
        asset_bucket=target.asset_bucket,
        problems=tuple(problems),
        **found,
    )


def glue_columns(
    clients: AwsClients, task: SyncGlueColumns, endpoint_url: str | None
) -> list[dict[str, Any]]:
    """The table's columns then its partition keys, as dataset columns."""
    glue = clients.client(task.target(endpoint_url), "glue")
    table = aws_call(glue, "get_table", DatabaseName=task.database, Name=task.table)["Table"]
    columns = [
        *table.get("StorageDescriptor", {}).get("Columns", []),
        *table.get("PartitionKeys", []),
    ]
    return [
        {"name": c["Name"], "type": c.get("Type") or "unknown", "description": c.get("Comment", "")}
        for c in columns
    ]


async def sync_glue_columns(
    clients: AwsClients, service: ServiceCalls, task: SyncGlueColumns, endpoint_url: str | None
) -> dict[str, Any]:
    """Write the Glue table's columns into the dataset; the dataset as the service has it now."""
    columns = await asyncio.to_thread(glue_columns, clients, task, endpoint_url)
    current = await service.read(dataset_path(task.dataset_id))
    pii = {c["name"]: c.get("pii", False) for c in current["columns"]}
    for column in columns:
        column["pii"] = pii.get(column["name"], False)  # what people marked stays marked
    body = {"columns": columns, "glue_database": task.database, "glue_table": task.table}
    changed: dict[str, Any] = await service.write("PATCH", dataset_path(task.dataset_id), body=body)
    return changed


def collect_statistics(
    clients: AwsClients, task: CollectDatasetStatistics, endpoint_url: str | None
) -> DatasetStatistics:
    """List every object under the location (pages of 1,000) and add up their sizes."""
    bucket, _, prefix = task.location.removeprefix("s3://").partition("/")
    s3 = clients.client(task.target(endpoint_url), "s3")
    objects = size = 0
    token: dict[str, str] = {}
    while True:
        page = aws_call(s3, "list_objects_v2", Bucket=bucket, Prefix=prefix, **token)
        for item in page.get("Contents", []):
            objects += 1
            size += int(item["Size"])
        if not page.get("IsTruncated"):
            break
        token = {"ContinuationToken": page["NextContinuationToken"]}
    return DatasetStatistics(dataset_id=task.dataset_id, objects=objects, bytes=size)
