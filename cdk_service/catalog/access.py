"""Finding the version a caller asked for, with the not-found answer their role should get."""

from __future__ import annotations

from typing import Any

from cdk_service.catalog import repository
from cdk_service.catalog.presenters import visible_versions
from cdk_service.db.models import TemplateVersion, VersionStatus
from service_contract.errors import Conflict, Forbidden, NotFound
from service_contract.identity import Identity
from stack_catalog.contract import Template
from stack_catalog.registry import Registry


async def not_found(identity: Identity, name: str, version: str) -> NotFound:
    """``template_not_found`` or ``version_not_found``, as the caller may know it."""
    # A template whose versions are all hidden from the caller does not exist for them.
    template = await repository.get_template(name)
    if template is None or not visible_versions(identity, template):
        return NotFound(f"template {name} not found", code="template_not_found")
    return NotFound(f"template {name} has no version {version}", code="version_not_found")


async def find_version(
    identity: Identity, name: str, version: str, **options: Any
) -> TemplateVersion:
    """The version row unless it is missing or a draft the caller may not see."""
    row = await repository.get_version(name, version, **options)
    if row is None or (row.status is VersionStatus.DRAFT and not identity.is_admin):
        raise await not_found(identity, name, version)
    return row


def code_of(registry: Registry, name: str, version: str) -> Template:
    """The version's code, or ``Conflict(code_unavailable)`` when this service lacks it."""
    template = registry.get(name, version)
    if template is None:
        raise Conflict(f"{name} {version} is not in this service's code", code="code_unavailable")
    return template


def require_admin(identity: Identity, action: str) -> None:
    """Raise ``Forbidden`` unless the caller is a platform admin."""
    if not identity.is_admin:
        raise Forbidden(f"only platform admins may {action}")
