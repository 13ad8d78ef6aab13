"""Stack and deployment endpoints: request, browse, change, approve, cancel, read events
(their live stream is served by ``cdk_service.api.events``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import IDEMPOTENCY_HEADER, Api
from cdk_service.api.events import EVENT_STREAM, last_event_id, stream_events
from cdk_service.api.middleware import identity_of
from cdk_service.stacks import changes, service
from cdk_service.stacks.schemas import (
    DeploymentAccepted,
    DeploymentDetail,
    DeploymentRequest,
    DestroyOptions,
    EventPage,
    EventsQuery,
    PreviewRequest,
    StackDetail,
    StackFilter,
    StackPage,
    StackRequest,
)

api = Api()
STACK_PATH = "/v1/stacks/{stack_id}"
DEPLOYMENT_PATH = "/v1/deployments/{deployment_id}"


@api.route(
    "POST",
    "/v1/stacks",
    summary="Request a stack (send an Idempotency-Key header to make retries safe)",
    tag="stacks",
    body=StackRequest,
    response=DeploymentAccepted,
    status=202,
    errors=(403, 404, 409),
    idempotency_key=True,
)
async def request_stack(request: web.Request, body: StackRequest) -> DeploymentAccepted:
    """Record the stack and its create deployment; queued, or waiting for an admin."""
    services = services_of(request)
    return await service.request_stack(
        registry=services.registry,
        dispatcher=services.dispatcher,
        identity=identity_of(request),
        order=body,
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
        default_account=services.settings.default_account,
        default_region=services.settings.default_region,
    )


@api.route(
    "GET", "/v1/stacks", summary="List stacks", tag="stacks", query=StackFilter, response=StackPage
)
async def list_stacks(request: web.Request, query: StackFilter) -> StackPage:
    """The caller's teams' stacks (admins: all), newest first."""
    return await service.list_stacks(identity=identity_of(request), filters=query)


@api.route("GET", STACK_PATH, summary="A stack", tag="stacks", response=StackDetail, errors=(404,))
async def get_stack(request: web.Request, stack_id: UUID) -> StackDetail:
    """One stack, with its deployment in progress if any."""
    return await service.get_stack(identity=identity_of(request), stack_id=stack_id)


@api.route(
    "POST",
    STACK_PATH + "/deployments",
    summary="Update a stack's parameters or upgrade its template version",
    tag="stacks",
    body=DeploymentRequest,
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
    idempotency_key=True,
)
async def change_stack(
    request: web.Request, stack_id: UUID, body: DeploymentRequest
) -> DeploymentAccepted:
    """Start an update or upgrade deployment; 409 names the deployment already in progress."""
    return await _request_change(request, stack_id, body.params, body.version, preview=False)


async def _request_change(
    request: web.Request,
    stack_id: UUID,
    params: dict[str, Any],
    version: str | None,
    *,
    preview: bool,
) -> DeploymentAccepted:
    services = services_of(request)
    return await service.request_change(
        registry=services.registry,
        dispatcher=services.dispatcher,
        identity=identity_of(request),
        stack_id=stack_id,
        params=params,
        version=version,
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
        preview=preview,
    )


@api.route(
    "POST",
    STACK_PATH + "/preview",
    summary=(
        "Preview an update (or, with a version, an upgrade): the worker creates the change set "
        "and records the preview, then holds it (awaiting_execution, or pending_approval when "
        "the version requires an admin) until approved; nothing changes in AWS before that"
    ),
    tag="stacks",
    body=PreviewRequest,
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
    idempotency_key=True,
)
async def preview_stack(
    request: web.Request, stack_id: UUID, body: PreviewRequest
) -> DeploymentAccepted:
    """Start a preview-only deployment; execute it with ``POST /v1/deployments/{id}/approve``."""
    return await _request_change(request, stack_id, body.params, body.version, preview=True)


@api.route(
    "DELETE",
    STACK_PATH,
    summary="Destroy a stack (force: what is left of a failed one)",
    tag="stacks",
    query=DestroyOptions,
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
    idempotency_key=True,
)
async def destroy_stack(
    request: web.Request, stack_id: UUID, query: DestroyOptions
) -> DeploymentAccepted:
    """Start a destroy deployment."""
    return await service.request_destroy(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        stack_id=stack_id,
        force=query.force,
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
    )


@api.route(
    "POST",
    STACK_PATH + "/drift-checks",
    summary=(
        "Check the stack for drift: a drift_check deployment whose worker records drift_status "
        "and drift_checked_at on the stack (unknown, with the reason, where the endpoint cannot "
        "detect drift) and the drifted resources in the deployment's result"
    ),
    tag="stacks",
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
    idempotency_key=True,
)
async def check_drift(request: web.Request, stack_id: UUID) -> DeploymentAccepted:
    """Start a drift check on an active stack."""
    return await changes.request_drift_check(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        stack_id=stack_id,
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
    )


@api.route(
    "GET",
    DEPLOYMENT_PATH,
    summary="A deployment",
    tag="deployments",
    response=DeploymentDetail,
    errors=(404,),
)
async def get_deployment(request: web.Request, deployment_id: UUID) -> DeploymentDetail:
    """Status, step, preview and error of one deployment."""
    return await service.get_deployment(identity=identity_of(request), deployment_id=deployment_id)


@api.route(
    "POST",
    DEPLOYMENT_PATH + "/approve",
    summary=(
        "Execute a previewed deployment: one awaiting execution (its team or an admin) or "
        "pending approval (admins); 409 preview_stale when the stack changed since the preview"
    ),
    tag="deployments",
    response=DeploymentDetail,
    errors=(403, 404, 409),
)
async def approve_deployment(request: web.Request, deployment_id: UUID) -> DeploymentDetail:
    """Queue the previewed change set for execution by the workers."""
    return await service.approve(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        deployment_id=deployment_id,
    )


@api.route(
    "POST",
    DEPLOYMENT_PATH + "/cancel",
    summary="Cancel a deployment that has not started executing; a worker deletes its change set",
    tag="deployments",
    response=DeploymentDetail,
    errors=(404, 409),
)
async def cancel_deployment(request: web.Request, deployment_id: UUID) -> DeploymentDetail:
    """Cancel it and free its stack; a cancelled create ends its stack."""
    return await service.cancel(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        deployment_id=deployment_id,
    )


@api.route(
    "GET",
    DEPLOYMENT_PATH + "/events",
    summary=(
        "A deployment's stack events after a marker; with `Accept: text/event-stream`, a live "
        "server-sent event stream (`stack_event` events with ids, so `Last-Event-ID` resumes; "
        "a `progress` event whenever the status changes) that ends with a `status` event once "
        "the deployment is final"
    ),
    tag="deployments",
    query=EventsQuery,
    response=EventPage,
    errors=(404,),
)
async def deployment_events(
    request: web.Request, deployment_id: UUID, query: EventsQuery
) -> EventPage | web.StreamResponse:
    """One page of events (poll again with `after` until `finished`), or the live stream."""
    identity, deployment = identity_of(request), deployment_id
    if EVENT_STREAM in request.headers.get("Accept", ""):
        after = last_event_id(request, default=query.after)
        return await stream_events(request, deployment, after=after, limit=query.limit)
    return await service.list_events(
        identity=identity, deployment_id=deployment, after=query.after, limit=query.limit
    )
