"""Preparing, previewing and executing change sets against moto, checked through AWS APIs."""

from __future__ import annotations

import json

import pytest

from cdk_service.cloudformation.changeset import to_ref
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import ChangeSetRef
from service_contract.errors import InvalidInput
from service_contract.targets import Target
from tests.cdk_service.cloudformation.conftest import ACCOUNT, REGION, Aws
from tests.cdk_service.cloudformation.templates import (
    BUCKET,
    DEAD_LETTER_QUEUE,
    PARAMETER,
    QUEUE,
    ROLE,
    TOPIC,
    with_resource,
    workspace,
)

STACK = "analytics-workspace"


def deploy(
    engine: DeployEngine, target: Target, template: dict, deployment_id: str
) -> ChangeSetRef:
    """Prepare and execute one deployment."""
    ref = engine.prepare(target, stack_name=STACK, deployment_id=deployment_id, template=template)
    engine.execute(target, ref)
    return ref


def queue_attributes(aws: Aws, name: str) -> dict[str, str]:
    sqs = aws("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def test_a_new_stack_gets_its_resources(engine: DeployEngine, target: Target, aws: Aws) -> None:
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())

    assert (ref.change_set_type, ref.status, ref.execution_status) == (
        "CREATE",
        "CREATE_COMPLETE",
        "AVAILABLE",
    )
    assert engine.execute(target, ref).action == "executed"
    assert engine.status(target, STACK).outcome == "succeeded"
    aws("s3").head_bucket(Bucket=BUCKET)
    redrive = json.loads(queue_attributes(aws, QUEUE)["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{DEAD_LETTER_QUEUE}"
    assert redrive["maxReceiveCount"] == 5
    aws("sns").get_topic_attributes(TopicArn=f"arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}")
    aws("iam").get_role(RoleName=ROLE)
    parameter = aws("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"]
    assert parameter.endswith(f"/{ACCOUNT}/{QUEUE}")
    key_id = engine.outputs(target, STACK).values["DataKey"]
    assert key_id in {key["KeyId"] for key in aws("kms").list_keys()["Keys"]}


def test_an_update_changes_properties_and_its_preview_names_them(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    deploy(engine, target, workspace(), "d1")
    updated = workspace(visibility_timeout=120, encryption="aws:kms")

    ref = engine.prepare(target, stack_name=STACK, deployment_id="d2", template=updated)
    preview = engine.preview(target, ref, updated)

    assert ref.change_set_type == "UPDATE"
    modified = {resource.logical_id: resource for resource in preview.diff.resources}
    assert set(modified) == {"Ingest", "RawBucket"}
    assert [(c.path, c.old, c.new) for c in modified["Ingest"].changes] == [
        ("Properties.VisibilityTimeout", 30, 120)
    ]
    encryption = modified["RawBucket"].changes[0]
    assert encryption.path == (
        "Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]"
        ".ServerSideEncryptionByDefault.SSEAlgorithm"
    )
    assert (encryption.old, encryption.new, encryption.replacement) == ("AES256", "aws:kms", False)
    # moto lists which resources change but, unlike CloudFormation, no property details.
    assert {(c.action, c.logical_id) for c in preview.changes} == {
        ("Modify", "Ingest"),
        ("Modify", "RawBucket"),
    }
    assert all(not change.details for change in preview.changes)

    assert engine.execute(target, ref).action == "executed"
    assert queue_attributes(aws, QUEUE)["VisibilityTimeout"] == "120"
    rules = aws("s3").get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert engine.status(target, STACK).status == "UPDATE_COMPLETE"


def test_renaming_a_queue_is_previewed_as_a_replacement(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    deploy(engine, target, workspace(), "d1")
    renamed = workspace(queue_name="analytics-ingest-v2")

    preview = engine.preview(
        target,
        engine.prepare(target, stack_name=STACK, deployment_id="d2", template=renamed),
        renamed,
    )

    (ingest,) = preview.diff.resources
    assert (ingest.logical_id, ingest.replacement) == ("Ingest", True)
    assert [(c.path, c.replacement) for c in ingest.changes] == [("Properties.QueueName", True)]


def test_running_a_deployment_again_changes_nothing(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    first = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())
    again = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())
    assert again.change_set_id == first.change_set_id

    assert engine.execute(target, first).action == "executed"
    events = engine.events(target, STACK)
    assert engine.execute(target, first).action == "already_executed"
    resumed = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())
    assert engine.execute(target, resumed).action == "already_executed"

    cloudformation = aws("cloudformation")
    assert [s["StackName"] for s in cloudformation.describe_stacks()["Stacks"]] == [STACK]
    change_sets = cloudformation.list_change_sets(StackName=STACK)["Summaries"]
    assert [c["ChangeSetId"] for c in change_sets] == [first.change_set_id]
    assert engine.events(target, STACK) == events


def test_deploying_what_is_deployed_is_a_no_op(engine: DeployEngine, target: Target) -> None:
    deploy(engine, target, workspace(), "d1")

    ref = engine.prepare(target, stack_name=STACK, deployment_id="d2", template=workspace())

    assert ref.no_changes
    assert "didn't contain changes" in (ref.status_reason or "")
    assert engine.execute(target, ref).action == "no_changes"
    assert engine.status(target, STACK).status == "CREATE_COMPLETE"


def test_same_parameters_again_is_a_no_op(engine: DeployEngine, target: Target) -> None:
    template = workspace()
    template["Parameters"] = {"Retention": {"Type": "Number"}}
    template["Resources"]["DeadLetters"]["Properties"]["MessageRetentionPeriod"] = {
        "Ref": "Retention"
    }
    parameters = {"Retention": "86400"}
    ref = engine.prepare(
        target, stack_name=STACK, deployment_id="d1", template=template, parameters=parameters
    )
    engine.execute(target, ref)

    # moto refuses this change set outright ("No updates are to be performed"), where
    # CloudFormation creates it FAILED; both read as "nothing to change".
    again = engine.prepare(
        target, stack_name=STACK, deployment_id="d2", template=template, parameters=parameters
    )

    assert again.no_changes
    assert engine.execute(target, again).action == "no_changes"


def test_a_template_cloudformation_rejects_is_invalid_input(
    engine: DeployEngine, target: Target
) -> None:
    broken = with_resource(
        workspace(),
        "Orphan",
        {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::GetAtt": ["Nope", "Arn"]}}},
    )

    # CloudFormation fails such a change set when it is created; moto accepts it and rejects
    # the template only when it is executed. Either way the deployment gets template_invalid.
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=broken)
    with pytest.raises(InvalidInput) as rejected:
        engine.execute(target, ref)

    assert rejected.value.code == "template_invalid"
    assert "Nope" in rejected.value.message


def test_a_change_set_failed_on_its_template_is_invalid_input() -> None:
    # What CloudFormation answers for a template it cannot resolve (moto never does this).
    failed = {
        "StackName": STACK,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/analytics-workspace/1",
        "ChangeSetName": "datahub-d1",
        "ChangeSetId": "arn:aws:cloudformation:us-east-1:123456789012:changeSet/datahub-d1/2",
        "Status": "FAILED",
        "ExecutionStatus": "UNAVAILABLE",
        "StatusReason": "Template format error: Unresolved resource dependencies [Nope] in the "
        "Resources block of the template",
    }

    with pytest.raises(InvalidInput) as rejected:
        to_ref(failed)

    assert rejected.value.code == "template_invalid"


def test_a_resource_that_fails_fails_the_deployment_with_its_reason(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    aws("s3").create_bucket(Bucket=BUCKET)
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())

    # moto creates resources inside ExecuteChangeSet; datahubctl.local.moto makes it accept
    # the call and roll back with the failing resource's event, as CloudFormation does.
    assert engine.execute(target, ref).action == "executed"

    state = engine.status(target, STACK)
    assert (state.status, state.outcome) == ("ROLLBACK_COMPLETE", "failed")
    assert state.failed_resource == "RawBucket"
    assert "BucketAlreadyExists" in str(state.reason)


def test_a_deploy_role_puts_the_stack_in_the_target_account(
    engine: DeployEngine, moto_url: str, aws: Aws
) -> None:
    other = Target(
        account="210987654321",
        region=REGION,
        deploy_role_arn="arn:aws:iam::210987654321:role/datahub-deploy",
        endpoint_url=moto_url,
    )

    deploy(engine, other, workspace(), "d1")

    assert engine.status(other, STACK).stack_id.split(":")[4] == "210987654321"  # type: ignore[union-attr]
    assert aws("cloudformation").describe_stacks()["Stacks"] == []


def test_a_large_template_goes_through_the_asset_bucket(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    aws("s3").create_bucket(Bucket=target.asset_bucket)
    large = workspace()
    large["Metadata"] = {"Padding": "x" * 60_000}

    deploy(engine, target, large, "d1")

    uploaded = aws("s3").list_objects_v2(Bucket=target.asset_bucket, Prefix="datahub/templates/")
    assert uploaded["KeyCount"] == 1
    assert engine.status(target, STACK).outcome == "succeeded"
    assert aws("cloudformation").get_template(StackName=STACK)["TemplateBody"] == large


@pytest.mark.parametrize("first_attempt", [True, False])
def test_a_change_set_prepared_with_its_preview_shows_what_a_preview_asked_later_shows(
    engine: DeployEngine, target: Target, first_attempt: bool
) -> None:
    deploy(engine, target, workspace(), "d1")
    updated = with_resource(workspace(), "Extra", {"Type": "AWS::SQS::Queue", "Properties": {}})

    ref, preview = engine.prepare_with_preview(
        target, stack_name=STACK, deployment_id="d2", template=updated, first_attempt=first_attempt
    )

    assert preview == engine.preview(target, ref, updated)
    assert [change.logical_id for change in preview.changes] == ["Extra"]


def test_a_new_stack_s_change_set_is_a_create_made_without_describing_the_stack(
    engine: DeployEngine, target: Target
) -> None:
    called: list[str] = []
    cloudformation = engine.clients.client(target, "cloudformation")
    cloudformation.meta.events.register(
        "before-call.cloudformation", lambda model, **_: called.append(model.name)
    )

    ref, preview = engine.prepare_with_preview(
        target,
        stack_name=STACK,
        deployment_id="d1",
        template=workspace(),
        first_attempt=True,
        new_stack=True,
    )

    assert called == ["CreateChangeSet", "DescribeChangeSet"]
    assert (ref.change_set_type, ref.status) == ("CREATE", "CREATE_COMPLETE")
    assert {change.action for change in preview.changes} == {"Add"}
