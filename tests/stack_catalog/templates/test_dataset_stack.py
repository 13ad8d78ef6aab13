"""The dataset stack: encrypted storage, a producer who writes and consumers who only read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import (
    denies_insecure_transport,
    logical_id,
    only,
    resources,
)

PRODUCER = "arn:aws:iam::210987654321:role/orders-etl"
CONSUMERS = ["arn:aws:iam::123456789012:role/bi", "arn:aws:iam::123456789012:role/science"]
PARAMS = {
    "dataset_name": "orders",
    "classification": "confidential",
    "partition_layout": "hourly",
    "producer_principal_arn": PRODUCER,
    "consumer_principal_arns": CONSUMERS,
}


@pytest.fixture(scope="module")
def template(synth: Synth) -> dict[str, Any]:
    """The dataset synthesized with its principals and classification set."""
    return synth("dataset", PARAMS).template


def role(template: dict[str, Any], construct: str) -> dict[str, Any]:
    """Properties of the role whose logical id starts with ``construct``."""
    (found,) = (
        r["Properties"]
        for rid, r in resources(template, "AWS::IAM::Role").items()
        if rid.startswith(construct)
    )
    return found


def allowed_actions(role_properties: dict[str, Any]) -> set[str]:
    """Every action the role's inline policies allow."""
    return {
        action
        for policy in role_properties["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    }


def trusted(role_properties: dict[str, Any]) -> list[str]:
    """The principals the role trusts, as ARNs."""
    arns: list[str] = []
    for statement in role_properties["AssumeRolePolicyDocument"]["Statement"]:
        assert statement["Action"] == "sts:AssumeRole" and statement["Effect"] == "Allow"
        principals = statement["Principal"]["AWS"]
        arns += principals if isinstance(principals, list) else [principals]
    return arns


def test_the_dataset_bucket_is_encrypted_private_and_tls_only(template: dict[str, Any]) -> None:
    (key_id,) = resources(template, "AWS::KMS::Key")
    (bucket_id,) = (
        bid
        for bid, b in resources(template, "AWS::S3::Bucket").items()
        if "LoggingConfiguration" in b["Properties"]
    )
    bucket = template["Resources"][bucket_id]["Properties"]
    default = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    (policy,) = (
        p["Properties"]["PolicyDocument"]
        for p in resources(template, "AWS::S3::BucketPolicy").values()
        if logical_id(template, p["Properties"]["Bucket"]) == bucket_id
    )

    assert default["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert (
        logical_id(template, default["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]) == key_id
    )
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert denies_insecure_transport(policy)
    assert template["Resources"][key_id]["Properties"]["EnableKeyRotation"] is True


def test_the_glue_database_records_classification_and_layout(template: dict[str, Any]) -> None:
    database = only(template, "AWS::Glue::Database")["DatabaseInput"]

    assert database["Name"] == "sales_orders"
    assert database["Parameters"]["classification"] == "confidential"
    assert database["Parameters"]["partition_layout"] == "hourly"


def test_the_producer_writes_and_the_consumers_only_read(template: dict[str, Any]) -> None:
    producer = allowed_actions(role(template, "ProducerRole"))
    consumer = allowed_actions(role(template, "ConsumerRole"))

    assert {"s3:PutObject", "kms:GenerateDataKey", "glue:CreateTable"} <= producer
    assert {"s3:GetObject", "kms:Decrypt", "glue:GetTable"} <= consumer
    writes = {"s3:PutObject", "s3:DeleteObject", "kms:Encrypt", "kms:GenerateDataKey"}
    assert not consumer & writes
    assert not any(
        action.startswith(("glue:Create", "glue:Update", "glue:Delete")) for action in consumer
    )


def test_each_role_trusts_only_its_principals(template: dict[str, Any]) -> None:
    assert trusted(role(template, "ProducerRole")) == [PRODUCER]
    assert sorted(trusted(role(template, "ConsumerRole"))) == CONSUMERS


def test_objects_are_reached_only_under_the_data_prefix(template: dict[str, Any]) -> None:
    statements = [
        statement
        for r in ("ProducerRole", "ConsumerRole")
        for policy in role(template, r)["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        if any(a.startswith("s3:") and "Object" in a for a in statement["Action"])
    ]

    assert statements
    assert all(str(statement["Resource"]).endswith("'/data/*']]}") for statement in statements)
