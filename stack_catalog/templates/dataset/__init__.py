"""The dataset template: storage for one dataset, its Glue database, producer and consumer roles."""

from __future__ import annotations

from typing import Literal

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
    "BucketName": "Name of the dataset's bucket (KMS encrypted, versioned, TLS only)",
    "DataLocation": "S3 URI under which the dataset's objects are written",
    "KmsKeyArn": "ARN of the customer managed KMS key encrypting the dataset",
    "GlueDatabaseName": "Name of the Glue database holding the dataset's tables",
    "ProducerRoleArn": "ARN of the role that writes the dataset and defines its tables",
    "ConsumerRoleArn": "ARN of the read-only role for the dataset's consumers",
}


class Params(TemplateParams):
    """What a team chooses when it registers storage for a dataset."""

    model_config = ConfigDict(title="Dataset parameters")

    dataset_name: ResourceName = Field(examples=["orders"])
    description: str = Field(
        default="", max_length=1024, description="What the dataset holds, for people who find it"
    )
    classification: Literal["public", "internal", "confidential", "restricted"] = Field(
        default="internal", description="How sensitive the data is"
    )
    data_format: Literal["parquet", "orc", "avro", "json", "csv"] = Field(
        default="parquet", description="File format producers write"
    )
    partition_layout: Literal["none", "daily", "hourly"] = Field(
        default="daily",
        description="Object key layout under data/: none (data/<file>), daily "
        "(data/dt=YYYY-MM-DD/<file>) or hourly (data/dt=YYYY-MM-DD/hour=HH/<file>)",
    )
    producer_principal_arn: PrincipalArn | None = Field(
        default=None,
        description="Who may assume the producer role; empty means the target account's root",
    )
    consumer_principal_arns: list[PrincipalArn] = Field(
        default_factory=list,
        max_length=20,
        description="Who may assume the read-only consumer role; empty means the target "
        "account's root",
    )
    infrequent_access_after_days: InfrequentAccessAfterDays | None = Field(
        default=None, description="Days before objects move to S3 Standard-IA; empty means never"
    )
    noncurrent_version_expiry_days: NoncurrentVersionExpiryDays = 30
    incomplete_upload_expiry_days: IncompleteUploadExpiryDays = 7
    access_log_retention_days: AccessLogRetentionDays = 365


TEMPLATES = [
    Template(
        name="dataset",
        version="1.0.0",
        title="Dataset",
        description="Storage for one dataset: its own KMS-encrypted, access-logged bucket, a "
        "Glue database describing it, a producer role that writes and a read-only consumer "
        "role. Outputs are also published as SSM parameters under "
        "/datahub/<team>/datasets/<dataset_name>/.",
        params=Params,
        stack="stack_catalog.templates.dataset.stack:DatasetStack",
        outputs=OUTPUTS,
    )
]
