"""Team resolvers: the caller, teams, target accounts and principal grants (admins manage)."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.resolver_context import service_of
from api_lambdas.service_calls import segment

query = QueryType()
mutation = MutationType()


@query.field("me")
async def resolve_me(_: None, info: GraphQLResolveInfo) -> Any:
    """The caller's user, groups and teams."""
    return await service_of(info).read("/v1/me")


@query.field("teams")
async def resolve_teams(_: None, info: GraphQLResolveInfo) -> Any:
    """The caller's teams (admins: all)."""
    return (await service_of(info).read("/v1/teams"))["teams"]


@query.field("targetAccounts")
async def resolve_target_accounts(_: None, info: GraphQLResolveInfo) -> Any:
    """Every target account."""
    return (await service_of(info).read("/v1/target-accounts"))["target_accounts"]


@query.field("principalGrants")
async def resolve_grants(_: None, info: GraphQLResolveInfo) -> Any:
    """Every principal grant (admins)."""
    return (await service_of(info).read("/v1/principals"))["grants"]


@mutation.field("createTeam")
async def resolve_create_team(_: None, info: GraphQLResolveInfo, slug: str, name: str) -> Any:
    """Create a team (admins)."""
    return await service_of(info).write("POST", "/v1/teams", body={"slug": slug, "name": name})


@mutation.field("registerTargetAccount")
async def resolve_register_account(_: None, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    """Register a target account (admins)."""
    return await service_of(info).write("POST", "/v1/target-accounts", body=input)


@mutation.field("grantPrincipal")
async def resolve_grant(_: None, info: GraphQLResolveInfo, principal_arn: str, team: str) -> Any:
    """Let an IAM principal write dataset metadata for a team (admins)."""
    body = {"principal_arn": principal_arn, "team": team}
    return await service_of(info).write("POST", "/v1/principals", body=body)


@mutation.field("revokePrincipal")
async def resolve_revoke(_: None, info: GraphQLResolveInfo, id: str) -> Any:
    """Take a principal's grant away (admins)."""
    return await service_of(info).write("DELETE", f"/v1/principals/{segment(id, 'id')}")
