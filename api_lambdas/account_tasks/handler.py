"""The AWS Worker Lambda's entry point: one SQS batch, failures reported per message.

A message that fails (AWS briefly unavailable, the service unreachable, a malformed body) is
named in ``batchItemFailures``: SQS makes it visible again, and after the queue's receive limit
moves it to the dead-letter queue. The others in the batch are done and deleted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
from typing import Any

import structlog
from pydantic import ValidationError

from api_lambdas.account_tasks import work
from api_lambdas.account_tasks.tasks import (
    TASK,
    CheckTargetAccount,
    CollectDatasetStatistics,
    SyncGlueColumns,
    Task,
)
from api_lambdas.lambda_runtime import lambda_settings, synchronous
from api_lambdas.service_access import calls_as
from api_lambdas.settings import LambdaSettings
from service_contract.errors import DatahubError, InvalidInput
from service_contract.identity import Identity
from service_contract.targets import AwsClients

log = structlog.get_logger(__name__)
WORKER_USER = "aws-worker"


@functools.cache
def aws_clients() -> AwsClients:
    """Clients per target, kept for the life of the Lambda process."""
    return AwsClients(max_attempts=3, read_timeout=20.0)


def task_of(record: dict[str, Any]) -> Task:
    """The task in one SQS record; ``InvalidInput`` when it is not one."""
    try:
        return TASK.validate_json(record.get("body") or "")
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors()[:3])
        raise InvalidInput(f"not an AWS Worker task: {problems}", code="invalid_task") from None


async def run(task: Task, settings: LambdaSettings, clients: AwsClients) -> dict[str, Any]:
    """Do one task; what it found or changed."""
    endpoint = settings.aws_endpoint_url
    if isinstance(task, CheckTargetAccount):
        check = await _in_thread(work.check_target_account, clients, task, endpoint)
        return dataclasses.asdict(check)
    if isinstance(task, CollectDatasetStatistics):
        statistics = await _in_thread(work.collect_statistics, clients, task, endpoint)
        return dataclasses.asdict(statistics)
    assert isinstance(task, SyncGlueColumns)
    # The worker acts for the dataset's team only, never as an admin.
    service = calls_as(settings, Identity(user=WORKER_USER, groups=frozenset({task.team})))
    changed = await work.sync_glue_columns(clients, service, task, endpoint)
    return {"dataset_id": task.dataset_id, "revision": changed["revision"]}


async def _in_thread(function: Any, *arguments: Any) -> Any:
    # boto3 is synchronous: keep the event loop free for the service calls.
    return await asyncio.to_thread(function, *arguments)


async def handle(
    event: dict[str, Any],
    context: Any,
    *,
    settings: LambdaSettings | None = None,
    clients: AwsClients | None = None,
) -> dict[str, Any]:
    """Do every task of the batch; the messages that failed, for SQS to deliver again."""
    settings, clients = settings or lambda_settings(), clients or aws_clients()
    failures = []
    for record in event.get("Records", []):
        message_id = record.get("messageId", "")
        try:
            task = task_of(record)
            result = await run(task, settings, clients)
            log.info("aws_task_done", task=task.task, message_id=message_id, **_loggable(result))
        except DatahubError as error:
            log.warning(
                "aws_task_failed", message_id=message_id, code=error.code, error=error.message
            )
            failures.append({"itemIdentifier": message_id})
        except Exception:
            log.exception("aws_task_crashed", message_id=message_id)
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _loggable(result: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.dumps(value) if isinstance(value, list | tuple) else value
        for key, value in result.items()
    }


handler = synchronous(handle)
