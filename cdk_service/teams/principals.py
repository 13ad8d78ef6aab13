"""IAM principals and the teams they may write dataset metadata for; admins manage the grants.

A principal is named by its IAM ARN (see ``service_contract.iam_principals``: a session of an
assumed role is the role itself).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from tortoise.exceptions import IntegrityError

from cdk_service.catalog.access import require_admin
from cdk_service.db.audit import record_audit
from cdk_service.db.models import PrincipalGrant
from cdk_service.db.transactions import transaction
from cdk_service.teams import principal_repository
from cdk_service.teams import repository as team_repository
from service_contract.errors import Conflict, InvalidInput, NotFound
from service_contract.iam_principals import PRINCIPAL_ARN_PATTERN, is_principal, principal_of
from service_contract.identity import Identity
from stack_catalog.contract import SLUG_PATTERN


class GrantCreate(BaseModel):
    """Let a principal write dataset metadata for a team."""

    model_config = ConfigDict(extra="forbid")

    principal_arn: str = Field(
        pattern=PRINCIPAL_ARN_PATTERN,
        max_length=1024,
        description="IAM role or user ARN (no path; sessions of the role are included)",
    )
    team: str = Field(pattern=SLUG_PATTERN, description="Team slug")


class GrantDetail(BaseModel):
    """A grant."""

    id: int
    principal_arn: str
    team: str
    granted_by: str
    created_at: datetime


class PrincipalTeams(BaseModel):
    """The teams a principal may write dataset metadata for."""

    principal_arn: str
    teams: list[str]


def _detail(grant: PrincipalGrant) -> GrantDetail:
    return GrantDetail(
        id=grant.id,
        principal_arn=grant.principal_arn,
        team=grant.team.slug,
        granted_by=grant.granted_by,
        created_at=grant.created_at,
    )


async def grant(*, identity: Identity, request: GrantCreate) -> GrantDetail:
    """Grant a principal a team (admins); ``grant_exists`` when it has it already."""
    require_admin(identity, "grant principals access to teams")
    team = await team_repository.get_team(request.team)
    if team is None:
        raise NotFound(f"team {request.team} not found", code="team_not_found", field="team")
    try:
        async with transaction():
            row = await principal_repository.create_grant(
                request.principal_arn, team, identity.user
            )
            await _audit(identity, "principal.granted", request.principal_arn, request.team)
    except IntegrityError as error:
        raise Conflict(
            f"{request.principal_arn} may already write for {request.team}", code="grant_exists"
        ) from error
    await row.fetch_related("team")
    return _detail(row)


async def revoke(*, identity: Identity, grant_id: int) -> GrantDetail:
    """Remove a grant (admins)."""
    require_admin(identity, "revoke principals' access to teams")
    async with transaction():
        row = await principal_repository.delete_grant(grant_id)
        if row is None:
            raise NotFound(f"grant {grant_id} not found", code="grant_not_found")
        await _audit(identity, "principal.revoked", row.principal_arn, row.team.slug)
    return _detail(row)


async def list_grants(*, identity: Identity) -> list[GrantDetail]:
    """Every grant (admins)."""
    require_admin(identity, "list principal grants")
    return [_detail(row) for row in await principal_repository.list_grants()]


async def teams_of_caller(*, identity: Identity) -> PrincipalTeams:
    """The teams the calling principal (its identity's user is its ARN) may write for."""
    principal = principal_of(identity.user)
    if not is_principal(principal):
        raise InvalidInput(
            "the caller is not an IAM role or user", code="not_a_principal", field="user"
        )
    rows = await principal_repository.list_grants(principal)
    return PrincipalTeams(principal_arn=principal, teams=[row.team.slug for row in rows])


async def _audit(identity: Identity, action: str, principal_arn: str, team: str) -> None:
    await record_audit(
        actor=identity.user,
        action=action,
        target_kind="principal",
        target_id=principal_arn,
        details={"team": team},
    )
