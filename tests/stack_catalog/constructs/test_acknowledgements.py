"""Acknowledging a policy rule takes a real reason and names the exact finding."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from stack_catalog.constructs.acknowledgements import (
    acknowledge,
    acknowledge_wildcard_resource,
    flatten_reference,
)


@pytest.fixture
def stack(tmp_path: Path) -> cdk.Stack:
    """An empty stack in an app that writes only under the test's directory."""
    app = cdk.App(outdir=str(tmp_path), analytics_reporting=False, stack_traces=False)
    return cdk.Stack(app, "Probe", env=cdk.Environment(account="123456789012", region="eu-west-1"))


def recorded(scope: cdk.Stack | s3.Bucket) -> dict[str, str]:
    """The acknowledgements recorded on one construct."""
    key = cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    return {
        rule: reason
        for entry in scope.node.metadata
        if entry.type == key
        for rule, reason in entry.data.items()
    }


@pytest.mark.parametrize("reason", ["", "   ", "not needed"])
def test_an_acknowledgement_without_a_specific_reason_is_refused(
    stack: cdk.Stack, reason: str
) -> None:
    with pytest.raises(ValueError, match="AwsSolutions-S1"):
        acknowledge(stack, "AwsSolutions-S1", reason)


def test_a_wildcard_acknowledgement_names_the_resource_as_cdk_nag_does(stack: cdk.Stack) -> None:
    bucket = s3.Bucket(stack, "Bucket")
    reason = "Objects are addressed by key; this pattern names only this bucket."

    acknowledge_wildcard_resource(bucket, bucket.arn_for_objects("raw/*"), reason)

    (rule,) = recorded(bucket)
    assert rule.endswith("AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/raw/*]")


@pytest.mark.parametrize(
    ("value", "flat"),
    [
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"),
        ({"Fn::GetAtt": ["Bucket", "Arn"]}, "<Bucket.Arn>"),
        (
            {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":glue:*"]]},
            "arn:<AWS::Partition>:glue:*",
        ),
        ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}, "arn:<AWS::Partition>:s3:::b/*"),
    ],
)
def test_references_flatten_to_the_cdk_nag_finding_format(value: object, flat: str) -> None:
    assert flatten_reference(value) == flat
