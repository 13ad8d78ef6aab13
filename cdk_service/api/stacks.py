"""Stack and deployment endpoints: request, browse, change, approve, cancel, read events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.errors import InvalidInput
from cdk_service.stacks import service
from cdk_service.stacks.schemas import (
    DeploymentAccepted,
    DeploymentDetail,
    DeploymentRequest,
    DestroyOptions,
    EventPage,
    EventsQuery,
    StackDetail,
    StackFilter,
    StackPage,
    StackRequest,
)

api = Api()
IDEMPOTENCY_HEADER = "Idempotency-Key"
STACK_PATH = "/v1/stacks/{stack_id}"
DEPLOYMENT_PATH = "/v1/deployments/{deployment_id}"


def uuid_of(value: str, field: str) -> UUID:
    """A path id as a UUID; ``invalid_id`` when it is not one."""
    try:
        return UUID(value)
    except ValueError:
        raise InvalidInput(f"{field} must be a UUID", code="invalid_id", field=field) from None


@api.route(
    "POST",
    "/v1/stacks",
    summary="Request a stack (send an Idempotency-Key header to make retries safe)",
    tag="stacks",
    body=StackRequest,
    response=DeploymentAccepted,
    status=202,
    errors=(403, 404, 409),
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
async def get_stack(request: web.Request, stack_id: str) -> StackDetail:
    """One stack, with its deployment in progress if any."""
    return await service.get_stack(
        identity=identity_of(request), stack_id=uuid_of(stack_id, "stack_id")
    )


@api.route(
    "POST",
    STACK_PATH + "/deployments",
    summary="Update a stack's parameters or upgrade its template version",
    tag="stacks",
    body=DeploymentRequest,
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
)
async def change_stack(
    request: web.Request, stack_id: str, body: DeploymentRequest
) -> DeploymentAccepted:
    """Start an update or upgrade deployment; 409 names the deployment already in progress."""
    services, identity = services_of(request), identity_of(request)
    common: dict[str, Any] = {
        "registry": services.registry,
        "dispatcher": services.dispatcher,
        "identity": identity,
        "stack_id": uuid_of(stack_id, "stack_id"),
        "params": body.params,
        "idempotency_key": request.headers.get(IDEMPOTENCY_HEADER),
    }
    if body.version is None:
        return await service.request_update(**common)
    return await service.request_upgrade(version=body.version, **common)


@api.route(
    "DELETE",
    STACK_PATH,
    summary="Destroy a stack (force: what is left of a failed one)",
    tag="stacks",
    query=DestroyOptions,
    response=DeploymentAccepted,
    status=202,
    errors=(404, 409),
)
async def destroy_stack(
    request: web.Request, stack_id: str, query: DestroyOptions
) -> DeploymentAccepted:
    """Start a destroy deployment."""
    return await service.request_destroy(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        stack_id=uuid_of(stack_id, "stack_id"),
        force=query.force,
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
async def get_deployment(request: web.Request, deployment_id: str) -> DeploymentDetail:
    """Status, step, preview and error of one deployment."""
    return await service.get_deployment(
        identity=identity_of(request), deployment_id=uuid_of(deployment_id, "deployment_id")
    )


@api.route(
    "POST",
    DEPLOYMENT_PATH + "/approve",
    summary="Approve a deployment waiting for approval (admins)",
    tag="deployments",
    response=DeploymentDetail,
    errors=(403, 404, 409),
)
async def approve_deployment(request: web.Request, deployment_id: str) -> DeploymentDetail:
    """Queue the deployment for the workers."""
    return await service.approve(
        dispatcher=services_of(request).dispatcher,
        identity=identity_of(request),
        deployment_id=uuid_of(deployment_id, "deployment_id"),
    )


@api.route(
    "POST",
    DEPLOYMENT_PATH + "/cancel",
    summary="Cancel a deployment that has not started executing",
    tag="deployments",
    response=DeploymentDetail,
    errors=(404, 409),
)
async def cancel_deployment(request: web.Request, deployment_id: str) -> DeploymentDetail:
    """Cancel it; a cancelled create ends its stack."""
    return await service.cancel(
        identity=identity_of(request), deployment_id=uuid_of(deployment_id, "deployment_id")
    )


@api.route(
    "GET",
    DEPLOYMENT_PATH + "/events",
    summary="A deployment's stack events after a marker",
    tag="deployments",
    query=EventsQuery,
    response=EventPage,
    errors=(404,),
)
async def deployment_events(
    request: web.Request, deployment_id: str, query: EventsQuery
) -> EventPage:
    """One page of events; poll again with `after` until `finished`."""
    return await service.list_events(
        identity=identity_of(request),
        deployment_id=uuid_of(deployment_id, "deployment_id"),
        after=query.after,
        limit=query.limit,
    )
