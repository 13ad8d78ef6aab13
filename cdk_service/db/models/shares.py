"""Dataset shares: a team's request to read another team's dataset, and its grant."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from cdk_service.db.models.datasets import Dataset


class ShareStatus(StrEnum):
    """Where a share request is; ``approved`` waits for its grant deployment to start."""

    REQUESTED = "requested"
    APPROVED = "approved"
    GRANTING = "granting"
    GRANTED = "granted"
    REJECTED = "rejected"
    REVOKING = "revoking"
    REVOKED = "revoked"
    FAILED = "failed"


# The shares whose principal the owner's stack must trust (or is about to).
HELD_OPEN = (ShareStatus.APPROVED, ShareStatus.GRANTING, ShareStatus.GRANTED)


class DatasetShare(Model):
    """One team's read access to another team's dataset, for one of its IAM principals."""

    id = fields.UUIDField(primary_key=True)
    dataset: fields.ForeignKeyRelation[Dataset] = fields.ForeignKeyField(
        "models.Dataset", related_name="shares", on_delete=fields.CASCADE
    )
    owner_team = fields.CharField(max_length=63, db_index=True)
    requester_team = fields.CharField(max_length=63, db_index=True)
    principal_arn = fields.CharField(max_length=1024)
    reason = fields.TextField()
    status = fields.CharEnumField(ShareStatus, max_length=16, default=ShareStatus.REQUESTED)
    needs_admin = fields.BooleanField(default=False, description="A confidential dataset")
    requested_by = fields.CharField(max_length=256)
    owner_approved_by = fields.CharField(max_length=256, null=True)
    admin_approved_by = fields.CharField(max_length=256, null=True)
    decided_by = fields.CharField(max_length=256, null=True, description="Who rejected/revoked")
    deployment_id = fields.UUIDField(null=True, description="The latest grant or revoke deployment")
    error: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    dataset_id: UUID

    class Meta:
        table = "dataset_shares"
        ordering = ("-created_at", "-id")
