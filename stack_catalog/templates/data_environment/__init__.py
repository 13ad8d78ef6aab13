"""The data-environment template: a team's encrypted bucket, query workgroup and Glue database."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from stack_catalog.contract import Template, TemplateParams
from stack_catalog.templates.parameters import (
    AccessLogRetentionDays,
    IncompleteUploadExpiryDays,
    InfrequentAccessAfterDays,
    NoncurrentVersionExpiryDays,
    PrincipalArn,
    ResourceName,
)

OUTPUTS = {
    "BucketName": "Name of the environment's data bucket (KMS encrypted, versioned, TLS only)",
    "KmsKeyArn": "ARN of the customer managed KMS key encrypting the bucket and query results",
    "TeamRoleArn": "ARN of the IAM role the team assumes to use the bucket, database and workgroup",
    "GlueDatabaseName": "Name of the Glue database for the environment's tables",
    "AthenaWorkGroupName": "Name of the Athena workgroup; results are encrypted with the key",
    "AccessLogBucketName": "Name of the bucket receiving the data bucket's server access logs",
}


class Params(TemplateParams):
    """What a team chooses when it requests a data environment."""

    model_config = ConfigDict(title="Data environment parameters")

    environment_name: ResourceName = Field(examples=["analytics"])
    trusted_principal_arn: PrincipalArn | None = Field(
        default=None,
        description="Who may assume the team role: an IAM role or account root ARN; empty "
        "means the target account's root (its IAM principals that are allowed to)",
    )
    infrequent_access_after_days: InfrequentAccessAfterDays = 90
    noncurrent_version_expiry_days: NoncurrentVersionExpiryDays = 90
    incomplete_upload_expiry_days: IncompleteUploadExpiryDays = 7
    query_results_expiry_days: int = Field(
        default=30, ge=1, le=365, description="Days Athena query results are kept"
    )
    access_log_retention_days: AccessLogRetentionDays = 365
    query_scan_limit_gb: int = Field(
        default=100, ge=1, le=10240, description="Most data one Athena query may scan, in GB"
    )


TEMPLATES = [
    Template(
        name="data-environment",
        version="1.0.0",
        title="Data environment",
        description="A team workspace: a KMS-encrypted, access-logged S3 bucket with lifecycle "
        "rules, a least-privilege team role, a Glue database and an Athena workgroup whose "
        "results are encrypted with the same key. Outputs are also published as SSM parameters "
        "under /datahub/<team>/<environment_name>/.",
        params=Params,
        stack="stack_catalog.templates.data_environment.stack:DataEnvironmentStack",
        outputs=OUTPUTS,
    )
]
