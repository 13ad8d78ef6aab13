"""Dataset resolvers both GraphQL APIs share: read a dataset and its history, change it."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.connections import sliced
from api_lambdas.resolver_context import or_none, service_of
from api_lambdas.service_calls import segment

query = QueryType()
dataset = ObjectType("Dataset")


def dataset_path(dataset_id: str) -> str:
    """The service path of a dataset."""
    return f"/v1/datasets/{segment(dataset_id, 'id')}"


# Fields a dataset may lack: an explicit null in a change clears them.
CLEARABLE = frozenset({"location", "glue_database", "glue_table", "format", "stack_id"})


def without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields a caller gave: the service changes exactly those."""
    return {key: value for key, value in values.items() if value is not None}


def changes_of(values: dict[str, Any]) -> dict[str, Any]:
    """The fields a change gave: a null clears a field a dataset may lack, and is ignored on
    the others (left out, as GraphQL clients often send every field)."""
    return {key: value for key, value in values.items() if value is not None or key in CLEARABLE}


@query.field("dataset")
async def resolve_dataset(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """One dataset, or null."""
    return await or_none(service_of(info).read(dataset_path(id)))


@dataset.field("history")
async def resolve_history(
    parent: dict[str, Any], info: GraphQLResolveInfo, first: int, after: str | None = None
) -> dict[str, Any] | None:
    """Changes, newest first; None on another team's dataset, whose history the service keeps
    from it (asking would turn the whole dataset into an error)."""
    if parent.get("access") != "owner":
        return None
    history = await service_of(info).read(dataset_path(parent["id"]) + "/history")
    return sliced(history["revisions"][::-1], first=first, after=after)


async def update_dataset(info: GraphQLResolveInfo, dataset_id: str, changes: dict[str, Any]) -> Any:
    """Change the given fields of a dataset, as the caller (see ``changes_of``)."""
    body = changes_of(changes)
    return await service_of(info).write("PATCH", dataset_path(dataset_id), body=body)
