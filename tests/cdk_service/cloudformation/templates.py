"""Small hand-written CloudFormation templates of resources moto really creates."""

from __future__ import annotations

import copy
from typing import Any

BUCKET = "analytics-raw-data"
QUEUE = "analytics-ingest"
DEAD_LETTER_QUEUE = "analytics-ingest-dlq"
TOPIC = "analytics-alerts"
ROLE = "analytics-team"
PARAMETER = "/datahub/analytics/ingest-queue-url"


def workspace(
    *,
    visibility_timeout: int = 30,
    encryption: str = "AES256",
    queue_name: str = QUEUE,
    retain_bucket: bool = False,
) -> dict[str, Any]:
    """A bucket, a queue with a dead-letter queue, a topic, a key, a role and a parameter."""
    bucket: dict[str, Any] = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketName": BUCKET,
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": encryption}}
                ]
            },
        },
    }
    if retain_bucket:
        bucket["DeletionPolicy"] = "Retain"
    return {
        "Description": "DATAHUB test workspace",
        "Resources": {
            "RawBucket": bucket,
            "DeadLetters": _queue(DEAD_LETTER_QUEUE, MessageRetentionPeriod=1_209_600),
            "Ingest": _queue(
                queue_name,
                VisibilityTimeout=visibility_timeout,
                RedrivePolicy={
                    "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]},
                    "maxReceiveCount": 5,
                },
            ),
            "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": TOPIC}},
            "DataKey": {
                "Type": "AWS::KMS::Key",
                "Properties": {
                    "Description": "Encrypts analytics data",
                    "KeyPolicy": _account_may("kms:*", Resource="*"),
                },
            },
            "TeamRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": ROLE,
                    "AssumeRolePolicyDocument": _account_may("sts:AssumeRole"),
                },
            },
            "QueueUrlParameter": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": PARAMETER, "Type": "String", "Value": {"Ref": "Ingest"}},
            },
        },
        "Outputs": {
            "BucketName": {"Value": {"Ref": "RawBucket"}},
            "QueueUrl": {"Value": {"Ref": "Ingest"}},
        },
    }


def with_resource(
    template: dict[str, Any], logical_id: str, resource: dict[str, Any]
) -> dict[str, Any]:
    """A copy of the template with one more resource."""
    changed = copy.deepcopy(template)
    changed["Resources"][logical_id] = resource
    return changed


def _queue(name: str, **properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name, **properties}}


def _account_may(action: str, **extra: Any) -> dict[str, Any]:
    """A policy letting the stack's own account do ``action``."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
        "Action": action,
        **extra,
    }
    return {"Version": "2012-10-17", "Statement": [statement]}
