"""Stack and deployment resolvers: browse, request, preview, change, approve, cancel, destroy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.arguments import bounded, cursor
from api_lambdas.connections import asks_for, connection, page_size
from api_lambdas.resolver_context import or_none, renamed, service_of
from api_lambdas.service_calls import segment
from service_contract.cursors import encode_cursor
from service_contract.errors import InvalidInput

query = QueryType()
mutation = MutationType()
stack = ObjectType("Stack")
deployment = ObjectType("Deployment")
payload = ObjectType("DeploymentPayload")
MOST_EVENTS = 1000


def _stack(detail: dict[str, Any]) -> dict[str, Any]:
    return renamed(detail, template_name="template", template_version="version")


def _deployment(detail: dict[str, Any]) -> dict[str, Any]:
    return renamed(detail, template_name="template", template_version="version")


def accepted_payload(answer: dict[str, Any]) -> dict[str, Any]:
    """A ``DeploymentPayload`` from the service's accepted change."""
    stack_detail = answer.get("stack")
    return {
        "stack": None if stack_detail is None else _stack(stack_detail),
        "deployment": _deployment(answer["deployment"]),
        "replayed": answer.get("replayed", False),
    }


def stack_path(stack_id: str) -> str:
    """The service path of a stack."""
    return f"/v1/stacks/{segment(stack_id, 'id')}"


def deployment_path(deployment_id: str) -> str:
    """The service path of a deployment."""
    return f"/v1/deployments/{segment(deployment_id, 'id')}"


def service_page(
    nodes: list[dict[str, Any]], next_cursor: str | None, **extra: Any
) -> dict[str, Any]:
    """A connection over a page the service cut; each edge's cursor is the service's own."""
    cursors = [_cursor_of(node) for node in nodes]
    return connection(nodes, cursors=cursors, has_next_page=next_cursor is not None, **extra)


def _cursor_of(node: dict[str, Any]) -> Callable[[GraphQLResolveInfo], str]:
    """The cursor just past ``node``, made when a query asks for it (most ask for the last one
    only): the default resolvers call what they find in the field's place."""
    return lambda _: encode_cursor(datetime.fromisoformat(node["created_at"]), UUID(node["id"]))


@query.field("stacks")
async def resolve_stacks(
    _: None, info: GraphQLResolveInfo, first: int, after: str | None = None, **filters: Any
) -> dict[str, Any]:
    """A page of the stacks the caller may see, newest first (counted if the query asks)."""
    chosen = {name: bounded(value, name) for name, value in filters.items()}
    wanted = {"limit": page_size(first), "cursor": cursor(after), **chosen}
    if asks_for(info, "totalCount"):  # a count costs a statement: only for queries showing it
        wanted["with_total"] = "true"
    page = await service_of(info).read("/v1/stacks", wanted)
    nodes = [_stack(s) for s in page["stacks"]]
    return service_page(nodes, page["next_cursor"], total_count=page.get("total"))


@query.field("deployments")
async def resolve_deployments(
    _: None,
    info: GraphQLResolveInfo,
    first: int,
    after: str | None = None,
    status: str | None = None,
    stack_id: str | None = None,
) -> dict[str, Any]:
    """A page of the deployments the caller may see, newest first."""
    wanted = {
        "limit": page_size(first),
        "cursor": cursor(after),
        "status": bounded(status, "status"),
        "stack_id": None if stack_id is None else segment(stack_id, "stackId"),
    }
    page = await service_of(info).read("/v1/deployments", wanted)
    return service_page([_deployment(d) for d in page["deployments"]], page["next_cursor"])


@stack.field("deployments")
async def resolve_stack_deployments(
    parent: dict[str, Any], info: GraphQLResolveInfo, first: int, **options: Any
) -> dict[str, Any]:
    """The stack's deployments, newest first."""
    return await resolve_deployments(None, info, first, stack_id=parent["id"], **options)


@query.field("stack")
async def resolve_stack(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """One stack, or null."""
    detail = await or_none(service_of(info).read(stack_path(id)))
    return None if detail is None else _stack(detail)


@query.field("deployment")
async def resolve_deployment(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """One deployment, or null."""
    detail = await or_none(service_of(info).read(deployment_path(id)))
    return None if detail is None else _deployment(detail)


@stack.field("template")
async def resolve_stack_template(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The template the stack was made from, as the caller may see it."""
    path = f"/v1/templates/{segment(parent['template_name'], 'template')}"
    return await or_none(service_of(info).read(path))


@stack.field("activeDeployment")
async def resolve_active(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The deployment in progress, if any."""
    active = parent.get("active_deployment_id")
    return None if active is None else await resolve_deployment(None, info, id=active)


@deployment.field("stack")
async def resolve_deployment_stack(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The stack the deployment acts on."""
    return await resolve_stack(None, info, id=parent["stack_id"])


@payload.field("stack")
async def resolve_payload_stack(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The stack as the change left it (read again after an approval or a cancellation)."""
    if parent["stack"] is not None:
        return parent["stack"]
    return await resolve_stack(None, info, id=parent["deployment"]["stack_id"])


@deployment.field("events")
async def resolve_events(
    parent: dict[str, Any], info: GraphQLResolveInfo, first: int, after: str | None = None
) -> dict[str, Any]:
    """CloudFormation events after a cursor, oldest first."""
    if after is not None and not (after.isascii() and after.isdigit() and len(after) <= 20):
        raise InvalidInput("the cursor is not an event id", code="invalid_cursor", field="after")
    limit = page_size(first, most=MOST_EVENTS)
    page = await service_of(info).read(
        deployment_path(parent["id"]) + "/events", {"after": after or 0, "limit": limit}
    )
    events = page["events"]
    return connection(
        events,
        cursors=[str(e["id"]) for e in events],
        has_next_page=len(events) == limit,
        finished=page["finished"],
    )


@mutation.field("requestStack")
async def resolve_request(
    _: None, info: GraphQLResolveInfo, input: dict[str, Any]
) -> dict[str, Any]:
    """Request a new stack."""
    order = {k: v for k, v in input.items() if v is not None and k != "idempotency_key"}
    answer = await service_of(info).write(
        "POST", "/v1/stacks", body=order, idempotency_key=input.get("idempotency_key")
    )
    return accepted_payload(answer)


@mutation.field("previewStack")
async def resolve_preview(
    _: None,
    info: GraphQLResolveInfo,
    id: str,
    params: dict[str, Any] | None = None,
    version: str | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Preview a change; nothing changes in AWS until it is approved."""
    body = {"params": params or {}, "version": version}
    answer = await service_of(info).write(
        "POST", stack_path(id) + "/preview", body=body, idempotency_key=idempotency_key
    )
    return accepted_payload(answer)


async def _change(info: GraphQLResolveInfo, stack_id: str, key: str | None, **body: Any) -> Any:
    answer = await service_of(info).write(
        "POST", stack_path(stack_id) + "/deployments", body=body, idempotency_key=key
    )
    return accepted_payload(answer)


@mutation.field("updateStack")
async def resolve_update(
    _: None,
    info: GraphQLResolveInfo,
    id: str,
    params: dict[str, Any],
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Change a stack's parameters."""
    return await _change(info, id, idempotency_key, kind="update", params=params)  # type: ignore[no-any-return]


@mutation.field("upgradeStack")
async def resolve_upgrade(
    _: None,
    info: GraphQLResolveInfo,
    id: str,
    version: str,
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Move a stack to a newer template version."""
    return await _change(  # type: ignore[no-any-return]
        info, id, idempotency_key, kind="upgrade", version=version, params=params or {}
    )


@mutation.field("destroyStack")
async def resolve_destroy(
    _: None,
    info: GraphQLResolveInfo,
    id: str,
    force: bool = False,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Destroy a stack."""
    answer = await service_of(info).write(
        "DELETE",
        stack_path(id),
        query={"force": "true" if force else "false"},
        idempotency_key=idempotency_key,
    )
    return accepted_payload(answer)


@mutation.field("approveDeployment")
async def resolve_approve(_: None, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:
    """Execute a previewed deployment."""
    detail = await service_of(info).write("POST", deployment_path(id) + "/approve")
    return accepted_payload({"deployment": detail})


@mutation.field("cancelDeployment")
async def resolve_cancel(_: None, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:
    """Cancel a deployment that has not started executing."""
    detail = await service_of(info).write("POST", deployment_path(id) + "/cancel")
    return accepted_payload({"deployment": detail})


BINDABLES = [stack, deployment, payload]
