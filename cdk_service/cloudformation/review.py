"""Change sets held for review: what the stack looked like when previewed, and discarding one.

A preview is only true of the stack it was taken on. The fingerprint sums up what a change
set is computed against (status, last update, deployed template and parameters), so a worker
about to execute a reviewed change set can tell that the stack changed since.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cdk_service.cloudformation.changeset import find
from cdk_service.cloudformation.execution import EXECUTED
from cdk_service.cloudformation.stacks import deployed_template, describe_stack, parameter_values
from service_contract.aws_errors import aws_call

REVIEW_ONLY = "REVIEW_IN_PROGRESS"


def fingerprint(cloudformation: Any, stack: str) -> str:
    """A digest of the stack as a change set sees it; the same while nothing changes it."""
    described = describe_stack(cloudformation, stack)
    state = {
        "status": None if described is None else described["StackStatus"],
        "updated": None
        if described is None
        else described.get("LastUpdatedTime") or described.get("CreationTime"),
        "template": deployed_template(cloudformation, described),
        "parameters": parameter_values(described),
    }
    encoded = json.dumps(state, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def discard(cloudformation: Any, stack: str, change_set_name: str) -> bool:
    """Delete a change set nobody will execute, and the stack a CREATE change set made just
    to be reviewed; False when there was none. An executed change set is left alone."""
    found = find(cloudformation, stack, change_set_name)
    if found is None or found.get("ExecutionStatus") in EXECUTED:
        return False
    stack_id = found["StackId"]
    aws_call(cloudformation, "delete_change_set", ChangeSetName=found["ChangeSetId"])
    described = describe_stack(cloudformation, stack_id)
    if described is not None and described["StackStatus"] == REVIEW_ONLY:
        aws_call(cloudformation, "delete_stack", StackName=stack_id)
    return True
