"""Dataset share endpoints: request, list, read, preview, approve, reject, revoke, history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.shares import service
from cdk_service.shares.schemas import (
    ShareDecision,
    ShareDetail,
    ShareFilter,
    ShareHistory,
    SharePage,
    ShareRequest,
)
from cdk_service.stacks.schemas import DeploymentAccepted

api = Api()
SHARE_PATH = "/v1/shares/{share_id}"


def _wired(request: web.Request) -> dict[str, Any]:
    services = services_of(request)
    return {
        "registry": services.registry,
        "dispatcher": services.dispatcher,
        "identity": identity_of(request),
    }


@api.route(
    "POST",
    "/v1/shares",
    summary="Ask for read access to another team's dataset for one of your team's roles",
    tag="shares",
    body=ShareRequest,
    response=ShareDetail,
    status=201,
    errors=(403, 404, 409),
)
async def request_share(request: web.Request, body: ShareRequest) -> ShareDetail:
    """Record the request; the dataset's team sees it in its incoming shares."""
    return await service.request_share(identity=identity_of(request), order=body)


@api.route(
    "GET",
    "/v1/shares",
    summary="Shares of your teams' datasets (incoming) or requested by your teams (outgoing)",
    tag="shares",
    query=ShareFilter,
    response=SharePage,
)
async def list_shares(request: web.Request, query: ShareFilter) -> SharePage:
    """One page, newest first."""
    return await service.list_shares(identity=identity_of(request), filters=query)


@api.route(
    "GET",
    SHARE_PATH,
    summary="A share, as either team sees it (its grant's outcome recorded first)",
    tag="shares",
    response=ShareDetail,
    errors=(404,),
)
async def get_share(request: web.Request, share_id: UUID) -> ShareDetail:
    """The share, brought up to date with its stack."""
    return await service.refresh(**_wired(request), share_id=share_id)


@api.route(
    "GET",
    SHARE_PATH + "/history",
    summary="Every change of a share: who requested, approved, granted, revoked, when",
    tag="shares",
    response=ShareHistory,
    errors=(404,),
)
async def share_history(request: web.Request, share_id: UUID) -> ShareHistory:
    """Recorded changes, oldest first."""
    return await service.history(identity=identity_of(request), share_id=share_id)


@api.route(
    "POST",
    SHARE_PATH + "/preview",
    summary="Preview the grant: the owner's stack with the principal added, held until approved",
    tag="shares",
    response=DeploymentAccepted,
    status=202,
    errors=(403, 404, 409),
)
async def preview_share(request: web.Request, share_id: UUID) -> DeploymentAccepted:
    """Queue the preview deployment; its diff appears on the deployment."""
    return await service.preview(**_wired(request), share_id=share_id)


@api.route(
    "POST",
    SHARE_PATH + "/approve",
    summary="Approve a request (owner team; a confidential dataset needs an admin as well)",
    tag="shares",
    body=ShareDecision,
    response=ShareDetail,
    errors=(403, 404, 409),
)
async def approve_share(request: web.Request, share_id: UUID, body: ShareDecision) -> ShareDetail:
    """Record the approval; once complete, the grant deploys."""
    return await service.approve(**_wired(request), share_id=share_id, note=body.note)


@api.route(
    "POST",
    SHARE_PATH + "/reject",
    summary="Turn a request down (owner team or an admin)",
    tag="shares",
    body=ShareDecision,
    response=ShareDetail,
    errors=(403, 404, 409),
)
async def reject_share(request: web.Request, share_id: UUID, body: ShareDecision) -> ShareDetail:
    """Record the rejection; a held preview is cancelled."""
    return await service.reject(**_wired(request), share_id=share_id, note=body.note)


@api.route(
    "POST",
    SHARE_PATH + "/revoke",
    summary="End a grant (either team or an admin): the principal leaves the owner's stack",
    tag="shares",
    body=ShareDecision,
    response=ShareDetail,
    errors=(404, 409),
)
async def revoke_share(request: web.Request, share_id: UUID, body: ShareDecision) -> ShareDetail:
    """Start the deployment that removes the principal."""
    return await service.revoke(**_wired(request), share_id=share_id, note=body.note)
