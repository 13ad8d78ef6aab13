"""Setup: custom resources for migrations, the search index and the first admin."""

from __future__ import annotations

from datahub_platform.stacks.backend_api import ADMINS_GROUP

from tests.platform.references import mentioned


def custom_resources(platform) -> dict[str, dict]:
    resources = platform.template_json("Setup")["Resources"]
    return {k: r for k, r in resources.items() if r["Type"].startswith("Custom::Datahub")}


def test_migrations_index_set_up_and_first_admin_are_custom_resources(platform) -> None:
    found = custom_resources(platform)
    assert {r["Type"] for r in found.values()} == {
        "Custom::DatahubMigrations",
        "Custom::DatahubSearchIndex",
        "Custom::DatahubFirstAdmin",
    }


def test_a_new_service_image_reruns_migrations_and_index_set_up(platform) -> None:
    by_type = {r["Type"]: r for r in custom_resources(platform).values()}
    # The image built in the account, by digest: a new build is a new value.
    image = by_type["Custom::DatahubMigrations"]["Properties"]["ServiceImage"]
    assert "Fn::ImportValue" in str(image) or "Digest" in str(image), image
    assert by_type["Custom::DatahubSearchIndex"]["Properties"]["ServiceImage"] == image
    migrations_id = next(
        k for k, r in custom_resources(platform).items() if "Migrations" in r["Type"]
    )
    assert migrations_id in by_type["Custom::DatahubSearchIndex"].get("DependsOn", [])


def test_the_first_admin_joins_the_admins_group_of_the_user_pool(platform) -> None:
    by_type = {r["Type"]: r for r in custom_resources(platform).values()}
    props = by_type["Custom::DatahubFirstAdmin"]["Properties"]
    assert props["Email"] == platform.config.admin_email
    assert props["Group"] == ADMINS_GROUP
    users = platform.resources("BackendApi", "AWS::Cognito::UserPool")
    assert mentioned(props["UserPoolId"], users) == set(users)
    statements = [
        s
        for policy in platform.resources("Setup", "AWS::IAM::Policy").values()
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if "cognito-idp:AdminCreateUser" in s["Action"]
    ]
    assert len(statements) == 1
    assert mentioned(statements[0]["Resource"], users) == set(users), "one user pool only"


def test_each_custom_resource_is_served_by_its_own_framework_in_the_vpc(platform) -> None:
    functions = platform.resources("Setup", "AWS::Lambda::Function")
    for resource in custom_resources(platform).values():
        (framework,) = mentioned(resource["Properties"]["ServiceToken"], functions)
        assert functions[framework]["Properties"]["VpcConfig"]["SubnetIds"]
