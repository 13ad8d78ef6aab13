"""``datahubctl bootstrap`` end to end on moto, with the stand-in app (see ``standin_app``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from moto.cloudformation.models import cloudformation_backends

from bootstrap.assembly import PlatformAssembly
from bootstrap.toolkit import TOOLKIT_VERSION, Toolkit
from tests.aws import ACCOUNT
from tests.bootstrap.conftest import (
    EDGE_REGION,
    HOME_REGION,
    PLATFORM,
    PREFIX,
    TOOLKITS,
    Bootstrap,
    Regional,
)

LOGS_BUCKET = f"{PREFIX}-logs-{ACCOUNT}"  # created by the functions stack


def live_stacks(regional: Regional) -> dict[tuple[str, str], str]:
    """(stack name, region) → status of every stack moto has that is not deleted."""
    return {
        (summary["StackName"], region): summary["StackStatus"]
        for region in (HOME_REGION, EDGE_REGION)
        for summary in regional("cloudformation", region).list_stacks()["StackSummaries"]
        if summary["StackStatus"] != "DELETE_COMPLETE"
    }


def buckets(regional: Regional) -> set[str]:
    """Every bucket moto has."""
    return {bucket["Name"] for bucket in regional("s3").list_buckets()["Buckets"]}


def with_extra_queue(assembly: PlatformAssembly, into: Path) -> Path:
    """A copy of the assembly whose storage stack gains a queue: a change to deploy."""
    copy = into / "changed-assembly"
    shutil.copytree(assembly.directory, copy)
    path = copy / "Storage.template.json"
    template = json.loads(path.read_text())
    template["Resources"]["Extra"] = {"Type": "AWS::SQS::Queue"}
    path.write_text(json.dumps(template))
    return copy


async def test_a_fresh_account_gets_the_toolkits_and_every_stack(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    result = await bootstrap()

    assert result.exit_code == 0, result.output
    for region in (HOME_REGION, EDGE_REGION):
        toolkit = Toolkit(prefix=PREFIX, account=ACCOUNT, region=region)
        encryption = regional("s3", region).get_bucket_encryption(Bucket=toolkit.asset_bucket)
        default = encryption["ServerSideEncryptionConfiguration"]["Rules"][0][
            "ApplyServerSideEncryptionByDefault"
        ]
        assert default["SSEAlgorithm"] == "aws:kms"
        # A key of the account's own (moto's describe_key fails on template-created keys, so
        # the key is looked for in list_keys).
        keys = {key["KeyArn"] for key in regional("kms", region).list_keys()["Keys"]}
        assert default["KMSMasterKeyID"] in keys
        parameter = regional("ssm", region).get_parameter(Name=toolkit.version_parameter)
        assert parameter["Parameter"]["Value"] == TOOLKIT_VERSION
        roles = {role["RoleName"] for role in regional("iam", region).list_roles()["Roles"]}
        assert {toolkit.deploy_role_name, toolkit.execution_role_name} <= roles
    assert live_stacks(regional) == {stack: "CREATE_COMPLETE" for stack in TOOLKITS + PLATFORM}
    function = regional("lambda").get_function(FunctionName=_backend_function(regional))
    code_bucket = Toolkit(prefix=PREFIX, account=ACCOUNT, region=HOME_REGION).asset_bucket
    assets = regional("s3").list_objects_v2(Bucket=code_bucket)["Contents"]
    assert function["Configuration"]["Handler"] == "api_lambdas.backend.handler.handler"
    assert any(item["Key"].endswith(".zip") for item in assets), "the Lambda bundle was published"
    assert "bootstrap complete: 5 of 5 stacks changed" in result.output
    # The stand-in asks for termination protection, as the platform does; moto has no
    # UpdateTerminationProtection, and the operator is told the safeguard is missing.
    assert "dh-test-storage termination protection NOT turned on" in result.output
    assert "CREATE_COMPLETE" in result.output, "live events are shown"


async def test_a_second_run_changes_nothing_and_says_so(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    assert (await bootstrap()).exit_code == 0
    before = {
        stack["StackName"]: stack.get("LastUpdatedTime")
        for region in (HOME_REGION, EDGE_REGION)
        for stack in regional("cloudformation", region).describe_stacks()["Stacks"]
    }

    again = await bootstrap()

    assert again.exit_code == 0, again.output
    assert "bootstrap complete: no changes (5 stacks up to date)" in again.output
    assert again.output.count("no changes") >= 5
    assert "1 uploaded" not in again.output, "published assets are not uploaded again"
    after = {
        stack["StackName"]: stack.get("LastUpdatedTime")
        for region in (HOME_REGION, EDGE_REGION)
        for stack in regional("cloudformation", region).describe_stacks()["Stacks"]
    }
    assert after == before
    for name, region in TOOLKITS + PLATFORM:
        change_sets = regional("cloudformation", region).list_change_sets(StackName=name)
        pending = [
            c for c in change_sets["Summaries"] if c["ExecutionStatus"] != "EXECUTE_COMPLETE"
        ]
        assert pending == [], f"the no-change change sets of {name} are deleted"


async def test_dry_run_on_a_fresh_account_plans_every_stack_and_changes_nothing(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    result = await bootstrap("--dry-run")

    assert result.exit_code == 0, result.output
    for name, _ in TOOLKITS + PLATFORM:
        assert name in result.output
    assert "Add AssetBucket (AWS::S3::Bucket)" in result.output
    assert "Add Data (AWS::S3::Bucket)" in result.output
    assert "Add Backend (AWS::Lambda::Function)" in result.output
    assert "Add Alarms (AWS::SNS::Topic)" in result.output
    assert "dry run: nothing was changed; a run would change the platform" in result.output
    assert live_stacks(regional) == {}
    assert buckets(regional) == set()


async def test_dry_run_previews_a_change_then_a_run_deploys_only_it(
    bootstrap: Bootstrap, regional: Regional, standin_assembly: PlatformAssembly, tmp_path: Path
) -> None:
    assert (await bootstrap()).exit_code == 0
    bootstrap.assembly = with_extra_queue(standin_assembly, tmp_path)

    preview = await bootstrap("--dry-run")

    assert preview.exit_code == 0, preview.output
    assert "extra" not in " ".join(regional("sqs").list_queues().get("QueueUrls", [])).lower()
    assert "dh-test-storage: Add Extra (AWS::SQS::Queue)" in preview.output
    for name, region in [*TOOLKITS, *PLATFORM[1:]]:
        assert f"{name} ({region}): no changes" in preview.output

    run = await bootstrap()

    assert run.exit_code == 0, run.output
    assert "bootstrap complete: 1 of 5 stacks changed" in run.output
    assert "dh-test-storage updated" in run.output
    queues = " ".join(regional("sqs").list_queues()["QueueUrls"])
    assert "Extra" in queues


async def test_a_run_that_failed_midway_resumes_where_it_stopped(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    # Someone else owns the functions stack's bucket name: that stack fails to create.
    regional("s3").create_bucket(
        Bucket=LOGS_BUCKET, CreateBucketConfiguration={"LocationConstraint": HOME_REGION}
    )

    failed = await bootstrap()

    assert failed.exit_code == 1
    said = " ".join(failed.output.split())
    # Either way moto fails it (an error from execute, or with the local patch a rollback like
    # CloudFormation's), the run stops at that stack and names the cause.
    assert "error [stack_deploy_failed]: stack dh-test-functions" in said
    assert "BucketAlreadyExists" in said
    stacks = live_stacks(regional)
    assert stacks[(f"{PREFIX}-storage", HOME_REGION)] == "CREATE_COMPLETE"
    assert (f"{PREFIX}-edge", EDGE_REGION) not in stacks, "nothing after the failure was touched"

    regional("s3").delete_bucket(Bucket=LOGS_BUCKET)
    resumed = await bootstrap()

    assert resumed.exit_code == 0, resumed.output
    assert "dh-test-storage no changes" in resumed.output
    assert "dh-test-functions created" in resumed.output
    assert "dh-test-edge created" in resumed.output
    assert live_stacks(regional) == {stack: "CREATE_COMPLETE" for stack in TOOLKITS + PLATFORM}


async def test_destroy_asks_first_then_removes_everything_toolkits_last(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    assert (await bootstrap()).exit_code == 0

    declined = await bootstrap("destroy", input="n\n")

    assert declined.exit_code == 1
    assert "Aborted" in declined.output
    assert len(live_stacks(regional)) == 5

    destroyed = await bootstrap("destroy", "--yes")

    assert destroyed.exit_code == 0, destroyed.output
    assert live_stacks(regional) == {}
    assert buckets(regional) == set(), "the toolkit buckets were emptied and deleted"
    order = [
        destroyed.output.index(f"destroy {name} ({region})")
        for name, region in PLATFORM[::-1] + TOOLKITS[::-1]
    ]
    assert order == sorted(order), "platform stacks in reverse order, toolkits last"
    assert "destroyed: 5 stacks deleted, 1 resources retained" in destroyed.output
    assert "retained AWS::SQS::Queue" in destroyed.output
    queues = regional("sqs").list_queues().get("QueueUrls", [])
    assert any("Jobs" in url for url in queues), "the retained queue outlives its stack"

    again = await bootstrap("destroy", "--yes")
    assert again.exit_code == 0
    assert "nothing to destroy" in again.output


async def test_a_stack_whose_creation_rolled_back_is_replaced(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    assert (await bootstrap()).exit_code == 0
    # moto never ends a failed creation in ROLLBACK_COMPLETE (its execute raises and leaves the
    # stack in review), so the test puts the stack there through moto's in-process backend,
    # where CloudFormation would leave it after a failed creation.
    backend = cloudformation_backends[ACCOUNT][EDGE_REGION]
    backend.get_stack(f"{PREFIX}-edge").status = "ROLLBACK_COMPLETE"

    preview = await bootstrap("--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "failed creation" in preview.output
    assert "deleted, then created again" in preview.output

    rerun = await bootstrap()

    assert rerun.exit_code == 0, rerun.output
    assert "is in ROLLBACK_COMPLETE from an earlier failed creation" in rerun.output
    assert "dh-test-edge created (the failed stack was replaced)" in rerun.output
    assert live_stacks(regional)[(f"{PREFIX}-edge", EDGE_REGION)] == "CREATE_COMPLETE"


async def test_a_stack_left_in_review_by_an_interrupted_run_is_started_afresh(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    # A run stopped between creating a stack's first change set and executing it.
    regional("cloudformation", EDGE_REGION).create_change_set(
        StackName=f"{PREFIX}-edge",
        ChangeSetName="interrupted",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps({"Resources": {"Old": {"Type": "AWS::SNS::Topic"}}}),
    )

    preview = await bootstrap("--dry-run")

    assert preview.exit_code == 0, preview.output
    assert live_stacks(regional)[(f"{PREFIX}-edge", EDGE_REGION)] == "REVIEW_IN_PROGRESS", (
        "the dry run leaves what it did not make"
    )

    run = await bootstrap()

    assert run.exit_code == 0, run.output
    assert "dh-test-edge was left empty by an earlier run; starting it afresh" in run.output
    assert live_stacks(regional)[(f"{PREFIX}-edge", EDGE_REGION)] == "CREATE_COMPLETE"
    topics = regional("sns", EDGE_REGION).list_topics()["Topics"]
    assert len(topics) == 1, "only the app's topic, none from the interrupted change set"


def _backend_function(regional: Regional) -> str:
    resources = regional("cloudformation").list_stack_resources(StackName=f"{PREFIX}-functions")
    return next(
        item["PhysicalResourceId"]
        for item in resources["StackResourceSummaries"]
        if item["LogicalResourceId"] == "Backend"
    )


async def test_destroy_empties_the_buckets_their_stacks_delete(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    assert (await bootstrap()).exit_code == 0
    data_bucket = f"{PREFIX}-data-{ACCOUNT}"
    s3 = regional("s3")
    for bucket in (data_bucket, LOGS_BUCKET):
        s3.put_object(Bucket=bucket, Key="left/behind.json", Body=b"{}")

    destroyed = await bootstrap("destroy", "--yes")

    assert destroyed.exit_code == 0, destroyed.output
    said = " ".join(destroyed.output.split())
    assert f"emptied bucket {data_bucket} (1 object versions)" in said
    assert f"emptied bucket {LOGS_BUCKET} (1 object versions)" in said
    # moto keeps a bucket with objects where CloudFormation would fail the stack's deletion.
    assert buckets(regional) == set()
    assert live_stacks(regional) == {}
