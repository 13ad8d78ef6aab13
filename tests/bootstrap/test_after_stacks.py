"""After the stacks: the setup report, the user pool and Backend Lambda found, the endpoints."""

from __future__ import annotations

import asyncio

from bootstrap import after_stacks
from bootstrap.deploy import deploy_platform
from bootstrap.plan import Plan
from tests.bootstrap.conftest import PREFIX, Steps


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
    pool = dict(output=after_stacks.USER_POOL_OUTPUT, resource_type=after_stacks.USER_POOL_TYPE)
    backend = dict(
        output=after_stacks.BACKEND_FUNCTION_OUTPUT,
        resource_type=after_stacks.FUNCTION_TYPE,
        logical_id=after_stacks.BACKEND_LOGICAL_ID,
    )

    assert after_stacks.physical_id({}, resources, **pool) == "eu-west-1_abc"  # type: ignore[arg-type]
    assert after_stacks.physical_id({"UserPoolId": "x"}, resources, **pool) == "x"  # type: ignore[arg-type]
    assert after_stacks.physical_id({}, resources, **backend) == "p-backend"  # type: ignore[arg-type]
    assert after_stacks.physical_id({}, {}, **backend) is None  # type: ignore[arg-type]


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

    results = after_stacks.setup_resources(resources)

    assert [(r.step, r.outcome) for r in results] == [
        ("migrations", "done"),
        ("search index", "done"),
    ]
    assert "UPDATE_COMPLETE" in results[0].detail
    assert after_stacks.setup_resources({"p-setup": []})[0].outcome == "skipped"


def test_endpoints_leave_out_cdks_cross_stack_exports() -> None:
    rows = after_stacks.endpoints(
        {"p-backend-api": {"GraphqlUrl": "https://x", "ExportsOutputRefApi123": "abc"}}
    )

    assert rows == [("p-backend-api", "GraphqlUrl", "https://x")]


async def test_after_the_stacks_their_resources_are_read_and_the_setup_reported(
    steps: Steps, standin_plan: Plan
) -> None:
    await asyncio.to_thread(
        deploy_platform, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    found = await asyncio.to_thread(
        after_stacks.after_stacks, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    assert list(found.resources) == [f"{PREFIX}-storage", f"{PREFIX}-functions", f"{PREFIX}-edge"]
    functions = {r["LogicalResourceId"] for r in found.resources[f"{PREFIX}-functions"]}
    assert "Backend" in functions
    assert found.outputs == {} and found.endpoints() == []  # moto lists no outputs
    assert [(r.step, r.outcome) for r in found.setup] == [("setup custom resources", "skipped")]
    # The stand-in's Lambda is "Backend" itself, not CDK's "Backend" plus a hash.
    assert found.user_pool is None and found.backend_function is None
    said = steps.said()
    assert "endpoints the stacks returned no Outputs (moto returns none)" in said
    assert "setup custom resources skipped: no custom resource exists" in said
