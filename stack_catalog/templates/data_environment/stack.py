"""The data-environment stack: bucket, key, team role, Glue database and Athena workgroup."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from constructs import Construct

from stack_catalog.constructs import access_policies as allow
from stack_catalog.constructs.acknowledgements import acknowledge_wildcard_resource
from stack_catalog.constructs.buckets import Lifecycle
from stack_catalog.constructs.published_outputs import publish_outputs
from stack_catalog.constructs.storage import encrypted_storage
from stack_catalog.contract import DeployContext
from stack_catalog.templates.data_environment import OUTPUTS, Params

QUERY_RESULTS_PREFIX = "query-results/"
TABLES_PREFIX = "tables/"
GIGABYTE = 1024**3


class DataEnvironmentStack(cdk.Stack):
    """A team's data environment; everything it builds comes from its params and context."""

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
        qualified_name = f"{context.team}-{params.environment_name}"
        self.database_name = qualified_name.replace("-", "_")
        self.workgroup_name = f"datahub-{qualified_name}"
        self.storage = encrypted_storage(
            self,
            key_alias=f"alias/datahub/{context.team}/{params.environment_name}",
            purpose=f"Encrypts data and query results of data environment {qualified_name}",
            lifecycle=_lifecycle(params),
            access_log_retention_days=params.access_log_retention_days,
        )
        self.database = self._database(qualified_name)
        self.workgroup = self._workgroup(params, context)
        self.team_role = self._team_role(params, qualified_name)
        publish_outputs(
            self,
            documented=OUTPUTS,
            values=self._output_values(),
            parameter_path=f"/datahub/{context.team}/{params.environment_name}",
        )

    def _database(self, qualified_name: str) -> glue.CfnDatabase:
        bucket_name = self.storage.bucket.bucket_name
        return glue.CfnDatabase(
            self,
            "Database",
            catalog_id=self.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=self.database_name,
                description=f"Tables of data environment {qualified_name}",
                location_uri=f"s3://{bucket_name}/{TABLES_PREFIX}",
            ),
        )

    def _workgroup(self, params: Params, context: DeployContext) -> athena.CfnWorkGroup:
        results = athena.CfnWorkGroup.ResultConfigurationProperty(
            output_location=f"s3://{self.storage.bucket.bucket_name}/{QUERY_RESULTS_PREFIX}",
            expected_bucket_owner=context.account,
            encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                encryption_option="SSE_KMS", kms_key=self.storage.key.key_arn
            ),
        )
        return athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=self.workgroup_name,
            description=f"Queries of data environment {context.team}-{params.environment_name}",
            state="ENABLED",
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=params.query_scan_limit_gb * GIGABYTE,
                result_configuration=results,
            ),
        )

    def _team_role(self, params: Params, qualified_name: str) -> iam.Role:
        bucket = self.storage.bucket
        statements = [
            allow.bucket_listing(bucket),
            allow.object_reading(bucket),
            allow.object_writing(bucket, delete=True),
            allow.key_use(self.storage.key, write=True),
            allow.catalog_access(self, self.database_name, write=True),
            allow.workgroup_queries(self, self.workgroup_name),
        ]
        role = iam.Role(
            self,
            "TeamRole",
            assumed_by=allow.trusted_principals([params.trusted_principal_arn]),
            description=f"Team access to data environment {qualified_name}",
            max_session_duration=cdk.Duration.hours(1),
            inline_policies={"data-environment": iam.PolicyDocument(statements=statements)},
        )
        acknowledge_wildcard_resource(
            role,
            bucket.arn_for_objects("*"),
            "The team owns every object in its environment's bucket; object-level actions "
            "need an object ARN pattern, and this one names only that bucket.",
        )
        acknowledge_wildcard_resource(
            role,
            allow.catalog_table_arn(self, self.database_name),
            "The team defines its own tables; the pattern covers only the tables of the "
            "environment's Glue database.",
        )
        return role

    def _output_values(self) -> dict[str, str]:
        return {
            "BucketName": self.storage.bucket.bucket_name,
            "KmsKeyArn": self.storage.key.key_arn,
            "TeamRoleArn": self.team_role.role_arn,
            "GlueDatabaseName": self.database.ref,
            "AthenaWorkGroupName": self.workgroup.ref,
            "AccessLogBucketName": self.storage.access_log_bucket.bucket_name,
        }


def _lifecycle(params: Params) -> Lifecycle:
    return Lifecycle(
        noncurrent_version_expiry_days=params.noncurrent_version_expiry_days,
        incomplete_upload_expiry_days=params.incomplete_upload_expiry_days,
        infrequent_access_after_days=params.infrequent_access_after_days,
        prefix_expiry_days={QUERY_RESULTS_PREFIX: params.query_results_expiry_days},
    )
