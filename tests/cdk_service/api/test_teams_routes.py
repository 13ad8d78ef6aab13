"""Teams, target accounts, principal grants and ``me`` over HTTP: admins manage, teams read."""

from __future__ import annotations

from service_contract.identity import Identity
from tests.cdk_service.api.conftest import ADMIN, ANALYST, error_of

ROLE = "arn:aws:iam::210987654321:role/ingest"
SESSION = "arn:aws:sts::210987654321:assumed-role/ingest/nightly-run"
ACCOUNT = {
    "account": "123456789012",
    "region": "eu-west-1",
    "deploy_role_arn": "arn:aws:iam::123456789012:role/datahub-deploy",
    "name": "analytics prod",
}


async def test_admins_create_teams_and_members_see_theirs_in_me(as_user) -> None:
    for slug in ("analytics", "finance"):
        status, _ = await as_user(ADMIN)("POST", "/v1/teams", {"slug": slug, "name": slug.title()})
        assert status == 201

    status, me = await as_user(ANALYST)("GET", "/v1/me")
    assert status == 200
    assert (me["user"], me["is_admin"]) == ("alan", False)
    assert [t["slug"] for t in me["teams"]] == ["analytics"]
    _, listing = await as_user(ANALYST)("GET", "/v1/teams")
    assert [t["slug"] for t in listing["teams"]] == ["analytics"]
    _, listing = await as_user(ADMIN)("GET", "/v1/teams")
    assert [t["slug"] for t in listing["teams"]] == ["analytics", "finance"]


async def test_only_admins_manage_teams_accounts_and_grants(as_user) -> None:
    attempts = [
        ("POST", "/v1/teams", {"slug": "rogue", "name": "Rogue"}),
        ("POST", "/v1/target-accounts", ACCOUNT),
        ("POST", "/v1/principals", {"principal_arn": ROLE, "team": "analytics"}),
        ("GET", "/v1/principals", None),
        ("DELETE", "/v1/principals/1", None),
    ]
    for method, path, body in attempts:
        status, answer = await as_user(ANALYST)(method, path, body)
        assert status == 403, (method, path)
        assert error_of(answer)["code"] == "forbidden"


async def test_target_accounts_are_registered_once_and_visible_to_all(as_user) -> None:
    assert (await as_user(ADMIN)("POST", "/v1/target-accounts", ACCOUNT))[0] == 201
    status, again = await as_user(ADMIN)("POST", "/v1/target-accounts", ACCOUNT)
    assert status == 409 and error_of(again)["code"] == "target_account_exists"

    _, listing = await as_user(ANALYST)("GET", "/v1/target-accounts")
    assert [a["account"] for a in listing["target_accounts"]] == ["123456789012"]


async def test_a_granted_role_and_its_sessions_write_for_its_teams(as_user) -> None:
    await as_user(ADMIN)("POST", "/v1/teams", {"slug": "analytics", "name": "Analytics"})
    status, grant = await as_user(ADMIN)(
        "POST", "/v1/principals", {"principal_arn": ROLE, "team": "analytics"}
    )
    assert status == 201 and grant["granted_by"] == "ada"
    status, again = await as_user(ADMIN)(
        "POST", "/v1/principals", {"principal_arn": ROLE, "team": "analytics"}
    )
    assert status == 409 and error_of(again)["code"] == "grant_exists"

    for caller in (ROLE, SESSION):
        status, mine = await as_user(Identity(user=caller))("GET", "/v1/principals/self")
        assert status == 200
        assert mine == {"principal_arn": ROLE, "teams": ["analytics"]}

    status, _ = await as_user(ADMIN)("DELETE", f"/v1/principals/{grant['id']}")
    assert status == 200
    _, mine = await as_user(Identity(user=SESSION))("GET", "/v1/principals/self")
    assert mine["teams"] == []


async def test_grant_errors_name_the_problem(as_user) -> None:
    status, body = await as_user(ADMIN)(
        "POST", "/v1/principals", {"principal_arn": ROLE, "team": "nobody"}
    )
    assert status == 404 and error_of(body)["code"] == "team_not_found"
    status, body = await as_user(ADMIN)(
        "POST", "/v1/principals", {"principal_arn": SESSION, "team": "analytics"}
    )
    assert status == 400 and error_of(body)["field"] == "principal_arn"
    status, body = await as_user(ANALYST)("GET", "/v1/principals/self")
    assert status == 400 and error_of(body)["code"] == "not_a_principal"
    status, body = await as_user(ADMIN)("DELETE", "/v1/principals/999")
    assert status == 404 and error_of(body)["code"] == "grant_not_found"
