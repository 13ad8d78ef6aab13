"""The dataset stack: an encrypted bucket, its Glue database, a producer and a consumer role."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from constructs import Construct

from stack_catalog.constructs import access_policies as allow
from stack_catalog.constructs.acknowledgements import acknowledge_wildcard_resource
from stack_catalog.constructs.buckets import Lifecycle
from stack_catalog.constructs.published_outputs import publish_outputs
from stack_catalog.constructs.storage import encrypted_storage
from stack_catalog.contract import DeployContext
from stack_catalog.templates.dataset import OUTPUTS, Params

DATA_PREFIX = "data/"
OBJECTS_REASON = (
    "Object-level actions need an object ARN pattern; this one covers only the data/ prefix "
    "of the dataset's own bucket."
)
TABLES_REASON = (
    "The dataset's tables are added over time and the role must reach each of them; the "
    "pattern covers only the tables of this dataset's Glue database."
)


class DatasetStack(cdk.Stack):
    """Storage for one dataset; everything it builds comes from its params and context."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        params: Params,
        context: DeployContext,
        **stack_kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **stack_kwargs)
        qualified_name = f"{context.team}-{params.dataset_name}"
        self.storage = encrypted_storage(
            self,
            key_alias=f"alias/datahub/{context.team}/datasets/{params.dataset_name}",
            purpose=f"Encrypts dataset {qualified_name}",
            lifecycle=_lifecycle(params),
            access_log_retention_days=params.access_log_retention_days,
        )
        self.database_name = qualified_name.replace("-", "_")
        self.database = self._database(params, context)
        self.producer_role = self._producer_role(params, qualified_name)
        self.consumer_role = self._consumer_role(params, qualified_name)
        publish_outputs(
            self,
            documented=OUTPUTS,
            values=self._output_values(),
            parameter_path=f"/datahub/{context.team}/datasets/{params.dataset_name}",
        )

    @property
    def data_location(self) -> str:
        """S3 URI of the dataset's objects."""
        return f"s3://{self.storage.bucket.bucket_name}/{DATA_PREFIX}"

    def _database(self, params: Params, context: DeployContext) -> glue.CfnDatabase:
        return glue.CfnDatabase(
            self,
            "Database",
            catalog_id=self.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=self.database_name,
                description=params.description or f"Dataset {params.dataset_name}",
                location_uri=self.data_location,
                parameters={
                    "datahub:team": context.team,
                    "classification": params.classification,
                    "data_format": params.data_format,
                    "partition_layout": params.partition_layout,
                },
            ),
        )

    def _role(
        self, construct_id: str, *, principals: list[str | None], description: str, write: bool
    ) -> iam.Role:
        bucket = self.storage.bucket
        statements = [
            allow.bucket_listing(bucket),
            allow.object_reading(bucket, DATA_PREFIX),
            allow.key_use(self.storage.key, write=write),
            allow.catalog_access(self, self.database_name, write=write),
        ]
        if write:
            statements.append(allow.object_writing(bucket, DATA_PREFIX, delete=False))
        role = iam.Role(
            self,
            construct_id,
            assumed_by=allow.trusted_principals(principals),
            description=description,
            max_session_duration=cdk.Duration.hours(1),
            inline_policies={"dataset": iam.PolicyDocument(statements=statements)},
        )
        acknowledge_wildcard_resource(
            role, bucket.arn_for_objects(f"{DATA_PREFIX}*"), OBJECTS_REASON
        )
        acknowledge_wildcard_resource(
            role, allow.catalog_table_arn(self, self.database_name), TABLES_REASON
        )
        return role

    def _producer_role(self, params: Params, qualified_name: str) -> iam.Role:
        return self._role(
            "ProducerRole",
            principals=[params.producer_principal_arn],
            description=f"Writes dataset {qualified_name} and defines its tables",
            write=True,
        )

    def _consumer_role(self, params: Params, qualified_name: str) -> iam.Role:
        return self._role(
            "ConsumerRole",
            principals=list(params.consumer_principal_arns),
            description=f"Reads dataset {qualified_name}",
            write=False,
        )

    def _output_values(self) -> dict[str, str]:
        return {
            "BucketName": self.storage.bucket.bucket_name,
            "DataLocation": self.data_location,
            "KmsKeyArn": self.storage.key.key_arn,
            "GlueDatabaseName": self.database.ref,
            "ProducerRoleArn": self.producer_role.role_arn,
            "ConsumerRoleArn": self.consumer_role.role_arn,
        }


def _lifecycle(params: Params) -> Lifecycle:
    return Lifecycle(
        noncurrent_version_expiry_days=params.noncurrent_version_expiry_days,
        incomplete_upload_expiry_days=params.incomplete_upload_expiry_days,
        infrequent_access_after_days=params.infrequent_access_after_days,
    )
