"""Termination protection: turned on where the app asks for it, lifted before a deletion.

CloudFormation change sets cannot set it; it takes its own call, as the CDK CLI makes too.
"""

from __future__ import annotations

from bootstrap import messages
from bootstrap.watching import Watch
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.stacks import describe_stack
from service_contract.aws_errors import aws_call
from service_contract.errors import DatahubError
from service_contract.targets import Target


def lift(engine: DeployEngine, target: Target, stack_id: str) -> None:
    """Turn the stack's termination protection off, if it is on, so it can be deleted."""
    _set(engine, target, stack_id, enabled=False)


def protect(engine: DeployEngine, target: Target, stack: str, watch: Watch) -> None:
    """Turn the stack's termination protection on; say so when the endpoint cannot."""
    try:
        _set(engine, target, stack, enabled=True)
    except DatahubError as error:
        # The stack is deployed; only the safeguard is missing, and the operator is told.
        watch.on_note(stack, messages.not_protected(error.message))


def _set(engine: DeployEngine, target: Target, stack_id: str, *, enabled: bool) -> None:
    cloudformation = engine.clients.client(target, "cloudformation")
    found = describe_stack(cloudformation, stack_id)
    if found and bool(found.get("EnableTerminationProtection")) != enabled:
        aws_call(
            cloudformation,
            "update_termination_protection",
            EnableTerminationProtection=enabled,
            StackName=stack_id,
        )
