"""The audit log: who did what to which thing, and when."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """One recorded action; ``actor`` is a user, or ``system`` for the service itself."""

    id = fields.BigIntField(primary_key=True)
    actor = fields.CharField(max_length=256)
    action = fields.CharField(max_length=64, db_index=True)
    target_kind = fields.CharField(max_length=64)
    target_id = fields.CharField(max_length=256)
    details: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "audit_entries"
        ordering = ("id",)
        indexes = (("target_kind", "target_id"),)
