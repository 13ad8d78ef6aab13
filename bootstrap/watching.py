"""Following a stack operation live: its events as they come, until it ends."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bootstrap import messages
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import StackEvent, StackState
from service_contract.aws_errors import aws_pages
from service_contract.errors import UpstreamFailure
from service_contract.targets import Target

NOT_CREATED = "REVIEW_IN_PROGRESS"


@dataclass(frozen=True)
class Watch:
    """How to follow a stack operation: the events callback, how often, and how long at most."""

    on_event: Callable[[str, StackEvent], None] = lambda stack, event: None
    on_note: Callable[[str, str], None] = lambda stack, note: None
    interval_seconds: float = 2.0
    timeout_seconds: float = 3 * 3600.0
    sleep: Callable[[float], None] = time.sleep


def settle(engine: DeployEngine, target: Target, stack: str, watch: Watch) -> StackState:
    """The stack's state once no operation is running on it (waiting, with events, if one is)."""
    state = engine.status(target, stack)
    if state.status is not None and running(state.status):
        watch.on_note(stack, messages.waiting_for_operation(state.status))
        stack_id = state.stack_id or stack
        state = follow(engine, target, stack_id, newest_event_id(engine, target, stack_id), watch)
    return state


def follow(
    engine: DeployEngine, target: Target, stack_id: str, since: str | None, watch: Watch
) -> StackState:
    """Report the stack's events as they come until its operation ends; its final state."""
    deadline = time.monotonic() + watch.timeout_seconds
    while True:
        for event in engine.events(target, stack_id, since):
            watch.on_event(stack_id, event)
            since = event.event_id
        state = engine.status(target, stack_id)
        if state.status is None or not running(state.status):
            return state
        if time.monotonic() > deadline:
            raise UpstreamFailure(
                messages.stack_still_running(state.stack_name, state.status, watch.timeout_seconds),
                code="stack_still_running",
            )
        watch.sleep(watch.interval_seconds)


def newest_event_id(engine: DeployEngine, target: Target, stack_id: str) -> str | None:
    """The id of the stack's newest event, so following starts after it."""
    cloudformation = engine.clients.client(target, "cloudformation")
    for raw in aws_pages(
        cloudformation, "describe_stack_events", "StackEvents", StackName=stack_id
    ):
        return str(raw["EventId"])
    return None


def running(status: str) -> bool:
    """Whether an operation is under way on a stack in ``status`` (a mere review is not one)."""
    return status.endswith("_IN_PROGRESS") and status != NOT_CREATED
