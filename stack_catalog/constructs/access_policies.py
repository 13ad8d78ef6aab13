"""Least-privilege IAM statements for the resources templates create, named by what they allow."""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")
CATALOG_READ_ACTIONS = (
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
)
CATALOG_WRITE_ACTIONS = (
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
)
QUERY_ACTIONS = (
    "athena:GetWorkGroup",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
    "athena:GetQueryExecution",
    "athena:BatchGetQueryExecution",
    "athena:ListQueryExecutions",
    "athena:GetQueryResults",
)


def bucket_listing(bucket: s3.IBucket) -> iam.PolicyStatement:
    """List the bucket and find its region (needed by every S3 client)."""
    return iam.PolicyStatement(
        actions=["s3:ListBucket", "s3:GetBucketLocation"], resources=[bucket.bucket_arn]
    )


def object_reading(bucket: s3.IBucket, prefix: str = "") -> iam.PolicyStatement:
    """Read objects (and their versions) under ``prefix``."""
    return iam.PolicyStatement(
        actions=["s3:GetObject", "s3:GetObjectVersion"],
        resources=[bucket.arn_for_objects(f"{prefix}*")],
    )


def object_writing(bucket: s3.IBucket, prefix: str = "", *, delete: bool) -> iam.PolicyStatement:
    """Write objects under ``prefix``, including multipart uploads; delete them if asked."""
    actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    if delete:
        actions.append("s3:DeleteObject")
    return iam.PolicyStatement(actions=actions, resources=[bucket.arn_for_objects(f"{prefix}*")])


def key_use(key: kms.IKey, *, write: bool) -> iam.PolicyStatement:
    """Decrypt with the key, and encrypt new data with it when ``write``."""
    actions = [*KEY_READ_ACTIONS, *(KEY_WRITE_ACTIONS if write else ())]
    return iam.PolicyStatement(actions=actions, resources=[key.key_arn])


def catalog_table_arn(stack: cdk.Stack, database_name: str) -> str:
    """The ARN matching every table of one Glue database."""
    return stack.format_arn(service="glue", resource="table", resource_name=f"{database_name}/*")


def catalog_access(stack: cdk.Stack, database_name: str, *, write: bool) -> iam.PolicyStatement:
    """Read (and when ``write``, define) tables and partitions of one Glue database."""
    actions = [*CATALOG_READ_ACTIONS, *(CATALOG_WRITE_ACTIONS if write else ())]
    return iam.PolicyStatement(
        actions=actions,
        resources=[
            stack.format_arn(service="glue", resource="catalog"),
            stack.format_arn(service="glue", resource="database", resource_name=database_name),
            catalog_table_arn(stack, database_name),
        ],
    )


def workgroup_queries(stack: cdk.Stack, workgroup_name: str) -> iam.PolicyStatement:
    """Run and read queries in one Athena workgroup."""
    return iam.PolicyStatement(
        actions=list(QUERY_ACTIONS),
        resources=[
            stack.format_arn(service="athena", resource="workgroup", resource_name=workgroup_name)
        ],
    )


def trusted_principals(arns: Iterable[str | None]) -> iam.IPrincipal:
    """Who may assume a role: the ARNs given, or the target account's root when none are."""
    principals: list[iam.IPrincipal] = [iam.ArnPrincipal(arn) for arn in arns if arn]
    if not principals:
        return iam.AccountRootPrincipal()
    return principals[0] if len(principals) == 1 else iam.CompositePrincipal(*principals)
