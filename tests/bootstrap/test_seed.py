"""After the stacks: the first admin in the platform's user pool, the setup report, the seed."""

from __future__ import annotations

import re

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


def test_the_user_pool_is_found_by_output_or_among_the_resources() -> None:
    resources = {
        "p-backend-api": [
            {
                "ResourceType": "AWS::Lambda::Function",
                "LogicalResourceId": "AuthorizerBD825682",
                "PhysicalResourceId": "p-authorizer",
            },
            {
                "ResourceType": "AWS::Lambda::Function",
                "LogicalResourceId": "Backend4E5C7A5D",
                "PhysicalResourceId": "p-backend",
            },
            {
                "ResourceType": "AWS::Cognito::UserPool",
                "LogicalResourceId": "Users",
                "PhysicalResourceId": "eu-west-1_abc",
            },
        ]
    }
    pool = dict(output=seed.USER_POOL_OUTPUT, resource_type=seed.USER_POOL_TYPE)
    backend = dict(
        output=seed.BACKEND_FUNCTION_OUTPUT,
        resource_type=seed.FUNCTION_TYPE,
        logical_id=seed.BACKEND_LOGICAL_ID,
    )

    assert seed.physical_id({}, resources, **pool) == "eu-west-1_abc"  # type: ignore[arg-type]
    assert seed.physical_id({"UserPoolId": "x"}, resources, **pool) == "x"  # type: ignore[arg-type]
    assert seed.physical_id({}, resources, **backend) == "p-backend"  # type: ignore[arg-type]
    assert seed.physical_id({}, {}, **backend) is None  # type: ignore[arg-type]


def test_the_setup_report_names_each_custom_resource_and_its_state() -> None:
    resources = {
        "p-setup": [
            {
                "ResourceType": "Custom::DatahubMigrations",
                "LogicalResourceId": "Migrations",
                "ResourceStatus": "UPDATE_COMPLETE",
            },
            {
                "ResourceType": "Custom::DatahubSearchIndex",
                "LogicalResourceId": "SearchIndex",
                "ResourceStatus": "CREATE_COMPLETE",
            },
            {"ResourceType": "AWS::Lambda::Function", "LogicalResourceId": "MigrationsFunction"},
        ]
    }

    results = seed.setup_resources(resources)

    assert [(r.step, r.outcome) for r in results] == [
        ("migrations", "done"),
        ("search index", "done"),
    ]
    assert "UPDATE_COMPLETE" in results[0].detail
    assert seed.setup_resources({"p-setup": []})[0].outcome == "skipped"


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


def test_endpoints_leave_out_cdks_cross_stack_exports() -> None:
    rows = seed.endpoints(
        {"p-backend-api": {"GraphqlUrl": "https://x", "ExportsOutputRefApi123": "abc"}}
    )

    assert rows == [("p-backend-api", "GraphqlUrl", "https://x")]
