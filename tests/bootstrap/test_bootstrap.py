"""``datahubctl bootstrap`` end to end on moto, with the stand-in app."""

from __future__ import annotations

from bootstrap.toolkit import TOOLKIT_VERSION, Toolkit
from tests.aws import ACCOUNT
from tests.bootstrap.conftest import HOME_REGION, PREFIX, Bootstrap, Regional

EDGE_REGION = "us-east-1"
PLATFORM_STACKS = [
    (f"{PREFIX}-storage", HOME_REGION),
    (f"{PREFIX}-functions", HOME_REGION),
    (f"{PREFIX}-edge", EDGE_REGION),
]


def stack_status(regional: Regional, name: str, region: str) -> str | None:
    """The stack's status in moto, None when it does not exist."""
    stacks = regional("cloudformation", region).list_stacks()["StackSummaries"]
    live = [
        s["StackStatus"]
        for s in stacks
        if s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"
    ]
    return live[0] if live else None


async def test_a_fresh_account_gets_the_toolkit_and_every_stack(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    result = await bootstrap()
    assert result.exit_code == 0, result.output
    for region in (HOME_REGION, EDGE_REGION):
        toolkit = Toolkit(prefix=PREFIX, account=ACCOUNT, region=region)
        s3 = regional("s3", region)
        rules = s3.get_bucket_encryption(Bucket=toolkit.asset_bucket)[
            "ServerSideEncryptionConfiguration"
        ]["Rules"]
        key_arn = rules[0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"]
        assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        # A key of the account, not an AWS managed alias (moto's describe_key fails on
        # template-created keys, so the key is found in list_keys instead).
        keys = {k["KeyArn"] for k in regional("kms", region).list_keys()["Keys"]}
        assert key_arn in keys
        assert (
            regional("ssm", region).get_parameter(Name=toolkit.version_parameter)["Parameter"][
                "Value"
            ]
            == TOOLKIT_VERSION
        )
        roles = {r["RoleName"] for r in regional("iam", region).list_roles()["Roles"]}
        assert {toolkit.deploy_role_name, toolkit.execution_role_name} <= roles
    for name, region in PLATFORM_STACKS:
        assert stack_status(regional, name, region) == "CREATE_COMPLETE"
    assert "bootstrap complete: 5 of 5 stacks changed" in result.output
