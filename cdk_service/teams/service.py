"""Teams and target accounts: who owns stacks and where they deploy. Admins create them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from tortoise.exceptions import IntegrityError

from cdk_service.catalog.access import require_admin
from cdk_service.db.audit import record_audit
from cdk_service.db.transactions import transaction
from cdk_service.teams import repository as team_repository
from service_contract.errors import Conflict
from service_contract.identity import Identity
from stack_catalog.contract import ACCOUNT_PATTERN, REGION_PATTERN, SLUG_PATTERN

ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$"


class TeamCreate(BaseModel):
    """A new team; its slug is the identity group its members carry."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=SLUG_PATTERN, description="Team slug, also its group name")
    name: str = Field(min_length=1, max_length=200, description="Display name")


class TeamDetail(BaseModel):
    """A team."""

    model_config = ConfigDict(from_attributes=True)

    slug: str = Field(description="Team slug, also its group name")
    name: str = Field(description="Display name")
    created_at: datetime


class TargetAccountCreate(BaseModel):
    """A new AWS account and region to deploy into, through a role in that account."""

    model_config = ConfigDict(extra="forbid")

    account: str = Field(pattern=ACCOUNT_PATTERN, description="12-digit AWS account id")
    region: str = Field(pattern=REGION_PATTERN, description="AWS region")
    deploy_role_arn: str = Field(
        pattern=ROLE_ARN_PATTERN, description="IAM role the service assumes to deploy"
    )
    name: str = Field(min_length=1, max_length=200, description="Display name")

    @model_validator(mode="after")
    def _role_in_account(self) -> TargetAccountCreate:
        # The deploy role must live in the account it deploys to.
        if self.deploy_role_arn.split(":")[4] != self.account:
            raise ValueError("deploy_role_arn must be a role in the target account")
        return self


class TargetAccountDetail(BaseModel):
    """A target account."""

    model_config = ConfigDict(from_attributes=True)

    account: str = Field(description="12-digit AWS account id")
    region: str = Field(description="AWS region")
    deploy_role_arn: str = Field(description="IAM role the service assumes to deploy")
    name: str = Field(description="Display name")
    created_at: datetime


async def create_team(*, identity: Identity, team: TeamCreate) -> TeamDetail:
    """Create a team (admins only); ``Conflict(team_exists)`` when the slug is taken."""
    require_admin(identity, "create teams")
    try:
        async with transaction():
            row = await team_repository.create_team(team.slug, team.name)
            await record_audit(
                actor=identity.user,
                action="team.created",
                target_kind="team",
                target_id=team.slug,
                details=team.model_dump(),
            )
    except IntegrityError as error:
        raise Conflict(f"team {team.slug} exists", code="team_exists", field="slug") from error
    return TeamDetail.model_validate(row)


async def list_teams(*, identity: Identity) -> list[TeamDetail]:
    """Admins see every team; others the teams they belong to."""
    rows = await team_repository.list_teams(None if identity.is_admin else identity.teams)
    return [TeamDetail.model_validate(row) for row in rows]


async def create_target_account(
    *, identity: Identity, account: TargetAccountCreate
) -> TargetAccountDetail:
    """Register a target account (admins only); ``Conflict`` when it is already known."""
    require_admin(identity, "create target accounts")
    try:
        async with transaction():
            row = await team_repository.create_target_account(**account.model_dump())
            await record_audit(
                actor=identity.user,
                action="target_account.created",
                target_kind="target_account",
                target_id=f"{account.account}/{account.region}",
                details=account.model_dump(),
            )
    except IntegrityError as error:
        raise Conflict(
            f"target account {account.account} in {account.region} exists",
            code="target_account_exists",
        ) from error
    return TargetAccountDetail.model_validate(row)


async def list_target_accounts(*, identity: Identity) -> list[TargetAccountDetail]:
    """Every target account; any caller may see where stacks can go."""
    rows = await team_repository.list_target_accounts()
    return [TargetAccountDetail.model_validate(row) for row in rows]
