"""Dataset endpoints: register, read, change, delete, and the history of changes."""

from __future__ import annotations

from uuid import UUID

from aiohttp import web

from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.datasets import service
from cdk_service.datasets.schemas import (
    DatasetDetail,
    DatasetHistory,
    DatasetRegistration,
    DatasetUpdate,
    DeleteOptions,
)

api = Api()
DATASET_PATH = "/v1/datasets/{dataset_id}"


@api.route(
    "POST",
    "/v1/datasets",
    summary="Register a dataset of one of the caller's teams",
    tag="datasets",
    body=DatasetRegistration,
    response=DatasetDetail,
    status=201,
    errors=(403, 409),
)
async def register_dataset(request: web.Request, body: DatasetRegistration) -> DatasetDetail:
    """Record the dataset; its history starts with this revision."""
    return await service.register(identity=identity_of(request), registration=body)


@api.route(
    "GET",
    DATASET_PATH,
    summary="A dataset (another team's public or internal one: metadata only)",
    tag="datasets",
    response=DatasetDetail,
    errors=(404,),
)
async def get_dataset(request: web.Request, dataset_id: UUID) -> DatasetDetail:
    """The latest metadata of a dataset the caller may see."""
    return await service.get(identity=identity_of(request), dataset_id=dataset_id)


@api.route(
    "PATCH",
    DATASET_PATH,
    summary="Change a dataset's metadata (only the fields sent; revision guards against races)",
    tag="datasets",
    body=DatasetUpdate,
    response=DatasetDetail,
    errors=(403, 404, 409),
)
async def update_dataset(
    request: web.Request, dataset_id: UUID, body: DatasetUpdate
) -> DatasetDetail:
    """Apply the change and record who made it."""
    return await service.update(identity=identity_of(request), dataset_id=dataset_id, update=body)


@api.route(
    "DELETE",
    DATASET_PATH,
    summary="Delete a dataset; its history is kept",
    tag="datasets",
    query=DeleteOptions,
    response=DatasetHistory,
    errors=(403, 404, 409),
)
async def delete_dataset(
    request: web.Request, dataset_id: UUID, query: DeleteOptions
) -> DatasetHistory:
    """Remove the dataset and return its history, ending with the deletion."""
    return await service.delete(
        identity=identity_of(request),
        dataset_id=dataset_id,
        revision=query.revision,
    )


@api.route(
    "GET",
    DATASET_PATH + "/history",
    summary="Every change to a dataset: who changed which fields, when (its team and admins)",
    tag="datasets",
    response=DatasetHistory,
    errors=(404,),
)
async def dataset_history(request: web.Request, dataset_id: UUID) -> DatasetHistory:
    """Revisions, oldest first."""
    return await service.history(identity=identity_of(request), dataset_id=dataset_id)
