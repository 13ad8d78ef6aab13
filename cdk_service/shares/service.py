"""Share use cases: request, read, preview, approve, reject and revoke a dataset share."""

from __future__ import annotations

from uuid import UUID

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import Classification, DatasetShare, ShareStatus
from cdk_service.db.transactions import transaction
from cdk_service.shares import grants, outcomes, policies, repository
from cdk_service.shares.presenters import share_detail
from cdk_service.shares.schemas import (
    ShareDetail,
    ShareEvent,
    ShareFilter,
    ShareHistory,
    SharePage,
    ShareRequest,
)
from cdk_service.stacks.dispatch import Dispatcher
from cdk_service.stacks.schemas import DeploymentAccepted
from service_contract.cursors import decode_cursor, encode_cursor
from service_contract.errors import Forbidden, InvalidInput, NotFound
from service_contract.identity import Identity
from stack_catalog.registry import Registry


async def request_share(*, identity: Identity, order: ShareRequest) -> ShareDetail:
    """Ask for read access to another team's dataset for one of the caller's team's roles."""
    if order.team not in identity.teams:
        raise Forbidden(f"you are not a member of team {order.team}", code="not_team_member")
    dataset = await repository.get_dataset(order.dataset_id)
    if dataset is None:
        raise NotFound(f"dataset {order.dataset_id} does not exist", code="dataset_not_found")
    if dataset.team == order.team:
        raise InvalidInput(
            "a team reads its own datasets already", code="share_with_own_team", field="team"
        )
    policies.check_requestable(dataset)
    registered = await repository.registered_principals(order.team)
    policies.check_principal(order.principal_arn, order.team, registered)
    async with transaction():
        if await repository.live_share(dataset.id, order.principal_arn) is not None:
            raise policies.share_exists(dataset.id, order.principal_arn)
        share = await repository.create_share(
            dataset=dataset,
            owner_team=dataset.team,
            requester_team=order.team,
            principal_arn=order.principal_arn,
            reason=order.reason,
            needs_admin=dataset.classification is Classification.CONFIDENTIAL,
            requested_by=identity.user,
        )
        await outcomes.audit(identity.user, "requested", share, reason=order.reason)
    return share_detail(share, dataset.name)


async def _visible(identity: Identity, share_id: UUID, *, for_update: bool = False) -> DatasetShare:
    share = await repository.get_share(share_id, for_update=for_update)
    if share is None or not policies.may_see(identity, share):
        raise policies.share_not_found(share_id)
    return share


async def get_share(*, identity: Identity, share_id: UUID) -> ShareDetail:
    """A share of one of the caller's teams, as either side."""
    share = await _visible(identity, share_id)
    return share_detail(share, share.dataset.name)


async def list_shares(*, identity: Identity, filters: ShareFilter) -> SharePage:
    """Requests for the caller's teams' datasets (incoming) or by its teams (outgoing)."""
    teams = None if identity.is_admin else set(identity.teams)
    if filters.team is not None:
        if teams is not None and filters.team not in teams:
            return SharePage(shares=[], next_cursor=None)
        teams = {filters.team}
    incoming = filters.direction == "incoming"
    after = None if filters.cursor is None else decode_cursor(filters.cursor)
    rows = await repository.list_shares(
        owner_teams=teams if incoming else None,
        requester_teams=None if incoming else teams,
        status=filters.status,
        dataset_id=filters.dataset_id,
        after=after,
        limit=filters.limit + 1,
    )
    page = [share_detail(row, row.dataset.name) for row in rows[: filters.limit]]
    more = len(rows) > filters.limit
    return SharePage(
        shares=page,
        next_cursor=encode_cursor(page[-1].created_at, page[-1].id) if more else None,
    )


async def history(*, identity: Identity, share_id: UUID) -> ShareHistory:
    """Every recorded change of a share, oldest first."""
    share = await _visible(identity, share_id)
    entries = await audit_entries(target_kind="share", target_id=str(share.id))
    return ShareHistory(
        share_id=share.id,
        events=[
            ShareEvent(action=e.action, actor=e.actor, at=e.at, details=e.details) for e in entries
        ],
    )


async def preview(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share_id: UUID
) -> DeploymentAccepted:
    """Preview what approving would change in the owner's stack (held until approved)."""
    share = await _visible(identity, share_id)
    policies.check_decider(identity, share)
    policies.check_status(share, ShareStatus.REQUESTED, action="preview")
    stack_id = policies.stack_of(share)
    accepted = await grants.preview_grant(
        registry=registry, dispatcher=dispatcher, identity=identity, stack_id=stack_id, share=share
    )
    async with transaction():
        share = await _visible(identity, share_id, for_update=True)
        await repository.save_share(share, deployment_id=accepted.deployment.id)
        await outcomes.audit(
            identity.user, "previewed", share, deployment_id=str(accepted.deployment.id)
        )
    return accepted


async def approve(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share_id: UUID, note: str
) -> ShareDetail:
    """Approve (the owner team; for a confidential dataset an admin as well, in either
    order); once fully approved, the grant deploys, executing the held preview if there is one."""
    async with transaction():
        share = await _visible(identity, share_id, for_update=True)
        policies.check_decider(identity, share)
        policies.check_status(share, ShareStatus.REQUESTED, action="approve")
        added = policies.approvals_after(identity, share)
        if not added:
            raise policies.already_approved(share)
        await repository.save_share(share, **added)
        done = policies.fully_approved(share)
        if done:
            await repository.save_share(share, status=ShareStatus.APPROVED)
        await outcomes.audit(identity.user, "approved", share, note=note, **added)
    if done:
        await grants.start_grant(
            registry=registry, dispatcher=dispatcher, identity=identity, share=share
        )
    return await get_share(identity=identity, share_id=share_id)


async def reject(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share_id: UUID, note: str
) -> ShareDetail:
    """Turn a request down (the owner team or an admin); a held preview is cancelled."""
    async with transaction():
        share = await _visible(identity, share_id, for_update=True)
        policies.check_decider(identity, share)
        policies.check_status(share, ShareStatus.REQUESTED, action="reject")
        await repository.save_share(share, status=ShareStatus.REJECTED, decided_by=identity.user)
        await outcomes.audit(identity.user, "rejected", share, note=note)
    await grants.drop_preview(
        registry=registry, dispatcher=dispatcher, identity=identity, share=share
    )
    return share_detail(share, share.dataset.name)


async def revoke(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share_id: UUID, note: str
) -> ShareDetail:
    """End a grant (either team, or an admin): the principal is taken out of the stack."""
    async with transaction():
        share = await _visible(identity, share_id, for_update=True)
        policies.check_status(share, ShareStatus.GRANTED, action="revoke")
        await repository.save_share(share, status=ShareStatus.REVOKING, decided_by=identity.user)
        await outcomes.audit(identity.user, "revoke_requested", share, note=note)
    await grants.settle(  # the requester's team does not see the owner's stack: the service acts
        registry=registry,
        dispatcher=dispatcher,
        identity=grants.SYSTEM,
        stack_id=policies.stack_of(share),
    )
    return await get_share(identity=identity, share_id=share_id)


async def refresh(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share_id: UUID
) -> ShareDetail:
    """Settle the share's stack now (what the worker does after each deployment), then read."""
    share = await _visible(identity, share_id)
    stack_id = share.dataset.stack_id
    if share.status in repository.WAITING_ON_STACK and stack_id is not None:
        await grants.settle(
            registry=registry, dispatcher=dispatcher, identity=grants.SYSTEM, stack_id=stack_id
        )
        share = await _visible(identity, share_id)
    return share_detail(share, share.dataset.name)
