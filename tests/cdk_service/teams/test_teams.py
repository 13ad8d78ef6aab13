"""Teams and target accounts: admins create them; teams see their own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cdk_service.db.audit import audit_entries
from cdk_service.teams import service as teams
from cdk_service.teams.service import TargetAccountCreate, TeamCreate
from service_contract.errors import Conflict, Forbidden
from service_contract.identity import Identity
from tests.conftest import Factories

ACCOUNT = TargetAccountCreate(
    account="123456789012",
    region="eu-west-1",
    deploy_role_arn="arn:aws:iam::123456789012:role/datahub-deploy",
    name="analytics prod",
)


async def test_admins_create_teams_and_members_see_their_own(
    factories: Factories, admin: Identity, analyst: Identity
) -> None:
    await factories.team("finance")
    created = await teams.create_team(
        identity=admin, team=TeamCreate(slug="analytics", name="Analytics")
    )

    assert created.slug == "analytics"
    assert [t.slug for t in await teams.list_teams(identity=admin)] == ["analytics", "finance"]
    assert [t.slug for t in await teams.list_teams(identity=analyst)] == ["analytics"]
    [entry] = await audit_entries(target_kind="team")
    assert (entry.actor, entry.action, entry.target_id) == ("ada", "team.created", "analytics")


async def test_team_creation_is_for_admins_and_slugs_are_unique(
    db: str, admin: Identity, analyst: Identity
) -> None:
    team = TeamCreate(slug="analytics", name="Analytics")
    with pytest.raises(Forbidden):
        await teams.create_team(identity=analyst, team=team)
    await teams.create_team(identity=admin, team=team)

    with pytest.raises(Conflict) as caught:
        await teams.create_team(identity=admin, team=team)
    assert (caught.value.code, caught.value.field) == ("team_exists", "slug")
    assert len(await audit_entries(target_kind="team")) == 1


async def test_target_accounts_are_registered_once_by_admins(
    db: str, admin: Identity, analyst: Identity
) -> None:
    with pytest.raises(Forbidden):
        await teams.create_target_account(identity=analyst, account=ACCOUNT)
    created = await teams.create_target_account(identity=admin, account=ACCOUNT)

    assert (created.account, created.region) == ("123456789012", "eu-west-1")
    with pytest.raises(Conflict) as caught:
        await teams.create_target_account(identity=admin, account=ACCOUNT)
    assert caught.value.code == "target_account_exists"
    assert [a.name for a in await teams.list_target_accounts(identity=analyst)] == [
        "analytics prod"
    ]


def test_deploy_roles_must_live_in_the_target_account() -> None:
    with pytest.raises(ValidationError, match="role in the target account"):
        TargetAccountCreate(
            **{**ACCOUNT.model_dump(), "deploy_role_arn": "arn:aws:iam::999999999999:role/x"}
        )
    with pytest.raises(ValidationError):
        TargetAccountCreate(**{**ACCOUNT.model_dump(), "account": "12345"})
