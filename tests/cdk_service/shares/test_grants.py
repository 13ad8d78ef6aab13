"""Shares through the service: request, approve, grant and revoke as deployments of the
owner's dataset stack, run by a stand-in worker on the real PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    Dataset,
    DatasetShare,
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    ShareStatus,
    Stack,
)
from cdk_service.shares import service
from cdk_service.stacks import service as stacks
from cdk_service.stacks.schemas import DeploymentFailure, StackRequest
from service_contract.errors import Conflict, Forbidden, InvalidInput
from tests.cdk_service.shares.conftest import (
    OTHER_READER,
    OWNER,
    OWNERS_OWN,
    READER,
    REQUESTER,
    Sharing,
)
from tests.cdk_service.stacks.conftest import preview_and_hold, run_to_end
from tests.conftest import ADMIN

PRINCIPALS = "consumer_principal_arns"


async def trusted(dataset: Dataset) -> list[str]:
    stack = await Stack.get(id=dataset.stack_id)
    return list(stack.params.get(PRINCIPALS, []))


async def test_an_approved_request_is_granted_by_an_update_of_the_owners_stack(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset(consumer_principal_arns=[OWNERS_OWN])
    share = await sharing.request(dataset)
    assert share.status is ShareStatus.REQUESTED
    queued_before = len(sharing.dispatcher.enqueued)

    approved = await sharing.approve(share.id)

    assert approved.status is ShareStatus.GRANTING
    deployment = await Deployment.get(id=approved.deployment_id)
    assert deployment.kind is DeploymentKind.UPDATE
    assert deployment.params[PRINCIPALS] == [OWNERS_OWN, READER]
    assert sharing.dispatcher.enqueued[queued_before:] == [deployment.id]
    await sharing.deploy_last()
    assert (await sharing.get(share.id)).status is ShareStatus.GRANTED
    assert await trusted(dataset) == [OWNERS_OWN, READER]
    actions = [e.action for e in await audit_entries(target_kind="share", target_id=str(share.id))]
    assert actions == ["share.requested", "share.approved", "share.deploying", "share.granted"]


async def test_a_revoked_grant_leaves_the_stack_and_only_the_owners_principals_stay(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset(consumer_principal_arns=[OWNERS_OWN])
    share = await sharing.request(dataset)
    await sharing.approve(share.id)
    await sharing.deploy_last()

    revoking = await sharing.revoke(share.id)

    assert revoking.status is ShareStatus.REVOKING
    deployment = await Deployment.get(id=revoking.deployment_id)
    assert deployment.params[PRINCIPALS] == [OWNERS_OWN]
    await sharing.deploy_last()
    assert (await sharing.get(share.id)).status is ShareStatus.REVOKED
    assert await trusted(dataset) == [OWNERS_OWN]


async def test_two_approvals_at_once_are_serialized_and_both_principals_end_up_trusted(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset()
    first, second = await sharing.request(dataset), await sharing.request(dataset, OTHER_READER)

    await asyncio.gather(sharing.approve(first.id), sharing.approve(second.id))

    # Both approvals stand; one deployment at a time holds the stack, and whichever approval
    # missed the first one is carried by the deployment its worker starts afterwards.
    states = {(await sharing.get(s.id)).status for s in (first, second)}
    assert states <= {ShareStatus.GRANTING, ShareStatus.APPROVED}
    for _ in range(2):
        assert await Deployment.filter(stack_id=dataset.stack_id, active=True).count() <= 1
        if await Deployment.filter(stack_id=dataset.stack_id, active=True).exists():
            await sharing.deploy_last()
    assert not await Deployment.filter(stack_id=dataset.stack_id, active=True).exists()
    assert {(await sharing.get(s.id)).status for s in (first, second)} == {ShareStatus.GRANTED}
    assert sorted(await trusted(dataset)) == sorted([READER, OTHER_READER])


async def test_a_failed_grant_shows_cloudformations_reason(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    share = await sharing.request(dataset)
    await sharing.approve(share.id)
    failure = DeploymentFailure(
        code="deployment_failed",
        message="ConsumerRole: Invalid principal in policy",
        rollback_state="UPDATE_ROLLBACK_COMPLETE",
    )

    await sharing.deploy_last(status=DeploymentStatus.FAILED, error=failure)

    failed = await sharing.get(share.id)
    assert failed.status is ShareStatus.FAILED
    assert failed.error is not None
    assert "Invalid principal" in failed.error["message"]
    assert await trusted(dataset) == []


async def test_the_approver_executes_the_preview_they_saw(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    share = await sharing.request(dataset)

    accepted = await service.preview(**sharing.wired, identity=OWNER, share_id=share.id)

    assert accepted.deployment.params[PRINCIPALS] == [READER]
    held = await preview_and_hold(accepted.deployment.id)
    assert held is DeploymentStatus.AWAITING_EXECUTION
    assert (await sharing.get(share.id)).status is ShareStatus.REQUESTED
    granting = await sharing.approve(share.id)
    assert granting.status is ShareStatus.GRANTING
    assert granting.deployment_id == accepted.deployment.id
    deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.status is DeploymentStatus.QUEUED and deployment.approved_by == OWNER.user


async def test_rejecting_cancels_the_held_preview(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    share = await sharing.request(dataset)
    accepted = await service.preview(**sharing.wired, identity=OWNER, share_id=share.id)
    await preview_and_hold(accepted.deployment.id)

    rejected = await service.reject(**sharing.wired, identity=OWNER, share_id=share.id, note="no")

    assert rejected.status is ShareStatus.REJECTED
    deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.status is DeploymentStatus.CANCELLED
    assert await trusted(dataset) == []


@pytest.mark.parametrize("first", [OWNER, ADMIN])
async def test_a_confidential_dataset_needs_its_owner_and_an_admin_in_either_order(
    sharing: Sharing, first: object
) -> None:
    dataset = await sharing.dataset(classification="confidential")
    share = await sharing.request(dataset)
    assert share.needs_admin
    second = ADMIN if first is OWNER else OWNER

    halfway = await sharing.approve(share.id, first)  # type: ignore[arg-type]

    assert halfway.status is ShareStatus.REQUESTED
    assert await Deployment.filter(stack_id=dataset.stack_id, active=True).count() == 0
    with pytest.raises(Conflict) as again:
        await sharing.approve(share.id, first)  # type: ignore[arg-type]
    assert again.value.code == "share_already_approved"
    done = await sharing.approve(share.id, second)
    assert done.status is ShareStatus.GRANTING
    assert done.owner_approved_by == OWNER.user and done.admin_approved_by == ADMIN.user


async def test_a_restricted_dataset_cannot_be_requested(sharing: Sharing) -> None:
    dataset = await sharing.dataset(classification="restricted")
    with pytest.raises(Conflict) as refused:
        await sharing.request(dataset)
    assert refused.value.code == "dataset_restricted"


async def test_a_dataset_without_a_stack_is_not_shareable(sharing: Sharing) -> None:
    dataset = await Dataset.create(
        team="analytics",
        name="ledger",
        classification="internal",
        created_by="pipeline",
        updated_by="pipeline",
    )
    with pytest.raises(Conflict) as refused:
        await sharing.request(dataset)
    assert refused.value.code == "dataset_not_shareable"
    assert await DatasetShare.all().count() == 0


async def test_a_requester_names_only_its_own_teams_registered_roles(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    with pytest.raises(InvalidInput) as refused:
        await sharing.request(dataset, OWNERS_OWN)
    assert refused.value.code == "principal_not_registered"
    with pytest.raises(Forbidden):
        await sharing.request(dataset, identity=OWNER)  # not a member of finance


async def test_a_second_request_for_the_same_principal_is_refused(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    await sharing.request(dataset)
    with pytest.raises(Conflict) as refused:
        await sharing.request(dataset)
    assert refused.value.code == "share_exists"


async def test_only_the_owner_team_or_an_admin_approves(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    share = await sharing.request(dataset)
    with pytest.raises(Forbidden) as refused:
        await sharing.approve(share.id, REQUESTER)
    assert refused.value.code == "not_share_owner"
    assert (await sharing.approve(share.id, ADMIN)).status is ShareStatus.GRANTING


async def test_an_owners_own_update_keeps_the_shared_principals(sharing: Sharing) -> None:
    dataset = await sharing.dataset()
    share = await sharing.request(dataset)
    await sharing.approve(share.id)
    await sharing.deploy_last()

    assert dataset.stack_id is not None
    accepted = await stacks.request_update(
        **sharing.wired,
        identity=OWNER,
        stack_id=dataset.stack_id,
        params={PRINCIPALS: [OWNERS_OWN], "description": "orders"},
    )

    assert accepted.deployment.params[PRINCIPALS] == [OWNERS_OWN, READER]


async def test_an_approval_while_a_grant_deploys_waits_and_the_next_deployment_carries_it(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset()
    first, second = await sharing.request(dataset), await sharing.request(dataset, OTHER_READER)
    await sharing.approve(first.id)

    waiting = await sharing.approve(second.id)

    assert waiting.status is ShareStatus.APPROVED
    deployed = await sharing.deploy_last()
    assert deployed.params[PRINCIPALS] == [READER]
    assert (await sharing.get(first.id)).status is ShareStatus.GRANTED
    carried = await sharing.get(second.id)
    assert carried.status is ShareStatus.GRANTING
    assert (await Deployment.get(id=carried.deployment_id)).params[PRINCIPALS] == [
        READER,
        OTHER_READER,
    ]
    await sharing.deploy_last()
    assert (await sharing.get(second.id)).status is ShareStatus.GRANTED
    assert await trusted(dataset) == [READER, OTHER_READER]


async def test_a_data_environments_team_role_counts_as_a_registered_role(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset()
    order = StackRequest(
        name="sandbox",
        team="finance",
        template="data-environment",
        version="1.0.0",
        params={"environment_name": "sandbox"},
    )
    accepted = await stacks.request_stack(
        registry=sharing.registry,
        dispatcher=sharing.dispatcher,
        identity=REQUESTER,
        order=order,
        idempotency_key=None,
        default_account="000000000000",
        default_region="us-east-1",
    )
    team_role = "arn:aws:iam::000000000000:role/finance-sandbox-TeamRole-1A2B"
    await run_to_end(accepted.deployment.id, outputs={"TeamRoleArn": team_role})

    share = await sharing.request(dataset, team_role)

    assert share.principal_arn == team_role and share.status is ShareStatus.REQUESTED


async def test_destroying_the_dataset_stack_revokes_its_grants_and_fails_its_requests(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset()
    granted = await sharing.request(dataset)
    await sharing.approve(granted.id)
    await sharing.deploy_last()
    waiting = await sharing.request(dataset, OTHER_READER)
    assert dataset.stack_id is not None
    await stacks.request_destroy(
        dispatcher=sharing.dispatcher, identity=OWNER, stack_id=dataset.stack_id
    )

    await sharing.deploy_last()

    assert (await sharing.get(granted.id)).status is ShareStatus.REVOKED
    failed = await sharing.get(waiting.id)
    assert failed.status is ShareStatus.FAILED and failed.error == {
        "code": "stack_gone",
        "message": "the dataset's stack is destroyed",
    }
    with pytest.raises(Conflict) as refused:
        await sharing.request(await Dataset.get(id=dataset.id))
    assert refused.value.code == "dataset_not_shareable"
