"""Executing at most once, including where CloudFormation no longer lists the change set."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cdk_service.cloudformation.changeset import type_for
from cdk_service.cloudformation.execution import execute
from cdk_service.cloudformation.models import ChangeSetRef
from service_contract.errors import Conflict

STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/analytics-workspace/1"
CHANGE_SET_ID = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/datahub-d1/2"
REF = ChangeSetRef(
    stack_name="analytics-workspace",
    stack_id=STACK_ID,
    change_set_name="datahub-d1",
    change_set_id=CHANGE_SET_ID,
    change_set_type="UPDATE",
    status="CREATE_COMPLETE",
    execution_status="AVAILABLE",
)


class CloudFormationAfterExecution:
    """CloudFormation once the change set ran and was cleaned up (moto keeps it, and its
    describe_stacks omits ChangeSetId, so this case needs a stand-in)."""

    def __init__(self, stack_status: str = "UPDATE_COMPLETE", last_change_set: str = CHANGE_SET_ID):
        self.stack = {
            "StackName": "analytics-workspace",
            "StackId": STACK_ID,
            "StackStatus": stack_status,
            "ChangeSetId": last_change_set,
        }
        self.executed: list[str] = []

    def describe_change_set(self, **arguments: Any) -> dict[str, Any]:
        error = {"Error": {"Code": "ChangeSetNotFound", "Message": "ChangeSet does not exist"}}
        raise ClientError(error, "DescribeChangeSet")  # type: ignore[arg-type]

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        return {"Stacks": [self.stack]}

    def execute_change_set(self, **arguments: Any) -> dict[str, Any]:
        self.executed.append(arguments["ChangeSetName"])
        return {}


def test_a_change_set_the_stack_last_ran_is_not_executed_again() -> None:
    cloudformation = CloudFormationAfterExecution()

    assert execute(cloudformation, REF).action == "already_executed"
    assert cloudformation.executed == []


def test_a_first_attempt_executes_without_looking_for_an_earlier_execution() -> None:
    cloudformation = CloudFormationAfterExecution(last_change_set="another-change-set")

    assert execute(cloudformation, REF, first_attempt=True).action == "executed"
    assert cloudformation.executed == [CHANGE_SET_ID]


def test_a_change_set_that_vanished_unexecuted_must_be_prepared_again() -> None:
    cloudformation = CloudFormationAfterExecution(last_change_set="another-change-set")

    with pytest.raises(Conflict) as gone:
        execute(cloudformation, REF)

    assert gone.value.code == "change_set_gone"


def test_a_stack_that_failed_to_create_cannot_be_updated() -> None:
    cloudformation = CloudFormationAfterExecution(stack_status="ROLLBACK_COMPLETE")

    with pytest.raises(Conflict) as refused:
        type_for(cloudformation, "analytics-workspace")

    assert refused.value.code == "stack_failed_create"
