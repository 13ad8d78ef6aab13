"""After the stacks: the first admin in the platform's user pool, setup functions, endpoints."""

from __future__ import annotations

from bootstrap import seed
from tests.bootstrap.conftest import HOME_REGION, Regional

ADMIN = "first-admin@example.com"


def user_pool(regional: Regional) -> str:
    """A user pool with the admins group, as the platform's Backend API stack makes it."""
    cognito = regional("cognito-idp", HOME_REGION)
    pool = cognito.create_user_pool(PoolName="datahub-users")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool, GroupName=seed.ADMINS_GROUP)
    return str(pool)


def test_the_first_admin_gets_a_temporary_password_once(regional: Regional) -> None:
    cognito = regional("cognito-idp", HOME_REGION)
    pool = user_pool(regional)

    created = seed.first_admin(cognito, {seed.USER_POOL_OUTPUT: pool}, ADMIN)

    assert created.outcome == "done"
    user = cognito.admin_get_user(UserPoolId=pool, Username=ADMIN)
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=ADMIN)["Groups"]
    assert [group["GroupName"] for group in groups] == [seed.ADMINS_GROUP]
    password = created.detail.split("temporary password ")[1].split(" ")[0]
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="cli", ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    challenge = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": ADMIN, "PASSWORD": password},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED", "the password is temporary"

    again = seed.first_admin(cognito, {seed.USER_POOL_OUTPUT: pool}, ADMIN)

    assert again.outcome == "already_done"
    assert "password" not in again.detail.split("; ")[0]


def test_without_a_user_pool_output_the_first_admin_is_skipped(regional: Regional) -> None:
    result = seed.first_admin(regional("cognito-idp"), {}, ADMIN)

    assert result.outcome == "skipped"


def test_setup_functions_the_platform_does_not_output_are_left_to_its_custom_resources(
    regional: Regional,
) -> None:
    # moto runs Lambda code only in docker, which this machine lacks, so invoking a setup
    # function is not exercised here; only the decision of which ones to invoke is.
    results = seed.run_setup_functions(regional("lambda"), {})

    assert [r.step for r in results] == [step for step, _, _ in seed.SETUP_FUNCTIONS]
    assert {r.outcome for r in results} == {"skipped"}


def test_temporary_passwords_meet_cognitos_default_policy() -> None:
    for _ in range(50):
        password = seed.temporary_password()
        assert len(password) >= 8
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)


def test_endpoints_leave_out_cdks_cross_stack_exports() -> None:
    rows = seed.endpoints(
        {"p-backend-api": {"GraphqlUrl": "https://x", "ExportsOutputRefApi123": "abc"}}
    )

    assert rows == [("p-backend-api", "GraphqlUrl", "https://x")]
