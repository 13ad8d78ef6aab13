"""Catalog endpoints: browse templates and versions; admins publish, deprecate and retire."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.catalog import service
from cdk_service.catalog.schemas import (
    Constraints,
    TemplateDetail,
    TemplateSummary,
    TemplateVersionDetail,
)

api = Api()
VERSION_PATH = "/v1/templates/{name}/versions/{version}"


class TemplateList(BaseModel):
    """The templates the caller may see."""

    templates: list[TemplateSummary]


class PublishBody(BaseModel):
    """Publish a version with its constraints (re-publishing updates them)."""

    constraints: Constraints = Field(default_factory=Constraints)


@api.route("GET", "/v1/templates", summary="List templates", tag="catalog", response=TemplateList)
async def list_templates(request: web.Request) -> TemplateList:
    """Templates with at least one version the caller may see."""
    return TemplateList(templates=await service.list_templates(identity=identity_of(request)))


@api.route(
    "GET",
    "/v1/templates/{name}",
    summary="A template and its versions",
    tag="catalog",
    response=TemplateDetail,
    errors=(404,),
)
async def get_template(request: web.Request, name: str) -> TemplateDetail:
    """One template with the versions the caller may see."""
    return await service.get_template(identity=identity_of(request), name=name)


@api.route(
    "GET",
    VERSION_PATH,
    summary="A template version with its effective JSON Schema",
    tag="catalog",
    response=TemplateVersionDetail,
    errors=(404,),
)
async def get_version(request: web.Request, name: str, version: str) -> TemplateVersionDetail:
    """One version: its schema narrowed by the constraints, outputs, digest and status."""
    return await service.get_version(identity=identity_of(request), name=name, version=version)


@api.route(
    "POST",
    VERSION_PATH + "/publish",
    summary="Publish a version with constraints (admins)",
    tag="catalog",
    body=PublishBody,
    response=TemplateVersionDetail,
    errors=(403, 404, 409),
)
async def publish_version(
    request: web.Request, name: str, version: str, body: PublishBody
) -> TemplateVersionDetail:
    """Make a version requestable, or update a published version's constraints."""
    return await service.publish(
        registry=services_of(request).registry,
        identity=identity_of(request),
        name=name,
        version=version,
        constraints=body.constraints,
    )


@api.route(
    "POST",
    VERSION_PATH + "/deprecate",
    summary="Deprecate a version: no new requests, existing stacks keep working (admins)",
    tag="catalog",
    response=TemplateVersionDetail,
    errors=(403, 404, 409),
)
async def deprecate_version(request: web.Request, name: str, version: str) -> TemplateVersionDetail:
    """Stop new requests for a version."""
    return await service.deprecate(identity=identity_of(request), name=name, version=version)


@api.route(
    "POST",
    VERSION_PATH + "/retire",
    summary="Retire a version for good (admins)",
    tag="catalog",
    response=TemplateVersionDetail,
    errors=(403, 404, 409),
)
async def retire_version(request: web.Request, name: str, version: str) -> TemplateVersionDetail:
    """Retire a version; it can never be published again."""
    return await service.retire(identity=identity_of(request), name=name, version=version)
