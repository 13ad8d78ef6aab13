"""Template bundles: uploaded template packages, stored by the digest of their archive."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class TemplateBundle(Model):
    """One uploaded bundle: its digest, package, the versions it holds, who uploaded it."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    package = fields.CharField(max_length=200)
    size = fields.IntField()
    versions: fields.Field[list[Any]] = fields.JSONField(default=list)
    findings: fields.Field[list[Any]] = fields.JSONField(default=list)
    uploaded_by = fields.CharField(max_length=256)
    uploaded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "template_bundles"
        ordering = ("-uploaded_at",)
