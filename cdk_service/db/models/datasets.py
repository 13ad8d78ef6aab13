"""Datasets: what a team's data is, where it lives, how sensitive it is, and its history."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from cdk_service.db.models.stacks import Stack


class Classification(StrEnum):
    """How sensitive a dataset is; public and internal metadata is visible to every team."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


class Dataset(Model):
    """The latest metadata of one dataset, owned by a team; its history is in revisions."""

    id = fields.UUIDField(primary_key=True)
    team = fields.CharField(max_length=63, db_index=True)
    name = fields.CharField(max_length=128)
    description = fields.TextField(default="")
    location = fields.CharField(max_length=1024, null=True, description="S3 URI of the data")
    glue_database = fields.CharField(max_length=255, null=True)
    glue_table = fields.CharField(max_length=255, null=True)
    format = fields.CharField(max_length=32, null=True)
    columns: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    tags: fields.Field[list[str]] = fields.JSONField(default=list)
    topics: fields.Field[list[str]] = fields.JSONField(default=list)
    classification = fields.CharEnumField(Classification, max_length=16)
    stack: fields.ForeignKeyNullableRelation[Stack] = fields.ForeignKeyField(
        "models.Stack", related_name="datasets", null=True, on_delete=fields.SET_NULL
    )
    revision = fields.IntField(default=1, description="Bumped on every change")
    created_by = fields.CharField(max_length=256)
    updated_by = fields.CharField(max_length=256)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    stack_id: UUID | None

    class Meta:
        table = "datasets"
        unique_together = (("team", "name"),)


class DatasetRevision(Model):
    """One change to a dataset: who, when, which fields (before and after); kept after delete."""

    id = fields.BigIntField(primary_key=True)
    dataset_id = fields.UUIDField(db_index=True)
    team = fields.CharField(max_length=63)
    revision = fields.IntField()
    action = fields.CharField(max_length=16, description="created, updated or deleted")
    changed_by = fields.CharField(max_length=256)
    changed_at = fields.DatetimeField(auto_now_add=True)
    changes: fields.Field[dict[str, Any]] = fields.JSONField(
        description="field name: {before, after}"
    )

    class Meta:
        table = "dataset_revisions"
        unique_together = (("dataset_id", "revision"),)
        ordering = ("dataset_id", "revision")
