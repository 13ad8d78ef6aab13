"""Deployment listing: a stack's history, and what waits in a status (approvals)."""

from __future__ import annotations

from aiohttp import web

from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.deployments.listing import (
    DeploymentFilter,
    DeploymentPage,
    list_deployments,
)

api = Api()


@api.route(
    "GET",
    "/v1/deployments",
    summary="List deployments of the stacks the caller may see, newest first",
    tag="deployments",
    query=DeploymentFilter,
    response=DeploymentPage,
)
async def deployments(request: web.Request, query: DeploymentFilter) -> DeploymentPage:
    """One page of deployments, filtered by stack and status."""
    return await list_deployments(identity=identity_of(request), filters=query)
