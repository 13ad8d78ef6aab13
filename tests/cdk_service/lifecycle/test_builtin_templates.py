"""The full life of every built-in template on moto, through the API and real celery workers.

Request, preview (nothing changes until it is approved), approve, update params, upgrade to a
newer version where one exists, destroy; after each step, boto3 looks at what moto really holds.
moto does not apply (and these tests do not check) queue, topic and bucket policies, alarms,
bucket versioning, lifecycle rules or access logging; it does hold the resources checked here.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from cdk_service.db.models import TemplateVersion
from tests.aws import Aws
from tests.cdk_service.lifecycle.conftest import FINAL, FINISHED_WITHIN_SECONDS, Platform
from tests.conftest import ANALYST

TEAM = "analytics"
# moto warns as it skips the resource types it does not model (policies, alarms).
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


async def request(platform: Platform, template: str, name: str, **params: Any) -> dict[str, Any]:
    """Request a stack at 1.0.0 and wait for its create deployment to end."""
    body = {"name": name, "team": TEAM, "template": template, "version": "1.0.0", "params": params}
    accepted = await platform.call(ANALYST, "POST", "/v1/stacks", body, expect=202)
    return await platform.settled(ANALYST, accepted["deployment"]["id"])


async def change(platform: Platform, stack_id: str, **body: Any) -> dict[str, Any]:
    """Update (params) or upgrade (version) a stack and wait for the deployment to end."""
    kind = "upgrade" if "version" in body else "update"
    path = f"/v1/stacks/{stack_id}/deployments"
    accepted = await platform.call(ANALYST, "POST", path, {"kind": kind, **body}, expect=202)
    return await platform.settled(ANALYST, accepted["deployment"]["id"])


async def previewed(platform: Platform, stack_id: str, **body: Any) -> dict[str, Any]:
    """A preview of a change, held until approved."""
    path = f"/v1/stacks/{stack_id}/preview"
    accepted = await platform.call(ANALYST, "POST", path, body, expect=202)
    return await platform.settled(ANALYST, accepted["deployment"]["id"])


async def approved(platform: Platform, deployment_id: str) -> dict[str, Any]:
    """Approve a held preview and wait for it to execute."""
    await platform.call(ANALYST, "POST", f"/v1/deployments/{deployment_id}/approve")
    return await platform.settled(ANALYST, deployment_id)


async def destroyed(platform: Platform, stack_id: str) -> dict[str, Any]:
    """Destroy a stack and wait for the deployment to end."""
    accepted = await platform.call(ANALYST, "DELETE", f"/v1/stacks/{stack_id}", expect=202)
    return await platform.settled(ANALYST, accepted["deployment"]["id"])


async def stack_of(platform: Platform, deployment: dict[str, Any]) -> dict[str, Any]:
    """The deployment's stack as its owners see it."""
    return dict(await platform.call(ANALYST, "GET", f"/v1/stacks/{deployment['stack_id']}"))


def succeeded(deployment: dict[str, Any]) -> dict[str, Any]:
    assert deployment["status"] == "succeeded", json.dumps(deployment, indent=1)
    return deployment


def parameter(aws: Aws, name: str) -> str:
    value: str = aws("ssm").get_parameter(Name=name)["Parameter"]["Value"]
    return value


def modified_paths(preview: dict[str, Any], resource_type: str) -> set[str]:
    """Property paths the preview's diff shows modified on resources of one type."""
    return {
        change["path"]
        for resource in preview["diff"]["resources"]
        if resource["resource_type"] == resource_type and resource["action"] == "modify"
        for change in resource["changes"]
    }


async def test_an_ingestion_queue_lives_and_dies(platform: Platform, aws: Aws) -> None:
    sqs, path = aws("sqs"), "/datahub/analytics/queues/orders"

    created = succeeded(await request(platform, "ingestion-queue", "orders", queue_name="orders"))
    stack = await stack_of(platform, created)
    assert stack["status"] == "active"
    queue_url = parameter(aws, f"{path}/queue-url")
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    key_arn = parameter(aws, f"{path}/kms-key-arn")
    assert attributes["KmsMasterKeyId"] == key_arn
    # moto returns no Outputs after a change set: the engine records the resources' ids.
    assert queue_url in json.dumps(stack["outputs"])
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 5
    assert attributes["VisibilityTimeout"] == "300"
    assert attributes.get("ReceiveMessageWaitTimeSeconds", "0") == "0"
    tags = aws("kms").list_resource_tags(KeyId=key_arn)["Tags"]
    assert {"TagKey": "datahub:team", "TagValue": TEAM} in tags
    topic = parameter(aws, f"{path}/notification-topic-arn")
    assert topic in [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]

    held = await previewed(platform, stack["id"], params={"visibility_timeout_seconds": 120})
    assert held["status"] == "awaiting_execution"
    assert "Properties.VisibilityTimeout" in modified_paths(held["preview"], "AWS::SQS::Queue")
    unchanged = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    assert unchanged["Attributes"]["VisibilityTimeout"] == "300"
    succeeded(await approved(platform, held["id"]))
    after = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    assert after["Attributes"]["VisibilityTimeout"] == "120"

    succeeded(await change(platform, stack["id"], params={"visibility_timeout_seconds": 60}))
    after = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    assert after["Attributes"]["VisibilityTimeout"] == "60"

    upgraded = succeeded(await change(platform, stack["id"], version="1.1.0"))
    assert upgraded["params"]["visibility_timeout_seconds"] == 60  # kept across the upgrade
    assert (await stack_of(platform, upgraded))["version"] == "1.1.0"
    waits = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ReceiveMessageWaitTimeSeconds"]
    )
    assert waits["Attributes"]["ReceiveMessageWaitTimeSeconds"] == "20"

    succeeded(await destroyed(platform, stack["id"]))
    assert (await stack_of(platform, created))["status"] == "destroyed"
    assert sqs.list_queues().get("QueueUrls", []) == []
    assert aws("ssm").get_parameters_by_path(Path=path)["Parameters"] == []


def bucket_encryption(aws: Aws, bucket: str) -> dict[str, Any]:
    rules = aws("s3").get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    default: dict[str, Any] = rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    return default


async def test_a_dataset_lives_and_dies(platform: Platform, aws: Aws) -> None:
    glue, path = aws("glue"), "/datahub/analytics/datasets/orders"

    created = succeeded(await request(platform, "dataset", "orders", dataset_name="orders"))
    stack = await stack_of(platform, created)
    assert stack["status"] == "active"
    bucket, key_arn = parameter(aws, f"{path}/bucket-name"), parameter(aws, f"{path}/kms-key-arn")
    assert bucket_encryption(aws, bucket) == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    database = glue.get_database(Name="analytics_orders")["Database"]
    assert database["LocationUri"] == f"s3://{bucket}/data/"
    assert database["Parameters"]["classification"] == "internal"
    roles = {role["Arn"] for role in aws("iam").list_roles()["Roles"]}
    assert {
        parameter(aws, f"{path}/producer-role-arn"),
        parameter(aws, f"{path}/consumer-role-arn"),
    } <= roles

    changed = {"description": "Orders placed online", "classification": "confidential"}
    succeeded(await change(platform, stack["id"], params=changed))
    database = glue.get_database(Name="analytics_orders")["Database"]
    assert database["Description"] == "Orders placed online"
    assert database["Parameters"]["classification"] == "confidential"

    gone = succeeded(await destroyed(platform, stack["id"]))
    assert glue.get_databases()["DatabaseList"] == []
    assert aws("ssm").get_parameters_by_path(Path=path)["Parameters"] == []
    # The data and access-log buckets are retained by policy, and the user is told so.
    assert bucket in json.dumps(gone["result"])
    assert bucket in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


async def test_a_data_environment_lives_and_dies(platform: Platform, aws: Aws) -> None:
    athena, path = aws("athena"), "/datahub/analytics/sandbox"
    work_group = "datahub-analytics-sandbox"

    created = succeeded(
        await request(platform, "data-environment", "sandbox", environment_name="sandbox")
    )
    stack = await stack_of(platform, created)
    assert stack["status"] == "active"
    bucket, key_arn = parameter(aws, f"{path}/bucket-name"), parameter(aws, f"{path}/kms-key-arn")
    assert bucket_encryption(aws, bucket) == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    logs = parameter(aws, f"{path}/access-log-bucket-name")
    assert bucket_encryption(aws, logs) == {"SSEAlgorithm": "AES256"}
    assert aws("glue").get_database(Name="analytics_sandbox")["Database"]["LocationUri"] == (
        f"s3://{bucket}/tables/"
    )
    configuration = athena.get_work_group(WorkGroup=work_group)["WorkGroup"]["Configuration"]
    assert configuration["BytesScannedCutoffPerQuery"] == 100 * 1024**3
    encryption = configuration["ResultConfiguration"]["EncryptionConfiguration"]
    assert encryption == {"EncryptionOption": "SSE_KMS", "KmsKey": key_arn}
    assert parameter(aws, f"{path}/athena-work-group-name") == work_group

    succeeded(await change(platform, stack["id"], params={"query_scan_limit_gb": 10}))
    configuration = athena.get_work_group(WorkGroup=work_group)["WorkGroup"]["Configuration"]
    assert configuration["BytesScannedCutoffPerQuery"] == 10 * 1024**3

    gone = succeeded(await destroyed(platform, stack["id"]))
    assert work_group not in [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]
    assert aws("glue").get_databases()["DatabaseList"] == []
    assert bucket in json.dumps(gone["result"]) and logs in json.dumps(gone["result"])


async def test_a_stack_cloudformation_fails_to_create_ends_failed_with_the_reason(
    platform: Platform, aws: Aws
) -> None:
    taken = "/datahub/analytics/queues/orders/queue-url"
    aws("ssm").put_parameter(Name=taken, Value="someone else's", Type="String")

    failed = await request(platform, "ingestion-queue", "orders", queue_name="orders")

    assert failed["status"] == "failed", json.dumps(failed, indent=1)
    error = failed["error"]
    assert "ParameterAlreadyExists" in error["reason"]
    assert error["failed_resource"].startswith("PublishedOutputsQueueUrl")
    assert error["rollback_state"] == "ROLLBACK_COMPLETE"
    assert (await stack_of(platform, failed))["status"] == "failed"
    assert aws("sqs").list_queues().get("QueueUrls", []) == []  # rolled back
    assert parameter(aws, taken) == "someone else's"

    # What is left of a failed create is force-deleted.
    stack_id = failed["stack_id"]
    path = f"/v1/stacks/{stack_id}?force=true"
    accepted = await platform.call(ANALYST, "DELETE", path, expect=202)
    succeeded(await platform.settled(ANALYST, accepted["deployment"]["id"]))
    assert (await stack_of(platform, failed))["status"] == "destroyed"


async def test_upgrading_a_data_environment_to_2_0_0_replaces_its_glue_database(
    platform: Platform, aws: Aws
) -> None:
    glue, path = aws("glue"), "/datahub/analytics/sandbox"
    created = succeeded(
        await request(platform, "data-environment", "sandbox", environment_name="sandbox")
    )
    stack = await stack_of(platform, created)

    held = await previewed(platform, stack["id"], version="2.0.0")
    assert held["status"] == "awaiting_execution"
    replaced = [r for r in held["preview"]["diff"]["resources"] if r["replacement"]]
    assert [(r["logical_id"], r["resource_type"]) for r in replaced] == [
        ("Database", "AWS::Glue::Database")
    ]
    (renamed,) = replaced[0]["changes"]
    assert (renamed["path"], renamed["old"], renamed["new"]) == (
        "Properties.DatabaseInput.Name",
        "analytics_sandbox",
        "analytics_sandbox_environment",
    )
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["analytics_sandbox"]

    upgraded = succeeded(await approved(platform, held["id"]))
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == [
        "analytics_sandbox_environment"
    ]
    assert parameter(aws, f"{path}/glue-database-name") == "analytics_sandbox_environment"
    assert (await stack_of(platform, upgraded))["version"] == "2.0.0"

    succeeded(await destroyed(platform, stack["id"]))
    assert glue.get_databases()["DatabaseList"] == []


async def deployment_error(platform: Platform, deployment_id: str) -> dict[str, Any]:
    """The error a deployment shows while it is not final, once it shows one."""
    deadline = time.monotonic() + FINISHED_WITHIN_SECONDS
    while time.monotonic() < deadline:
        deployment = await platform.call(ANALYST, "GET", f"/v1/deployments/{deployment_id}")
        assert deployment["status"] not in FINAL, json.dumps(deployment, indent=1)
        if deployment["error"] is not None:
            return dict(deployment["error"])
        await asyncio.sleep(0.2)
    raise AssertionError(f"{deployment_id} showed no error; workers:\n{platform.workers.tail()}")


async def test_a_worker_without_the_recorded_template_code_leaves_the_deployment_to_one_with_it(
    platform: Platform,
) -> None:
    version = await TemplateVersion.get(template__name="ingestion-queue", version="1.0.0")
    recorded = version.code_digest
    # The catalog recorded code the workers do not run (a rolling deploy between releases).
    await TemplateVersion.filter(id=version.id).update(code_digest="e" * 64)
    body = {"name": "orders", "team": TEAM, "template": "ingestion-queue", "version": "1.0.0"}
    accepted = await platform.call(
        ANALYST, "POST", "/v1/stacks", {**body, "params": {"queue_name": "orders"}}, expect=202
    )
    deployment_id = accepted["deployment"]["id"]

    error = await deployment_error(platform, deployment_id)
    assert (error["code"], error["retryable"]) == ("code_digest_mismatch", True)
    assert f"has code {recorded[:12]}" in error["message"] and "e" * 12 in error["message"]

    # The workers' code is recorded again (the release rolled out): the next retry deploys.
    await TemplateVersion.filter(id=version.id).update(code_digest=recorded)
    deployed = succeeded(await platform.settled(ANALYST, deployment_id))
    assert deployed["error"] is None
