"""Tearing the platform down: its stacks in reverse order, the toolkit last, retention reported."""

from __future__ import annotations

from typing import Any

from bootstrap.deploy import remove_stack
from bootstrap.watching import Watch
from cdk_service.deployment.engine import DeployEngine
from cdk_service.deployment.errors import aws_call
from cdk_service.deployment.models import Teardown
from cdk_service.deployment.stacks import deployed_template, describe_stack
from cdk_service.deployment.target import Target
from cdk_service.errors import NotFound

DELETE_BATCH = 1000


def destroy_stack(engine: DeployEngine, target: Target, stack_name: str, watch: Watch) -> Teardown:
    """Lift termination protection, delete the stack and wait; what its policies retained."""
    cloudformation = engine.clients.client(target, "cloudformation")
    found = describe_stack(cloudformation, stack_name)
    if found is None:
        return Teardown(stack_name=stack_name, outcome="already_gone")
    template = deployed_template(cloudformation, found)
    return remove_stack(engine, target, stack_name, watch, template)


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
