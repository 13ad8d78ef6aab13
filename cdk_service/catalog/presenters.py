"""Database rows turned into the catalog schemas, showing each caller only what it may see."""

from __future__ import annotations

from cdk_service.catalog.lifecycle import may_see
from cdk_service.catalog.schemas import (
    CodeChange,
    Constraints,
    TemplateDetail,
    TemplateSummary,
    TemplateVersionDetail,
    VersionSummary,
)
from cdk_service.catalog.validation import effective_schema
from cdk_service.db.models import Template, TemplateVersion, VersionStatus
from service_contract.identity import Identity
from stack_catalog.contract import semver_key


def visible_versions(identity: Identity, template: Template) -> list[TemplateVersion]:
    """The template's (prefetched) versions the caller may see, newest first."""
    rows = [row for row in template.versions if may_see(identity, row.status)]
    return sorted(rows, key=lambda row: semver_key(row.version), reverse=True)


def template_summary(template: Template, versions: list[TemplateVersion]) -> TemplateSummary:
    """A listing entry from a template and its visible versions (newest first)."""
    published = [row.version for row in versions if row.status is VersionStatus.PUBLISHED]
    return TemplateSummary(
        name=template.name,
        title=template.title,
        description=template.description,
        latest_published=published[0] if published else None,
        versions=[row.version for row in versions],
    )


def template_detail(template: Template, versions: list[TemplateVersion]) -> TemplateDetail:
    """A template with its visible versions (newest first)."""
    return TemplateDetail(
        name=template.name,
        title=template.title,
        description=template.description,
        created_at=template.created_at,
        versions=[
            VersionSummary(
                version=row.version,
                status=row.status,
                code_available=row.code_available,
                published_at=row.published_at,
            )
            for row in versions
        ],
    )


def version_detail(row: TemplateVersion) -> TemplateVersionDetail:
    """A version (with its template loaded), its schema narrowed by its constraints."""
    constraints = Constraints.model_validate(row.constraints)
    return TemplateVersionDetail(
        name=row.template.name,
        version=row.version,
        title=row.title,
        description=row.description,
        status=row.status,
        json_schema=effective_schema(row.params_schema, constraints),
        outputs=row.outputs,
        code_digest=row.code_digest,
        code_available=row.code_available,
        bundle_digest=row.bundle_digest,
        code_changed=CodeChange(
            changed=row.previous_code_digest is not None,
            changed_at=row.code_changed_at,
            previous_digest=row.previous_code_digest,
        ),
        constraints=constraints,
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        published_by=row.published_by,
        deprecated_at=row.deprecated_at,
        deprecated_by=row.deprecated_by,
        retired_at=row.retired_at,
        retired_by=row.retired_by,
    )
