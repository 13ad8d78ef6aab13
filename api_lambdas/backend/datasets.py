"""Dataset mutations of the Backend: teams register, edit and delete their datasets."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLResolveInfo

from api_lambdas.dataset_resolvers import dataset_path, update_dataset, without_nulls
from api_lambdas.resolver_context import service_of

mutation = MutationType()
deletion = ObjectType("DatasetDeletion")


@mutation.field("registerDataset")
async def resolve_register(_: None, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    """Register a dataset of one of the caller's teams."""
    return await service_of(info).write("POST", "/v1/datasets", body=without_nulls(input))


@mutation.field("updateDataset")
async def resolve_update(_: None, info: GraphQLResolveInfo, id: str, input: dict[str, Any]) -> Any:
    """Change the given fields of a dataset."""
    return await update_dataset(info, id, input)


@mutation.field("deleteDataset")
async def resolve_delete(
    _: None, info: GraphQLResolveInfo, id: str, revision: int | None = None
) -> Any:
    """Delete a dataset; its history, ending with the deletion."""
    return await service_of(info).write("DELETE", dataset_path(id), query={"revision": revision})


BINDABLES = [deletion]
