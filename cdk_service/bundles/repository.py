"""Queries of template bundles and of the catalog rows their versions become."""

from __future__ import annotations

from typing import Any

from cdk_service.db.models import Stack, Template, TemplateBundle, TemplateVersion


async def get_bundle(digest: str) -> TemplateBundle | None:
    """The bundle with this digest, or None."""
    return await TemplateBundle.get_or_none(digest=digest)


async def list_bundles() -> list[TemplateBundle]:
    """Every bundle, newest upload first."""
    return await TemplateBundle.all().order_by("-uploaded_at", "-id")


async def create_bundle(**values: Any) -> TemplateBundle:
    """A new bundle row."""
    return await TemplateBundle.create(**values)


async def delete_bundle(bundle: TemplateBundle) -> None:
    """Remove a bundle row and the (draft) version rows made from it."""
    await TemplateVersion.filter(bundle_digest=bundle.digest).delete()
    await bundle.delete()


async def template_for_bundle(name: str, title: str, description: str) -> Template:
    """The template row of ``name``, created from the bundle's text when it is new."""
    template, _ = await Template.get_or_create(
        name=name, defaults={"title": title, "description": description}
    )
    return template


async def versions_from(digest: str) -> list[TemplateVersion]:
    """The catalog versions whose code is in the bundle."""
    return await TemplateVersion.filter(bundle_digest=digest).select_related("template")


async def stacks_on(digest: str) -> int:
    """How many stacks use a version from the bundle."""
    return await Stack.filter(template_version__bundle_digest=digest).count()
