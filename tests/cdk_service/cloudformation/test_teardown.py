"""Destroying stacks: resources go, retained ones stay and are named, gone is success."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import RetainedResource
from cdk_service.cloudformation.teardown import destroy
from service_contract.errors import Conflict
from service_contract.targets import Target
from tests.cdk_service.cloudformation.conftest import Aws
from tests.cdk_service.cloudformation.templates import BUCKET, QUEUE, workspace

STACK = "analytics-workspace"


def deploy(engine: DeployEngine, target: Target, template: dict) -> None:
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=template)
    engine.execute(target, ref)


def test_destroy_removes_resources_and_names_those_it_keeps(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    template = workspace(retain_bucket=True)
    deploy(engine, target, template)

    teardown = engine.destroy(target, STACK, template)

    assert teardown.outcome == "deleted"
    assert teardown.retained == [
        RetainedResource(
            logical_id="RawBucket",
            resource_type="AWS::S3::Bucket",
            physical_id=BUCKET,
            deletion_policy="Retain",
        )
    ]
    aws("s3").head_bucket(Bucket=BUCKET)
    with pytest.raises(ClientError, match="NonExistentQueue"):
        aws("sqs").get_queue_url(QueueName=QUEUE)
    assert engine.status(target, STACK).outcome == "gone"


def test_destroying_a_gone_stack_succeeds(engine: DeployEngine, target: Target) -> None:
    deploy(engine, target, workspace())
    engine.destroy(target, STACK, workspace())

    assert engine.destroy(target, STACK, workspace()).outcome == "already_gone"
    assert engine.destroy(target, "never-deployed", workspace()).outcome == "already_gone"


class FailedStackCloudFormation:
    """A stack whose creation failed: moto cannot produce ROLLBACK_COMPLETE, CloudFormation does."""

    def __init__(self) -> None:
        self.deleted: list[str] = []

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        status = "DELETE_COMPLETE" if self.deleted else "ROLLBACK_COMPLETE"
        return {"Stacks": [{"StackName": STACK, "StackId": "stack-id", "StackStatus": status}]}

    def list_stack_resources(self, StackName: str) -> dict[str, Any]:
        return {"StackResourceSummaries": []}

    def delete_stack(self, StackName: str) -> dict[str, Any]:
        self.deleted.append(StackName)
        return {}


def test_a_stack_that_failed_to_create_is_deleted_only_with_force() -> None:
    cloudformation = FailedStackCloudFormation()

    with pytest.raises(Conflict) as refused:
        destroy(cloudformation, STACK, workspace())
    assert refused.value.code == "stack_failed"
    assert cloudformation.deleted == []

    assert destroy(cloudformation, STACK, workspace(), force=True).outcome == "deleted"
    assert cloudformation.deleted == ["stack-id"]
