"""The catalog's half of a new stack request: is the version open, are the params right."""

from __future__ import annotations

from typing import Any

from cdk_service.catalog import repository
from cdk_service.catalog.access import code_of, find_version
from cdk_service.catalog.presenters import visible_versions
from cdk_service.catalog.schemas import Constraints
from cdk_service.catalog.validation import (
    check_allowed_values,
    validate_params,
    validate_params_by_schema,
)
from cdk_service.db.models import TemplateVersion, VersionStatus
from service_contract.errors import Conflict, Forbidden, NotFound
from service_contract.identity import Identity
from stack_catalog.contract import semver_key
from stack_catalog.registry import Registry

CLOSED = (VersionStatus.DEPRECATED, VersionStatus.RETIRED)


async def validate_request(
    *, registry: Registry, identity: Identity, name: str, version: str, params: dict[str, Any]
) -> tuple[TemplateVersion, dict[str, Any]]:
    """Check a new stack request; returns the version row and the params, defaults filled in.

    Teams may request published versions; admins may also try drafts.
    """
    row = await find_version(identity, name, version)
    if row.status in CLOSED:
        raise Conflict(
            f"{name} {version} is {row.status.value}; it takes no new requests",
            code=f"version_{row.status.value}",
        )
    validated = (
        validate_params(code_of(registry, name, version), params)
        if row.bundle_digest is None
        else validate_params_by_schema(row.params_schema, params)
    )
    check_allowed_values(validated, Constraints.model_validate(row.constraints))
    return row, validated


async def newest_published(*, identity: Identity, name: str) -> str:
    """The newest published version of a template, for orders that name none."""
    template = await repository.get_template(name)
    if template is None:
        raise NotFound(f"template {name} not found", code="template_not_found")
    rows = visible_versions(identity, template)
    published = [row.version for row in rows if row.status is VersionStatus.PUBLISHED]
    if not published:
        raise NotFound(f"template '{name}' has no published version", code="version_not_found")
    return max(published, key=semver_key)


async def validate_order(
    *,
    registry: Registry,
    identity: Identity,
    team: str,
    name: str,
    version: str | None,
    params: dict[str, Any],
) -> tuple[TemplateVersion, dict[str, Any]]:
    """A team's order for a template version (the newest published one when none is named).

    The caller must belong to the team; then as ``validate_request``.
    """
    if not identity.may_act_for(team):
        raise Forbidden(f"you are not a member of team '{team}'", code="not_team_member")
    version = version or await newest_published(identity=identity, name=name)
    return await validate_request(
        registry=registry, identity=identity, name=name, version=version, params=params
    )
