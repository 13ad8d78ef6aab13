"""Dataset share resolvers: request, list, preview, approve, reject, revoke."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.arguments import bounded, cursor
from api_lambdas.backend.stacks import accepted_payload, service_page
from api_lambdas.connections import page_size
from api_lambdas.resolver_context import or_none, service_of
from api_lambdas.service_calls import segment

query = QueryType()
mutation = MutationType()
share = ObjectType("DatasetShare")


def share_path(share_id: str) -> str:
    """The service path of a share."""
    return f"/v1/shares/{segment(share_id, 'id')}"


@query.field("datasetShares")
async def resolve_shares(
    _: None, info: GraphQLResolveInfo, first: int, after: str | None = None, **filters: Any
) -> dict[str, Any]:
    """One page of the caller's incoming or outgoing shares."""
    chosen = {name: bounded(value, name) for name, value in filters.items()}
    chosen["dataset_id"] = chosen.pop("datasetId", None)
    wanted = {"limit": page_size(first), "cursor": cursor(after), **chosen}
    page = await service_of(info).read("/v1/shares", wanted)
    return service_page(page["shares"], page["next_cursor"])


@query.field("datasetShare")
async def resolve_share(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """A share either of the caller's teams is party to, else null."""
    return await or_none(service_of(info).read(share_path(id)))


@share.field("history")
async def resolve_history(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The share's recorded changes."""
    return (await service_of(info).read(share_path(parent["id"]) + "/history"))["events"]


@mutation.field("requestDatasetShare")
async def resolve_request(_: None, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    """Record a request for another team's dataset."""
    body = {
        "dataset_id": input["dataset_id"],
        "team": input["team"],
        "principal_arn": input["principal_arn"],
        "reason": input["reason"],
    }
    return await service_of(info).write("POST", "/v1/shares", body=body)


@mutation.field("previewDatasetShare")
async def resolve_preview(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """Queue the preview of the grant."""
    return accepted_payload(await service_of(info).write("POST", share_path(id) + "/preview"))


async def _decide(info: GraphQLResolveInfo, id: str, decision: str, note: str | None) -> Any:
    body = {"note": bounded(note, "note") or ""}
    return await service_of(info).write("POST", f"{share_path(id)}/{decision}", body=body)


@mutation.field("approveDatasetShare")
async def resolve_approve(
    _: None, info: GraphQLResolveInfo, id: str, note: str | None = None
) -> Any:
    """Approve; once every approval is in, the grant deploys."""
    return await _decide(info, id, "approve", note)


@mutation.field("rejectDatasetShare")
async def resolve_reject(
    _: None, info: GraphQLResolveInfo, id: str, note: str | None = None
) -> Any:
    """Turn the request down."""
    return await _decide(info, id, "reject", note)


@mutation.field("revokeDatasetShare")
async def resolve_revoke(
    _: None, info: GraphQLResolveInfo, id: str, note: str | None = None
) -> Any:
    """End the grant."""
    return await _decide(info, id, "revoke", note)


BINDABLES = [share]
