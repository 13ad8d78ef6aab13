"""Who owns stacks (teams) and where they are deployed (target accounts)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Team(Model):
    """A data team; its slug is also the identity group its members carry."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=63, unique=True)
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "teams"
        ordering = ("slug",)


class TargetAccount(Model):
    """An AWS account and region that stacks deploy into, through a deploy role."""

    id = fields.IntField(primary_key=True)
    account = fields.CharField(max_length=12, description="12-digit AWS account id")
    region = fields.CharField(max_length=32)
    deploy_role_arn = fields.CharField(max_length=2048)
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "target_accounts"
        unique_together = (("account", "region"),)
        ordering = ("account", "region")
