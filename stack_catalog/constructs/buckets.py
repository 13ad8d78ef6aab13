"""Private, TLS-only S3 buckets: data under a customer managed key, and their access logs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stack_catalog.constructs.acknowledgements import acknowledge

# Grant log delivery through a bucket policy, not the legacy LogDeliveryWrite ACL, whatever
# the app's feature flags say: new buckets have ACLs disabled.
LOG_DELIVERY_BY_POLICY_FLAG = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"


@dataclass(frozen=True)
class Lifecycle:
    """How long objects stay where: storage class transitions and expiries, in days."""

    noncurrent_version_expiry_days: int
    incomplete_upload_expiry_days: int
    infrequent_access_after_days: int | None = None
    prefix_expiry_days: Mapping[str, int] = field(default_factory=dict)

    def rules(self) -> list[s3.LifecycleRule]:
        """The bucket lifecycle rules this describes."""
        transitions = []
        if self.infrequent_access_after_days is not None:
            transitions.append(
                s3.Transition(
                    storage_class=s3.StorageClass.INFREQUENT_ACCESS,
                    transition_after=cdk.Duration.days(self.infrequent_access_after_days),
                )
            )
        whole_bucket = s3.LifecycleRule(
            id="whole-bucket",
            abort_incomplete_multipart_upload_after=cdk.Duration.days(
                self.incomplete_upload_expiry_days
            ),
            noncurrent_version_expiration=cdk.Duration.days(self.noncurrent_version_expiry_days),
            transitions=transitions or None,
        )
        by_prefix = [
            s3.LifecycleRule(
                id=f"expire-{prefix.strip('/')}", prefix=prefix, expiration=cdk.Duration.days(days)
            )
            for prefix, days in sorted(self.prefix_expiry_days.items())
        ]
        return [whole_bucket, *by_prefix]


class AccessLogBucket(Construct):
    """The bucket that receives server access logs of the stack's data buckets."""

    def __init__(self, scope: Construct, construct_id: str, *, retention_days: int) -> None:
        super().__init__(scope, construct_id)
        self.node.set_context(LOG_DELIVERY_BY_POLICY_FLAG, True)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            # Server access logging only delivers to buckets encrypted with S3 managed keys.
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-logs", expiration=cdk.Duration.days(retention_days))
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.bucket,
            "AwsSolutions-S1",
            "This bucket is the server access log destination; logging its own access would "
            "write a log record for every log record delivered.",
        )


class DataBucket(Construct):
    """A versioned data bucket encrypted with a customer managed key, private and TLS-only."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        access_logs: AccessLogBucket,
        lifecycle: Lifecycle,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            server_access_logs_bucket=access_logs.bucket,
            server_access_logs_prefix=f"{construct_id.lower()}/",
            lifecycle_rules=lifecycle.rules(),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
