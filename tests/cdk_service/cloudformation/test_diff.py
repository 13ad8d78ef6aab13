"""The property-level template diff."""

from __future__ import annotations

import copy

from cdk_service.cloudformation.diff import diff_templates, forces_replacement
from tests.cdk_service.cloudformation.templates import with_resource, workspace


def test_identical_templates_have_an_empty_diff() -> None:
    assert diff_templates(workspace(), workspace()).is_empty


def test_added_and_removed_resources_are_listed() -> None:
    deployed = workspace()
    new = with_resource(deployed, "Archive", {"Type": "AWS::S3::Bucket"})
    del new["Resources"]["Alerts"]

    diff = diff_templates(deployed, new)

    assert [(r.action, r.logical_id, r.resource_type) for r in diff.resources] == [
        ("remove", "Alerts", "AWS::SNS::Topic"),
        ("add", "Archive", "AWS::S3::Bucket"),
    ]


def test_a_nested_change_has_its_full_path() -> None:
    diff = diff_templates(workspace(), workspace(encryption="aws:kms"))

    (bucket,) = diff.resources
    (change,) = bucket.changes
    assert change.path == (
        "Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]"
        ".ServerSideEncryptionByDefault.SSEAlgorithm"
    )
    assert (change.old, change.new, bucket.replacement) == ("AES256", "aws:kms", False)


def test_a_new_bucket_name_forces_replacement() -> None:
    new = workspace()
    new["Resources"]["RawBucket"]["Properties"]["BucketName"] = "analytics-raw-data-v2"

    (bucket,) = diff_templates(workspace(), new).resources

    assert bucket.replacement
    assert [(c.path, c.replacement) for c in bucket.changes] == [("Properties.BucketName", True)]


def test_a_changed_type_forces_replacement() -> None:
    new = workspace()
    new["Resources"]["Alerts"] = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "alerts"}}

    (alerts,) = diff_templates(workspace(), new).resources

    assert alerts.replacement
    assert ("Type", "AWS::SNS::Topic", "AWS::SQS::Queue", True) in [
        (c.path, c.old, c.new, c.replacement) for c in alerts.changes
    ]


def test_an_intrinsic_function_is_compared_whole() -> None:
    new = workspace()
    new["Resources"]["Ingest"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] = {
        "Fn::GetAtt": ["Other", "Arn"]
    }

    (ingest,) = diff_templates(workspace(), new).resources

    (change,) = ingest.changes
    assert change.path == "Properties.RedrivePolicy.deadLetterTargetArn"
    assert change.new == {"Fn::GetAtt": ["Other", "Arn"]}


def test_replacement_properties_match_nested_paths() -> None:
    assert forces_replacement("AWS::Glue::Database", "Properties.DatabaseInput.Name")
    assert not forces_replacement("AWS::Glue::Database", "Properties.DatabaseInput.Description")
    assert forces_replacement("AWS::DynamoDB::Table", "Properties.KeySchema[0].AttributeName")
    assert not forces_replacement("AWS::SQS::Queue", "Properties.QueueNameSuffix")


def test_outputs_and_parameters_changes_are_listed() -> None:
    deployed = workspace()
    deployed["Parameters"] = {"Retention": {"Type": "Number", "Default": "60"}}
    new = copy.deepcopy(deployed)
    new["Outputs"]["TopicArn"] = {"Value": {"Ref": "Alerts"}}
    del new["Outputs"]["QueueUrl"]

    diff = diff_templates(
        deployed, new, deployed_values={"Retention": "60"}, new_values={"Retention": "120"}
    )

    assert [(o.name, o.action) for o in diff.outputs] == [
        ("QueueUrl", "remove"),
        ("TopicArn", "add"),
    ]
    (retention,) = diff.parameters
    assert (retention.name, retention.action) == ("Retention", "modify")
    assert (retention.old["Value"], retention.new["Value"]) == ("60", "120")
