"""Catalog use cases: browse, publish, deprecate, retire (and, re-exported, sync and requests)."""

from __future__ import annotations

from typing import Any

from tortoise import timezone

from cdk_service.catalog import repository
from cdk_service.catalog.access import code_of, find_version, not_found, require_admin
from cdk_service.catalog.lifecycle import check_transition
from cdk_service.catalog.presenters import (
    template_detail,
    template_summary,
    version_detail,
    visible_versions,
)
from cdk_service.catalog.request_validation import validate_request
from cdk_service.catalog.schemas import (
    Constraints,
    TemplateDetail,
    TemplateSummary,
    TemplateVersionDetail,
)
from cdk_service.catalog.sync import sync_registry
from cdk_service.catalog.validation import check_constraints
from cdk_service.db.audit import record_audit
from cdk_service.db.models import TemplateVersion, VersionStatus
from cdk_service.db.transactions import transaction
from service_contract.errors import NotFound
from service_contract.identity import Identity
from stack_catalog.registry import Registry

__all__ = [
    "deprecate",
    "get_template",
    "get_version",
    "list_templates",
    "publish",
    "retire",
    "sync_registry",
    "validate_request",
]

# Publishing a deprecated version again makes it current; the audit log keeps the history.
CLEARED_DEPRECATION: dict[str, Any] = {"deprecated_at": None, "deprecated_by": None}


async def list_templates(*, identity: Identity) -> list[TemplateSummary]:
    """Templates with at least one version the caller may see, by name."""
    summaries = []
    for template in await repository.list_templates():
        if versions := visible_versions(identity, template):
            summaries.append(template_summary(template, versions))
    return summaries


async def get_template(*, identity: Identity, name: str) -> TemplateDetail:
    """One template with the versions the caller may see."""
    template = await repository.get_template(name)
    if template is None or not (versions := visible_versions(identity, template)):
        raise NotFound(f"template {name} not found", code="template_not_found")
    return template_detail(template, versions)


async def get_version(*, identity: Identity, name: str, version: str) -> TemplateVersionDetail:
    """One version, if the caller may see it (teams: published and deprecated only)."""
    row = await find_version(identity, name, version)
    if row.status is VersionStatus.RETIRED and not identity.is_admin:
        raise await not_found(identity, name, version)
    return version_detail(row)


async def _change_status(
    identity: Identity, row: TemplateVersion, target: VersionStatus, **changes: Any
) -> TemplateVersionDetail:
    """Move a locked row to ``target`` and record who did it, in the caller's transaction."""
    previous = row.status
    check_transition(previous, target)
    if previous is not target:
        now = timezone.now()
        changes |= {f"{target.value}_at": now, f"{target.value}_by": identity.user}
    await repository.save_version(row, status=target, **changes)
    await record_audit(
        actor=identity.user,
        action=f"template_version.{target.value}",
        target_kind="template_version",
        target_id=f"{row.template.name}@{row.version}",
        details={"from": previous.value, "to": target.value, **_audited(changes)},
    )
    return version_detail(row)


def _audited(changes: dict[str, Any]) -> dict[str, Any]:
    # Timestamps and actor are on the entry itself; constraints are what an auditor needs.
    return {key: value for key, value in changes.items() if key == "constraints"}


async def publish(
    *, registry: Registry, identity: Identity, name: str, version: str, constraints: Constraints
) -> TemplateVersionDetail:
    """Publish a draft or deprecated version, or update a published one's constraints."""
    require_admin(identity, "publish template versions")
    async with transaction():
        row = await find_version(identity, name, version, for_update=True)
        check_transition(row.status, VersionStatus.PUBLISHED)
        if row.bundle_digest is None:  # a bundle's code was checked when it was uploaded
            code_of(registry, name, version)
        check_constraints(row.params_schema, constraints)
        cleared = {} if row.status is VersionStatus.PUBLISHED else CLEARED_DEPRECATION
        return await _change_status(
            identity,
            row,
            VersionStatus.PUBLISHED,
            constraints=constraints.model_dump(mode="json"),
            **cleared,
        )


async def deprecate(*, identity: Identity, name: str, version: str) -> TemplateVersionDetail:
    """Stop new requests for a published version; existing stacks keep working."""
    require_admin(identity, "deprecate template versions")
    async with transaction():
        row = await find_version(identity, name, version, for_update=True)
        return await _change_status(identity, row, VersionStatus.DEPRECATED)


async def retire(*, identity: Identity, name: str, version: str) -> TemplateVersionDetail:
    """Retire a published or deprecated version for good."""
    require_admin(identity, "retire template versions")
    async with transaction():
        row = await find_version(identity, name, version, for_update=True)
        return await _change_status(identity, row, VersionStatus.RETIRED)
