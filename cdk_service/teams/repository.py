"""Queries for teams and target accounts."""

from __future__ import annotations

from collections.abc import Iterable

from cdk_service.db.models import TargetAccount, Team


async def create_team(slug: str, name: str) -> Team:
    """A new team; raises ``IntegrityError`` when the slug is taken."""
    return await Team.create(slug=slug, name=name)


async def list_teams(slugs: Iterable[str] | None = None) -> list[Team]:
    """All teams by slug, or only those with the given slugs."""
    query = Team.all() if slugs is None else Team.filter(slug__in=list(slugs))
    return await query.order_by("slug")


async def get_team(slug: str) -> Team | None:
    """The team with this slug, or None."""
    return await Team.get_or_none(slug=slug)


async def create_target_account(
    account: str, region: str, deploy_role_arn: str, name: str
) -> TargetAccount:
    """A new target account; raises ``IntegrityError`` when (account, region) is known."""
    return await TargetAccount.create(
        account=account, region=region, deploy_role_arn=deploy_role_arn, name=name
    )


async def list_target_accounts() -> list[TargetAccount]:
    """All target accounts by account and region."""
    return await TargetAccount.all().order_by("account", "region")


async def get_target_account(account: str, region: str) -> TargetAccount | None:
    """The target account for (account, region), or None."""
    return await TargetAccount.get_or_none(account=account, region=region)
