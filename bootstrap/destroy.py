"""The destroy step: the platform's stacks in reverse order, the toolkits last (their buckets
emptied), and what the stacks' policies retained."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bootstrap import messages
from bootstrap.plan import Plan
from bootstrap.progress import Reporter
from bootstrap.stack_deploy import remove_stack
from bootstrap.watching import Watch
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import Teardown
from cdk_service.cloudformation.stacks import deployed_template, describe_stack, stack_resources
from service_contract.aws_errors import aws_call
from service_contract.errors import NotFound
from service_contract.targets import Target

DELETE_BATCH = 1000
BUCKET = "AWS::S3::Bucket"
KEPT = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})


def destroy_platform(
    plan: Plan, *, engine: DeployEngine, reporter: Reporter
) -> tuple[Teardown, ...]:
    """Platform stacks in reverse order, then the toolkits (their buckets emptied)."""
    options = plan.options
    teardowns = [
        _destroy(options.target(stack.region), stack.stack_name, plan, engine, reporter)
        for stack in reversed(plan.assembly.stacks)
    ]
    for toolkit in reversed(plan.toolkits):
        target = options.target(toolkit.region)
        emptied = empty_bucket(engine.clients.client(target, "s3"), toolkit.asset_bucket)
        if emptied:
            reporter.note(toolkit.asset_bucket, messages.toolkit_bucket_emptied(emptied))
        teardowns.append(_destroy(target, toolkit.stack_name, plan, engine, reporter))
    return tuple(teardowns)


def _destroy(
    target: Target, stack_name: str, plan: Plan, engine: DeployEngine, reporter: Reporter
) -> Teardown:
    reporter.step(messages.destroy_step(stack_name, target.region))
    with reporter.waiting(messages.deleting(stack_name)):
        watch = reporter.watch(plan.options.poll_seconds)
        teardown = destroy_stack(engine, target, stack_name, watch)
    reporter.note(stack_name, messages.stack_destroyed(teardown))
    for kept in teardown.retained:
        reporter.note(stack_name, messages.retained(kept))
    return teardown


def destroy_stack(engine: DeployEngine, target: Target, stack_name: str, watch: Watch) -> Teardown:
    """Lift termination protection, delete the stack and wait; what its policies retained."""
    cloudformation = engine.clients.client(target, "cloudformation")
    found = describe_stack(cloudformation, stack_name)
    if found is None:
        return Teardown(stack_name=stack_name, outcome="already_gone")
    template = deployed_template(cloudformation, found)
    s3 = engine.clients.client(target, "s3")
    for bucket in deleted_buckets(cloudformation, stack_name, template):
        # CloudFormation cannot delete a bucket that holds objects: the stack would stop
        # in DELETE_FAILED. Buckets kept by their policy keep their objects.
        emptied = empty_bucket(s3, bucket)
        if emptied:
            watch.on_note(stack_name, messages.bucket_emptied(bucket, emptied))
    return remove_stack(engine, target, stack_name, watch, template)


def deleted_buckets(cloudformation: Any, stack_name: str, template: Mapping[str, Any]) -> list[str]:
    """The names of the stack's buckets whose deletion policy lets CloudFormation delete them."""
    resources = template.get("Resources", {})
    deletable = {
        logical_id
        for logical_id, resource in resources.items()
        if resource.get("Type") == BUCKET and resource.get("DeletionPolicy") not in KEPT
    }
    return [
        item["PhysicalResourceId"]
        for item in stack_resources(cloudformation, stack_name)
        if item["LogicalResourceId"] in deletable and item.get("PhysicalResourceId")
    ]


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker in the bucket; how many were deleted."""
    try:
        aws_call(s3, "head_bucket", Bucket=bucket)
    except NotFound:
        return 0
    deleted = 0
    while True:
        page = aws_call(s3, "list_object_versions", Bucket=bucket, MaxKeys=DELETE_BATCH)
        objects = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        if not objects:
            return deleted
        aws_call(s3, "delete_objects", Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
        deleted += len(objects)
