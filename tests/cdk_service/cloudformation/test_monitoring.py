"""Watching stacks: events since a marker, classified status, outputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import StackEvent, StackState
from cdk_service.cloudformation.monitoring import classify, with_failure
from service_contract.targets import Target
from tests.cdk_service.cloudformation.conftest import ACCOUNT, Aws
from tests.cdk_service.cloudformation.templates import BUCKET, QUEUE, with_resource, workspace

STACK = "analytics-workspace"


def deploy(engine: DeployEngine, target: Target, template: dict, deployment_id: str) -> None:
    ref = engine.prepare(target, stack_name=STACK, deployment_id=deployment_id, template=template)
    engine.execute(target, ref)


def test_events_since_a_marker_are_the_new_ones_oldest_first(
    engine: DeployEngine, target: Target
) -> None:
    deploy(engine, target, workspace(), "d1")
    created = engine.events(target, STACK)

    # moto records stack-level events only; CloudFormation adds one per resource change.
    assert [e.status for e in created] == [
        "REVIEW_IN_PROGRESS",
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
    ]
    assert all(event.is_stack for event in created)

    deploy(engine, target, workspace(visibility_timeout=60), "d2")
    updated = engine.events(target, STACK, since_event_id=created[-1].event_id)

    assert [event.status for event in updated] == ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    assert engine.events(target, STACK, since_event_id=updated[-1].event_id) == []
    assert updated[0].timestamp >= created[-1].timestamp


def test_events_can_start_from_a_time(engine: DeployEngine, target: Target) -> None:
    deploy(engine, target, workspace(), "d1")

    assert engine.events(target, STACK, not_before=datetime.now(UTC) + timedelta(minutes=1)) == []
    assert len(engine.events(target, STACK, not_before=datetime.now(UTC) - timedelta(hours=1))) == 3


def test_a_deleted_stack_has_events_by_id_only(engine: DeployEngine, target: Target) -> None:
    deploy(engine, target, workspace(), "d1")
    stack_id = engine.status(target, STACK).stack_id
    assert stack_id is not None
    engine.destroy(target, STACK, workspace())

    assert engine.events(target, STACK) == []
    assert [e.status for e in engine.events(target, stack_id)][-2:] == [
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]


def test_a_stack_that_never_existed_is_gone(engine: DeployEngine, target: Target) -> None:
    assert engine.status(target, "never-deployed") == StackState(
        stack_name="never-deployed", outcome="gone"
    )


def test_outputs_after_a_change_set_fall_back_to_resource_ids(
    engine: DeployEngine, target: Target
) -> None:
    deploy(engine, target, workspace(), "d1")

    outputs = engine.outputs(target, STACK)

    # moto returns no Outputs for a stack made by a change set; CloudFormation does.
    assert outputs.source == "resource_physical_ids"
    assert outputs.values["RawBucket"] == BUCKET
    assert outputs.values["Ingest"].endswith(f"/{ACCOUNT}/{QUEUE}")


def test_resources_moto_does_not_create_are_not_listed_as_outputs(
    engine: DeployEngine, target: Target
) -> None:
    # cdk synth adds this resource; moto lists it with empty logical and physical ids.
    metadata = {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:H4s"}}
    deploy(engine, target, with_resource(workspace(), "CDKMetadata", metadata), "d1")

    outputs = engine.outputs(target, STACK)

    assert outputs.source == "resource_physical_ids"
    assert outputs.values["RawBucket"] == BUCKET
    assert "" not in outputs.values
    assert "" not in outputs.values.values()


def test_outputs_come_from_the_stack_when_it_has_them(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    aws("cloudformation").create_stack(StackName=STACK, TemplateBody=json.dumps(workspace()))

    outputs = engine.outputs(target, STACK)

    assert outputs.source == "outputs"
    assert outputs.values["BucketName"] == BUCKET


@pytest.mark.parametrize("made_by", ["create_stack", "change_set"])
def test_outputs_read_with_the_settled_state_are_the_same(
    engine: DeployEngine, target: Target, aws: Aws, made_by: str
) -> None:
    if made_by == "create_stack":
        aws("cloudformation").create_stack(StackName=STACK, TemplateBody=json.dumps(workspace()))
    else:
        deploy(engine, target, workspace(), "d1")

    settled = engine.status(target, STACK)

    assert engine.outputs(target, STACK, settled) == engine.outputs(target, STACK)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("REVIEW_IN_PROGRESS", "in_progress"),
        ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "in_progress"),
        ("CREATE_COMPLETE", "succeeded"),
        ("UPDATE_COMPLETE", "succeeded"),
        ("UPDATE_ROLLBACK_COMPLETE", "rolled_back"),
        ("ROLLBACK_COMPLETE", "failed"),
        ("CREATE_FAILED", "failed"),
        ("DELETE_FAILED", "failed"),
        ("UPDATE_ROLLBACK_FAILED", "failed"),
        ("DELETE_COMPLETE", "gone"),
    ],
)
def test_statuses_are_classified(status: str, outcome: str) -> None:
    assert classify(status) == outcome


def event(logical_id: str, status: str, reason: str | None = None) -> StackEvent:
    """A CloudFormation event; the stack's own when the logical id is the stack name."""
    return StackEvent(
        event_id=f"{logical_id}-{status}",
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
        logical_id=logical_id,
        resource_type="AWS::CloudFormation::Stack" if logical_id == STACK else "AWS::S3::Bucket",
        status=status,
        reason=reason,
        is_stack=logical_id == STACK,
    )


# A failed creation as CloudFormation records it, newest first (moto cannot produce one).
FAILED_CREATION = [
    event(STACK, "ROLLBACK_COMPLETE"),
    event("Ingest", "DELETE_COMPLETE"),
    event(
        STACK, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [RawBucket]."
    ),
    event("Ingest", "CREATE_FAILED", "Resource creation cancelled"),
    event("RawBucket", "CREATE_FAILED", f"{BUCKET} already exists"),
    event("Ingest", "CREATE_IN_PROGRESS"),
    event("RawBucket", "CREATE_IN_PROGRESS"),
    event(STACK, "CREATE_IN_PROGRESS", "User Initiated"),
    event(STACK, "REVIEW_IN_PROGRESS", "User Initiated"),
]


def test_a_failed_creation_is_explained_by_its_first_failing_resource() -> None:
    state = StackState(stack_name=STACK, status="ROLLBACK_COMPLETE", outcome="failed")

    explained = with_failure(state, FAILED_CREATION, "stack-level reason")

    assert (explained.reason, explained.failed_resource) == (
        f"{BUCKET} already exists",
        "RawBucket",
    )


def test_an_undone_update_is_explained_by_its_own_failure_not_an_older_one() -> None:
    update = [
        event(STACK, "UPDATE_ROLLBACK_COMPLETE"),
        event(STACK, "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update"),
        event("Ingest", "UPDATE_FAILED", "Invalid value for VisibilityTimeout"),
        event(STACK, "UPDATE_IN_PROGRESS", "User Initiated"),
        *FAILED_CREATION,
    ]
    state = StackState(stack_name=STACK, status="UPDATE_ROLLBACK_COMPLETE", outcome="rolled_back")

    explained = with_failure(state, update, None)

    assert (explained.reason, explained.failed_resource) == (
        "Invalid value for VisibilityTimeout",
        "Ingest",
    )


def test_without_failed_events_the_stack_reason_is_used() -> None:
    # moto's case: stack-level events only, none of them failed.
    state = StackState(stack_name=STACK, status="ROLLBACK_COMPLETE", outcome="failed")

    explained = with_failure(state, [event(STACK, "ROLLBACK_COMPLETE")], "rolled back")

    assert (explained.reason, explained.failed_resource) == ("rolled back", None)
