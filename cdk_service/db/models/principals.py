"""IAM principals (pipelines, jobs) and the teams whose datasets they may describe."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from cdk_service.db.models.tenancy import Team


class PrincipalGrant(Model):
    """One IAM principal ARN (a role or user, never a session) allowed to write for one team."""

    id = fields.IntField(primary_key=True)
    principal_arn = fields.CharField(max_length=1024, db_index=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="principal_grants", on_delete=fields.CASCADE
    )
    granted_by = fields.CharField(max_length=256)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "principal_grants"
        unique_together = (("principal_arn", "team"),)
        ordering = ("principal_arn", "id")
