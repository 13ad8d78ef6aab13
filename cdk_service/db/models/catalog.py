"""The catalog: templates and their versions, with lifecycle status and code digests."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class VersionStatus(StrEnum):
    """Lifecycle of a template version: only published versions take new requests."""

    DRAFT = "draft"
    PUBLISHED = "published"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Template(Model):
    """A named template; title and description follow its newest version."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=63, unique=True)
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    versions: fields.ReverseRelation[TemplateVersion]

    class Meta:
        table = "templates"
        ordering = ("name",)


class TemplateVersion(Model):
    """One version of a template: its schema, code digest, status and constraints."""

    id = fields.IntField(primary_key=True)
    template: fields.ForeignKeyRelation[Template] = fields.ForeignKeyField(
        "models.Template", related_name="versions", on_delete=fields.RESTRICT
    )
    version = fields.CharField(max_length=64)
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    status = fields.CharEnumField(VersionStatus, max_length=16, default=VersionStatus.DRAFT)
    params_schema: fields.Field[dict[str, Any]] = fields.JSONField()
    outputs: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    constraints: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    code_digest = fields.CharField(max_length=64)
    previous_code_digest = fields.CharField(max_length=64, null=True)
    code_changed_at = fields.DatetimeField(null=True)
    code_available = fields.BooleanField(default=True)
    # Set for a version whose code came in an uploaded bundle, not with the service's image.
    bundle_digest = fields.CharField(max_length=64, null=True)
    published_at = fields.DatetimeField(null=True)
    published_by = fields.CharField(max_length=256, null=True)
    deprecated_at = fields.DatetimeField(null=True)
    deprecated_by = fields.CharField(max_length=256, null=True)
    retired_at = fields.DatetimeField(null=True)
    retired_by = fields.CharField(max_length=256, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    template_id: int

    class Meta:
        table = "template_versions"
        unique_together = (("template", "version"),)
