"""Bring the catalog in line with the code's registry when the service starts."""

from __future__ import annotations

from typing import Any

from tortoise import timezone

from cdk_service.catalog import repository
from cdk_service.catalog.schemas import SyncReport
from cdk_service.db.audit import SYSTEM_ACTOR, record_audit
from cdk_service.db.models import Template as TemplateRow
from cdk_service.db.models import TemplateVersion
from cdk_service.db.transactions import transaction
from stack_catalog.contract import Template, semver_key
from stack_catalog.registry import Registry


async def _audit(action: str, key: str, details: dict[str, Any] | None = None) -> None:
    await record_audit(
        actor=SYSTEM_ACTOR,
        action=f"template_version.{action}",
        target_kind="template_version",
        target_id=key,
        details=details,
    )


async def _save_templates(registry: Registry) -> dict[str, TemplateRow]:
    """One row per template name, titled after its newest version."""
    newest: dict[str, Template] = {}
    for template in registry:
        current = newest.get(template.name)
        if current is None or semver_key(template.version) > semver_key(current.version):
            newest[template.name] = template
    return {
        name: await repository.save_template(name, template.title, template.description)
        for name, template in newest.items()
    }


def _code_values(template: Template) -> dict[str, Any]:
    """What the code says about a version, as stored on its row."""
    return {
        "title": template.title,
        "description": template.description,
        "params_schema": template.json_schema(),
        "outputs": dict(template.outputs),
        "code_available": True,
    }


async def _sync_version(
    template: Template, digest: str, parent: TemplateRow, row: TemplateVersion | None
) -> str | None:
    """Create or refresh one version's row; returns 'registered', 'code_changed' or None."""
    key = f"{template.name}@{template.version}"
    values = _code_values(template)
    if row is None:
        await repository.create_version(
            parent, version=template.version, code_digest=digest, **values
        )
        await _audit("registered", key, {"code_digest": digest})
        return "registered"
    outcome = None
    if row.code_digest != digest:
        # Same version number, different code: keep what it was so an admin can see it.
        values |= {"code_digest": digest, "previous_code_digest": row.code_digest}
        values["code_changed_at"] = timezone.now()
        await _audit("code_changed", key, {"previous_digest": row.code_digest, "digest": digest})
        outcome = "code_changed"
    if changes := {name: value for name, value in values.items() if getattr(row, name) != value}:
        await repository.save_version(row, **changes)
    return outcome


async def _mark_unavailable(row: TemplateVersion) -> None:
    """The code no longer has this version: keep the row (stacks use it), flag it."""
    if row.code_available:
        await repository.save_version(row, code_available=False)
        await _audit("code_unavailable", f"{row.template.name}@{row.version}")


async def sync_registry(*, registry: Registry) -> SyncReport:
    """Make sure every template version in the code has a row; new ones start as drafts."""
    report = SyncReport()
    async with transaction():
        await repository.lock_for_sync()
        rows = {(row.template.name, row.version): row for row in await repository.all_versions()}
        # A bundle's versions are not in the image's code, and an image that later ships a
        # version a bundle already holds leaves the catalog's row (and its stacks) to the bundle.
        bundled = {key for key, row in rows.items() if row.bundle_digest is not None}
        known = {key: row for key, row in rows.items() if key not in bundled}
        parents = await _save_templates(registry)
        for template in registry:
            if template.key in bundled:
                continue
            digest = registry.digest(template.name, template.version)
            row = known.pop(template.key, None)
            outcome = await _sync_version(template, digest, parents[template.name], row)
            if outcome is not None:
                getattr(report, outcome).append(f"{template.name}@{template.version}")
        for row in known.values():
            await _mark_unavailable(row)
            report.unavailable.append(f"{row.template.name}@{row.version}")
    return report
