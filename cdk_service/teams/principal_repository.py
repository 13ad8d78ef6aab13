"""Queries for the grants that let IAM principals write dataset metadata for teams."""

from __future__ import annotations

from cdk_service.db.models import PrincipalGrant, Team


async def create_grant(principal_arn: str, team: Team, granted_by: str) -> PrincipalGrant:
    """A new grant; raises ``IntegrityError`` when the principal already has this team."""
    return await PrincipalGrant.create(
        principal_arn=principal_arn, team=team, granted_by=granted_by
    )


async def list_grants(principal_arn: str | None = None) -> list[PrincipalGrant]:
    """Every grant (or one principal's), with its team loaded, by principal then age."""
    query = PrincipalGrant.all().select_related("team")
    if principal_arn is not None:
        query = query.filter(principal_arn=principal_arn)
    return await query.order_by("principal_arn", "id")


async def delete_grant(grant_id: int) -> PrincipalGrant | None:
    """Remove a grant; the removed grant (team loaded), or None when there was none."""
    grant = await PrincipalGrant.get_or_none(id=grant_id).select_related("team")
    if grant is not None:
        await grant.delete()
    return grant
