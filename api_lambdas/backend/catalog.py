"""Catalog resolvers: templates, versions and their JSON Schema; admins change their status."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.connections import sliced
from api_lambdas.resolver_context import or_none, service_of
from api_lambdas.service_calls import segment

query = QueryType()
mutation = MutationType()
template = ObjectType("Template")
version = ObjectType("TemplateVersion")
# Fields only a version's detail has; a version met in a list is fetched when one is asked for.
DETAIL_FIELDS = "json_schema"


def template_path(name: str) -> str:
    """The service path of a template."""
    return f"/v1/templates/{segment(name, 'name')}"


def version_path(name: str, number: str) -> str:
    """The service path of a template version."""
    return f"{template_path(name)}/versions/{segment(number, 'version')}"


@query.field("templates")
async def resolve_templates(
    _: None, info: GraphQLResolveInfo, first: int, after: str | None = None
) -> dict[str, Any]:
    """Templates the caller may see, a page at a time."""
    listing = await service_of(info).read("/v1/templates")
    return sliced(listing["templates"], first=first, after=after)


@query.field("template")
async def resolve_template(_: None, info: GraphQLResolveInfo, name: str) -> Any:
    """One template, or null."""
    return await or_none(service_of(info).read(template_path(name)))


@query.field("templateVersion")
async def resolve_template_version(
    _: None, info: GraphQLResolveInfo, name: str, version: str
) -> Any:
    """One version, or null."""
    return await or_none(service_of(info).read(version_path(name, version)))


@query.field("templateBundles")
async def resolve_template_bundles(_: None, info: GraphQLResolveInfo) -> Any:
    """Every uploaded bundle (admins)."""
    return (await service_of(info).read("/v1/template-bundles"))["bundles"]


@template.field("latestVersion")
async def resolve_latest(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
    """The newest published version, if any."""
    if "latest_published" in parent:
        number = parent["latest_published"]
    else:
        listing = await service_of(info).read("/v1/templates")
        summary: dict[str, Any] = next(
            (t for t in listing["templates"] if t["name"] == parent["name"]), {}
        )
        number = summary.get("latest_published")
    return None if number is None else {"name": parent["name"], "version": number}


@template.field("versions")
async def resolve_versions(parent: dict[str, Any], info: GraphQLResolveInfo) -> list[Any]:
    """The visible versions, newest first."""
    versions = parent["versions"]
    if versions and isinstance(versions[0], str):
        versions = (await service_of(info).read(template_path(parent["name"])))["versions"]
    return [{"name": parent["name"], **v} for v in versions]


async def _detail(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    if DETAIL_FIELDS in parent:
        return parent
    path = version_path(parent["name"], parent["version"])
    detail: dict[str, Any] = await service_of(info).read(path)
    return detail


def _from_detail(field: str, key: str, pick: Any = None) -> None:
    """Resolve ``field`` from ``key`` of the version, fetching its detail when it lacks it."""

    async def resolve(parent: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        source = parent if key in parent else await _detail(parent, info)
        return source[key] if pick is None else pick(source[key])

    version.set_field(field, resolve)


for _field, _key in [
    ("status", "status"),
    ("title", "title"),
    ("description", "description"),
    ("paramsSchema", "json_schema"),
    ("outputs", "outputs"),
    ("constraints", "constraints"),
    ("codeDigest", "code_digest"),
    ("codeAvailable", "code_available"),
    ("publishedAt", "published_at"),
    ("publishedBy", "published_by"),
    ("deprecatedAt", "deprecated_at"),
    ("retiredAt", "retired_at"),
]:
    _from_detail(_field, _key)
_from_detail("requiresApproval", "constraints", lambda c: bool(c.get("requires_approval")))
_from_detail("codeChanged", "code_changed", lambda c: bool(c["changed"]))


@mutation.field("publishTemplateVersion")
async def resolve_publish(
    _: None,
    info: GraphQLResolveInfo,
    name: str,
    version: str,
    constraints: dict[str, Any] | None = None,
) -> Any:
    """Publish a version with its constraints (admins)."""
    body = {"constraints": constraints or {}}
    return await service_of(info).write("POST", version_path(name, version) + "/publish", body=body)


@mutation.field("deprecateTemplateVersion")
async def resolve_deprecate(_: None, info: GraphQLResolveInfo, name: str, version: str) -> Any:
    """Deprecate a version (admins)."""
    return await service_of(info).write("POST", version_path(name, version) + "/deprecate")


@mutation.field("retireTemplateVersion")
async def resolve_retire(_: None, info: GraphQLResolveInfo, name: str, version: str) -> Any:
    """Retire a version (admins)."""
    return await service_of(info).write("POST", version_path(name, version) + "/retire")


BINDABLES = [template, version]
