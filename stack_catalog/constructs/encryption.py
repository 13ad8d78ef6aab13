"""Customer managed KMS keys for template data."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct


def customer_managed_key(
    scope: Construct, construct_id: str, *, alias: str, purpose: str, outlives_stack: bool
) -> kms.Key:
    """A rotating customer managed key.

    ``outlives_stack`` keeps the key when the stack is deleted, for data that is kept too
    (retained buckets); otherwise deletion is scheduled after the 30-day waiting period.
    """
    return kms.Key(
        scope,
        construct_id,
        alias=alias,
        description=purpose,
        enable_key_rotation=True,
        pending_window=cdk.Duration.days(30),
        removal_policy=cdk.RemovalPolicy.RETAIN if outlives_stack else cdk.RemovalPolicy.DESTROY,
    )
