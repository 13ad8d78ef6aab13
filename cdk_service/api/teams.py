"""Teams, target accounts, the principals' grants (admins manage them) and the caller (``me``)."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.teams import principals
from cdk_service.teams import service as teams
from cdk_service.teams.principals import GrantCreate, GrantDetail, PrincipalTeams
from cdk_service.teams.service import (
    TargetAccountCreate,
    TargetAccountDetail,
    TeamCreate,
    TeamDetail,
)

api = Api()


class Me(BaseModel):
    """The caller as the service sees it."""

    user: str
    groups: list[str] = Field(description="Every group, admins included")
    is_admin: bool
    teams: list[TeamDetail] = Field(description="The registered teams the caller belongs to")


class TeamList(BaseModel):
    """Teams the caller may see (admins: all)."""

    teams: list[TeamDetail]


class TargetAccountList(BaseModel):
    """Every target account."""

    target_accounts: list[TargetAccountDetail]


class GrantList(BaseModel):
    """Every principal grant."""

    grants: list[GrantDetail]


@api.route("GET", "/v1/me", summary="The caller", tag="teams", response=Me)
async def me(request: web.Request) -> Me:
    """The caller's user, groups and teams."""
    identity = identity_of(request)
    mine = [t for t in await teams.list_teams(identity=identity) if t.slug in identity.teams]
    return Me(
        user=identity.user,
        groups=sorted(identity.groups),
        is_admin=identity.is_admin,
        teams=mine,
    )


@api.route("GET", "/v1/teams", summary="List teams", tag="teams", response=TeamList)
async def list_teams(request: web.Request) -> TeamList:
    """The caller's teams; admins see every team."""
    return TeamList(teams=await teams.list_teams(identity=identity_of(request)))


@api.route(
    "POST",
    "/v1/teams",
    summary="Create a team (admins)",
    tag="teams",
    body=TeamCreate,
    response=TeamDetail,
    status=201,
    errors=(403, 409),
)
async def create_team(request: web.Request, body: TeamCreate) -> TeamDetail:
    """A new team; its slug is the group its members carry."""
    return await teams.create_team(identity=identity_of(request), team=body)


@api.route(
    "GET",
    "/v1/target-accounts",
    summary="List target accounts",
    tag="teams",
    response=TargetAccountList,
)
async def list_target_accounts(request: web.Request) -> TargetAccountList:
    """Where stacks can be deployed."""
    rows = await teams.list_target_accounts(identity=identity_of(request))
    return TargetAccountList(target_accounts=rows)


@api.route(
    "POST",
    "/v1/target-accounts",
    summary="Register a target account (admins)",
    tag="teams",
    body=TargetAccountCreate,
    response=TargetAccountDetail,
    status=201,
    errors=(403, 409),
)
async def create_target_account(
    request: web.Request, body: TargetAccountCreate
) -> TargetAccountDetail:
    """A new account and region to deploy into."""
    return await teams.create_target_account(identity=identity_of(request), account=body)


@api.route(
    "GET",
    "/v1/principals",
    summary="Principal grants (admins)",
    tag="teams",
    response=GrantList,
    errors=(403,),
)
async def list_grants(request: web.Request) -> GrantList:
    """Which IAM principals may write dataset metadata for which teams."""
    return GrantList(grants=await principals.list_grants(identity=identity_of(request)))


@api.route(
    "POST",
    "/v1/principals",
    summary="Let an IAM principal write dataset metadata for a team (admins)",
    tag="teams",
    body=GrantCreate,
    response=GrantDetail,
    status=201,
    errors=(403, 404, 409),
)
async def grant(request: web.Request, body: GrantCreate) -> GrantDetail:
    """A new grant."""
    return await principals.grant(identity=identity_of(request), request=body)


@api.route(
    "DELETE",
    "/v1/principals/{grant_id}",
    summary="Revoke a principal grant (admins)",
    tag="teams",
    response=GrantDetail,
    errors=(403, 404),
)
async def revoke(request: web.Request, grant_id: int) -> GrantDetail:
    """Remove a grant; the removed grant."""
    return await principals.revoke(identity=identity_of(request), grant_id=grant_id)


@api.route(
    "GET",
    "/v1/principals/self",
    summary="The teams the calling IAM principal may write dataset metadata for",
    tag="teams",
    response=PrincipalTeams,
    errors=(400,),
)
async def principal_teams(request: web.Request) -> PrincipalTeams:
    """The caller's grants, by its (normalized) ARN."""
    return await principals.teams_of_caller(identity=identity_of(request))
