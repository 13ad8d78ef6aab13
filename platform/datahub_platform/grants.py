"""Grants across stacks, written on the principal's side only.

CDK's ``secret.grant_read`` also edits the KMS key policy when the reader lives in another
stack, so the key's stack would depend on the reader's: a cycle. The keys' policies already
trust this account's IAM policies, so a statement on the principal is all a read needs.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager


def grant_secret_read(
    grantee: iam.IGrantable, secret: secretsmanager.ISecret, key: kms.IKey
) -> None:
    """Let ``grantee`` read ``secret`` and decrypt it with ``key`` through Secrets Manager."""
    principal = grantee.grant_principal
    principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            resources=[secret.secret_arn],
        )
    )
    region = cdk.Stack.of(key).region
    principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["kms:Decrypt"],
            resources=[key.key_arn],
            conditions={
                "StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}
            },
        )
    )
