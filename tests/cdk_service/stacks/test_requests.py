"""Requesting a stack: one transaction for stack, deployment and audit; then it is queued."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    AuditEntry,
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    Stack,
    StackStatus,
    TemplateVersion,
)
from cdk_service.stacks import lifecycle
from service_contract.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.cdk_service.stacks.conftest import OTHER_TEAM


async def test_a_request_records_the_stack_its_create_deployment_and_an_audit_entry(
    requester, analyst, dispatcher
) -> None:
    accepted = await requester.stack(analyst)

    stack, deployment = accepted.stack, accepted.deployment
    assert stack.status is StackStatus.REQUESTED and stack.team == "analytics"
    assert (stack.template, stack.version) == ("bucket", "1.0.0")
    assert stack.params == {
        "bucket_name": "sandbox-data",
        "storage_class": "standard",
        "retention_days": 30,
    }
    assert (stack.account, stack.region) == ("000000000000", "us-east-1")
    assert stack.cloudformation_stack_name == "analytics-sandbox"
    assert stack.active_deployment_id == deployment.id and stack.expires_at is None
    assert deployment.kind is DeploymentKind.CREATE
    assert deployment.status is DeploymentStatus.QUEUED and deployment.requester == "alan"
    assert not accepted.replayed
    [entry] = await audit_entries(target_kind="stack", target_id=str(stack.id))
    assert entry.action == "stack.requested" and entry.actor == "alan"
    assert entry.details["deployment_id"] == str(deployment.id)
    assert dispatcher.enqueued == [deployment.id]


async def test_a_failure_midway_leaves_nothing_behind(requester, analyst, dispatcher, monkeypatch):
    async def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(lifecycle, "record_audit", broken_audit)

    with pytest.raises(RuntimeError):
        await requester.stack(analyst)

    assert await Stack.all().count() == 0
    assert await Deployment.all().count() == 0
    assert await AuditEntry.filter(target_kind="stack").count() == 0
    assert dispatcher.enqueued == []


async def test_only_members_request_for_a_team(requester) -> None:
    with pytest.raises(Forbidden) as raised:
        await requester.stack(OTHER_TEAM)
    assert raised.value.code == "not_team_member"


async def test_params_are_validated_against_the_version(requester, analyst) -> None:
    with pytest.raises(InvalidInput) as raised:
        await requester.stack(analyst, params={"bucket_name": "No Spaces"})
    assert raised.value.code == "invalid_params"
    assert raised.value.field == "params.bucket_name"


async def test_a_draft_is_not_found_for_teams(requester, analyst, factories) -> None:
    await TemplateVersion.filter(version="1.1.0").update(status="draft")
    with pytest.raises(NotFound):
        await requester.stack(analyst, version="1.1.0")


async def test_no_version_means_the_newest_published_one(requester, analyst) -> None:
    accepted = await requester.stack(analyst, version=None)
    assert accepted.stack.version == "1.1.0"


async def test_the_target_must_be_the_default_or_registered(requester, analyst, factories):
    with pytest.raises(InvalidInput) as raised:
        await requester.stack(analyst, account="123456789012", region="eu-west-1")
    assert raised.value.code == "unknown_target"

    await factories.target_account("123456789012", "eu-west-1")
    accepted = await requester.stack(analyst, account="123456789012", region="eu-west-1")
    assert (accepted.stack.account, accepted.stack.region) == ("123456789012", "eu-west-1")


async def test_a_live_name_is_taken_per_team_and_target(requester, analyst, admin) -> None:
    await requester.stack(analyst)
    with pytest.raises(Conflict) as raised:
        await requester.stack(analyst, params={"bucket_name": "other-data"})
    assert raised.value.code == "stack_exists" and raised.value.field == "name"

    other_team = await requester.stack(admin, team="finance")
    assert other_team.stack.name == "sandbox"


async def test_the_version_default_ttl_sets_the_expiry_unless_the_request_gives_one(
    requester, analyst
) -> None:
    constraints = {"default_ttl_hours": 48}
    await TemplateVersion.filter(version="1.0.0").update(constraints=constraints)
    before = timezone.now()

    defaulted = await requester.stack(analyst)
    chosen = await requester.stack(analyst, name="short", ttl_hours=2)

    expires = defaulted.stack.expires_at
    assert expires is not None and before + timedelta(hours=48) <= expires
    assert expires <= timezone.now() + timedelta(hours=48)
    assert chosen.stack.expires_at is not None
    assert chosen.stack.expires_at < before + timedelta(hours=3)


async def test_the_request_stands_when_the_queue_is_down(requester, analyst, dispatcher) -> None:
    dispatcher.fail_with = ConnectionError("broker unreachable")

    accepted = await requester.stack(analyst)

    assert accepted.deployment.status is DeploymentStatus.QUEUED
    assert await Deployment.filter(id=accepted.deployment.id).exists()
