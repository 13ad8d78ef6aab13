"""Encrypted data storage: a customer managed key, a data bucket under it, and its access log."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stack_catalog.constructs.buckets import AccessLogBucket, DataBucket, Lifecycle
from stack_catalog.constructs.encryption import customer_managed_key


@dataclass(frozen=True)
class DataStorage:
    """The resources of one encrypted, access-logged data store."""

    key: kms.Key
    bucket: s3.Bucket
    access_log_bucket: s3.Bucket


def encrypted_storage(
    scope: Construct,
    *,
    key_alias: str,
    purpose: str,
    lifecycle: Lifecycle,
    access_log_retention_days: int,
) -> DataStorage:
    """A retained key, a data bucket encrypted with it, and the bucket receiving its access logs."""
    key = customer_managed_key(
        scope, "DataKey", alias=key_alias, purpose=purpose, outlives_stack=True
    )
    access_logs = AccessLogBucket(scope, "AccessLogs", retention_days=access_log_retention_days)
    data = DataBucket(scope, "Data", key=key, access_logs=access_logs, lifecycle=lifecycle)
    return DataStorage(key=key, bucket=data.bucket, access_log_bucket=access_logs.bucket)
