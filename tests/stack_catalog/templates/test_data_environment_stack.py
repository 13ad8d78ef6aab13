"""The data-environment stack: encrypted, private, TLS-only storage a team can query."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import (
    ACCOUNT,
    denies_insecure_transport,
    logical_id,
    only,
    resources,
)

ANALYSTS = f"arn:aws:iam::{ACCOUNT}:role/analysts"
TUNED = {
    "environment_name": "analytics",
    "trusted_principal_arn": ANALYSTS,
    "infrequent_access_after_days": 120,
    "noncurrent_version_expiry_days": 45,
    "incomplete_upload_expiry_days": 3,
    "query_results_expiry_days": 10,
    "query_scan_limit_gb": 5,
}


@pytest.fixture(scope="module")
def template(synth: Synth) -> dict[str, Any]:
    """The data environment synthesized with every parameter set."""
    return synth("data-environment", TUNED).template


def data_bucket(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Logical id and properties of the bucket encrypted with the customer managed key."""
    for bucket_id, bucket in resources(template, "AWS::S3::Bucket").items():
        rule = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        if rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms":
            return bucket_id, bucket["Properties"]
    raise AssertionError("no KMS-encrypted bucket")


def test_the_key_rotates_and_outlives_the_stack(template: dict[str, Any]) -> None:
    (key,) = resources(template, "AWS::KMS::Key").values()

    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def test_the_data_bucket_is_encrypted_with_the_customer_managed_key(
    template: dict[str, Any],
) -> None:
    (key_id,) = resources(template, "AWS::KMS::Key")
    _, bucket = data_bucket(template)
    default = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]

    assert default["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert (
        logical_id(template, default["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]) == key_id
    )
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}


def test_every_bucket_blocks_public_access_and_refuses_plain_http(
    template: dict[str, Any],
) -> None:
    buckets = resources(template, "AWS::S3::Bucket")
    policies = {
        logical_id(template, policy["Properties"]["Bucket"]): policy["Properties"]["PolicyDocument"]
        for policy in resources(template, "AWS::S3::BucketPolicy").values()
    }

    assert len(buckets) == 2
    for bucket_id, bucket in buckets.items():
        block = bucket["Properties"]["PublicAccessBlockConfiguration"]
        assert set(block.values()) == {True} and len(block) == 4
        assert denies_insecure_transport(policies[bucket_id])
        assert bucket["DeletionPolicy"] == "Retain"


def test_the_data_bucket_logs_access_to_the_log_bucket(template: dict[str, Any]) -> None:
    _, bucket = data_bucket(template)
    log_bucket = bucket["LoggingConfiguration"]["DestinationBucketName"]

    assert logical_id(template, log_bucket) in resources(template, "AWS::S3::Bucket")


def test_lifecycle_rules_follow_the_parameters(template: dict[str, Any]) -> None:
    _, bucket = data_bucket(template)
    rules = {rule["Id"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}

    whole = rules["whole-bucket"]
    assert whole["Transitions"] == [{"StorageClass": "STANDARD_IA", "TransitionInDays": 120}]
    assert whole["NoncurrentVersionExpiration"] == {"NoncurrentDays": 45}
    assert whole["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 3}
    assert rules["expire-query-results"]["ExpirationInDays"] == 10


def test_query_results_are_encrypted_with_the_key_and_the_team_cannot_opt_out(
    template: dict[str, Any],
) -> None:
    (key_id,) = resources(template, "AWS::KMS::Key")
    workgroup = only(template, "AWS::Athena::WorkGroup")["WorkGroupConfiguration"]
    encryption = workgroup["ResultConfiguration"]["EncryptionConfiguration"]

    assert encryption["EncryptionOption"] == "SSE_KMS"
    assert logical_id(template, encryption["KmsKey"]) == key_id
    assert workgroup["EnforceWorkGroupConfiguration"] is True
    assert workgroup["BytesScannedCutoffPerQuery"] == 5 * 1024**3


def test_the_glue_database_is_named_after_team_and_environment(
    template: dict[str, Any],
) -> None:
    database = only(template, "AWS::Glue::Database")

    assert database["DatabaseInput"]["Name"] == "sales_analytics"
    assert database["CatalogId"] == ACCOUNT


def test_the_team_role_is_assumable_only_by_the_trusted_principal(
    template: dict[str, Any],
) -> None:
    trust = only(template, "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"]

    assert trust == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": ANALYSTS}}
    ]


def test_without_a_principal_the_role_trusts_the_target_account(synth: Synth) -> None:
    template = synth("data-environment", {"environment_name": "analytics"}).template
    (statement,) = only(template, "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"]

    assert ":iam::123456789012:root" in str(statement["Principal"]["AWS"])


def test_the_team_role_names_every_action_it_may_take(template: dict[str, Any]) -> None:
    (policy,) = only(template, "AWS::IAM::Role")["Policies"]
    actions = [
        action
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    ]

    assert all("*" not in action for action in actions)
    assert {"s3:GetObject", "s3:PutObject", "kms:GenerateDataKey"} <= set(actions)
    assert {"athena:StartQueryExecution", "glue:CreateTable"} <= set(actions)
