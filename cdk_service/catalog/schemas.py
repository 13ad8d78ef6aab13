"""What the catalog shows and accepts; these models also write the API's OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.db.models import VersionStatus

AllowedValues = Annotated[list[Any], Field(min_length=1)]


class Constraints(BaseModel):
    """What an admin attaches to a published version to narrow and govern its use."""

    model_config = ConfigDict(extra="forbid")

    allowed_values: dict[str, AllowedValues] = Field(
        default_factory=dict,
        description="Parameter name → the only values a request may use; each value must be "
        "valid for the parameter (and within its enum, if it has one)",
    )
    requires_approval: bool = Field(
        default=False, description="Requests wait for an admin's approval before deploying"
    )
    quota_per_team: int | None = Field(
        default=None, ge=1, description="Most live stacks of this version one team may own"
    )
    default_ttl_hours: int | None = Field(
        default=None, ge=1, description="Stacks expire this many hours after creation by default"
    )


class CodeChange(BaseModel):
    """Whether the template's code changed under this version number since it was registered."""

    changed: bool = Field(description="The code digest differs from the one first recorded")
    changed_at: datetime | None = Field(default=None, description="When the change was seen")
    previous_digest: str | None = Field(default=None, description="The digest before the change")


class VersionSummary(BaseModel):
    """One version in a template's list."""

    version: str = Field(description="Semantic version")
    status: VersionStatus = Field(description="draft, published, deprecated or retired")
    code_available: bool = Field(description="This service's code still has the version")
    published_at: datetime | None = Field(default=None, description="When it was last published")


class TemplateBase(BaseModel):
    """What every view of a template shows."""

    name: str = Field(description="Template name (a slug)")
    title: str = Field(description="Human title, from the newest version")
    description: str = Field(description="What the template builds, from the newest version")


class TemplateSummary(TemplateBase):
    """A template in the catalog listing."""

    latest_published: str | None = Field(
        default=None, description="Newest published version, if any"
    )
    versions: list[str] = Field(description="The versions the caller may see, newest first")


class TemplateDetail(TemplateBase):
    """A template with the versions the caller may see."""

    created_at: datetime = Field(description="When the template was first registered")
    versions: list[VersionSummary] = Field(description="Visible versions, newest first")


class TemplateVersionDetail(BaseModel):
    """One template version: what a request form needs, and its lifecycle record."""

    name: str = Field(description="Template name")
    version: str = Field(description="Semantic version")
    title: str = Field(description="Human title")
    description: str = Field(description="What this version builds")
    status: VersionStatus = Field(description="draft, published, deprecated or retired")
    json_schema: dict[str, Any] = Field(
        description="Effective parameter JSON Schema: the template's, narrowed by the "
        "constraints' allowed values (as enums)"
    )
    outputs: dict[str, str] = Field(description="Output name → what it holds")
    code_digest: str = Field(description="SHA-256 of the template's code")
    code_available: bool = Field(description="This service's code still has the version")
    bundle_digest: str | None = Field(
        default=None, description="The uploaded bundle holding its code; null: built into the image"
    )
    code_changed: CodeChange = Field(description="Code changes under this version number")
    constraints: Constraints = Field(description="Constraints set when it was published")
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    published_by: str | None = None
    deprecated_at: datetime | None = None
    deprecated_by: str | None = None
    retired_at: datetime | None = None
    retired_by: str | None = None


class SyncReport(BaseModel):
    """What a registry sync changed, as ``name@version`` keys."""

    registered: list[str] = Field(default_factory=list, description="New versions (as drafts)")
    code_changed: list[str] = Field(default_factory=list, description="Digest changed")
    unavailable: list[str] = Field(default_factory=list, description="Code gone from registry")
