"""The catalog's queries: the only module of the catalog that talks to the database."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from cdk_service.db.models import Template, TemplateVersion

# Any constant works: concurrent service starts serialise their registry syncs on it.
CATALOG_SYNC_LOCK = 0x0DA7A_0001


async def lock_for_sync() -> None:
    """Hold the catalog sync lock until the surrounding transaction ends."""
    # Inside a transaction Tortoise hands out the transaction's connection, so the lock holds.
    connection = Tortoise.get_connection("default")
    await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [CATALOG_SYNC_LOCK])


async def get_template(name: str) -> Template | None:
    """A template with its versions loaded, or None."""
    return await Template.get_or_none(name=name).prefetch_related("versions")


async def list_templates() -> list[Template]:
    """Every template with its versions loaded, by name."""
    return await Template.all().order_by("name").prefetch_related("versions")


async def get_version(
    name: str, version: str, *, for_update: bool = False
) -> TemplateVersion | None:
    """A version with its template loaded; ``for_update`` locks the version row."""
    query = TemplateVersion.filter(template__name=name, version=version).select_related("template")
    if for_update:
        query = query.select_for_update(of=(TemplateVersion._meta.db_table,))
    return await query.first()


async def all_versions() -> list[TemplateVersion]:
    """Every version in the database, with its template."""
    return await TemplateVersion.all().select_related("template")


async def save_template(name: str, title: str, description: str) -> Template:
    """Create the template, or refresh its title and description."""
    template, _ = await Template.update_or_create(
        name=name, defaults={"title": title, "description": description}
    )
    return template


async def create_version(template: Template, **values: Any) -> TemplateVersion:
    """A new version row of ``template``."""
    return await TemplateVersion.create(template=template, **values)


async def save_version(row: TemplateVersion, **changes: Any) -> TemplateVersion:
    """Apply ``changes`` to a version row and write them (and its ``updated_at``)."""
    row.update_from_dict(changes)
    await row.save(update_fields=[*changes, "updated_at"])
    return row
