"""The seed step's parts: the first admin in the platform's user pool, the catalog seed."""

from __future__ import annotations

import asyncio
import dataclasses
import re

from bootstrap import seed
from bootstrap.after_stacks import AfterStacks
from bootstrap.plan import Plan
from tests.bootstrap.conftest import HOME_REGION, Regional, Steps

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

    created = seed.first_admin(cognito, pool, ADMIN)

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

    again = seed.first_admin(cognito, pool, ADMIN)

    assert again.outcome == "already_done"
    assert password not in again.detail


def test_without_a_user_pool_the_first_admin_is_skipped(regional: Regional) -> None:
    assert seed.first_admin(regional("cognito-idp"), None, ADMIN).outcome == "skipped"


def test_the_catalog_seed_publishes_the_newest_version_of_each_builtin_template(
    regional: Regional,
) -> None:
    versions = dict(seed.newest_builtin_versions())

    assert {"data-environment", "dataset", "ingestion-queue"} <= set(versions)
    assert all(re.match(r"^\d+\.\d+\.\d+", version) for version in versions.values())
    # moto runs Lambda code only in docker, which this machine lacks: the Backend Lambda's
    # answer to the publish mutation is not exercised here, only the event it is sent.
    event = seed.graphql_event(seed.PUBLISH, {"name": "dataset", "version": versions["dataset"]})
    assert event["requestContext"]["authorizer"]["groups"] == seed.ADMINS_GROUP
    assert "publishTemplateVersion" in event["body"]
    skipped = seed.seed_catalog(regional("lambda"), None, versions.items())
    assert skipped.outcome == "skipped"


def test_temporary_passwords_meet_cognitos_default_policy() -> None:
    for _ in range(50):
        password = seed.temporary_password()
        assert len(password) >= 8
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)


async def test_the_seed_step_makes_the_first_admin_and_shows_the_endpoints(
    steps: Steps, standin_plan: Plan, regional: Regional
) -> None:
    pool = user_pool(regional)
    plan = dataclasses.replace(
        standin_plan,
        config=standin_plan.config.model_copy(update={"first_admin_email": ADMIN}),
        options=dataclasses.replace(standin_plan.options, seed_catalog=False),
    )
    found = AfterStacks(
        outputs={"p-backend-api": {"GraphqlUrl": "https://api.example/graphql"}},
        resources={},
        setup=(),
        user_pool=pool,
        backend_function="p-backend",
    )

    results = await asyncio.to_thread(
        seed.seed_platform, plan, found, engine=steps.engine, reporter=steps.reporter
    )

    assert [(r.step, r.outcome) for r in results] == [
        ("first admin", "done"),
        ("catalog seed", "skipped"),
    ]
    cognito = regional("cognito-idp", HOME_REGION)
    assert cognito.admin_get_user(UserPoolId=pool, Username=ADMIN)["Username"] == ADMIN
    said = steps.said()
    assert f"first admin done: {ADMIN} created in group admins" in said
    assert "catalog seed skipped: left out (--skip-catalog-seed)" in said
    assert "p-backend-api │ GraphqlUrl │ https://api.example/graphql" in said
