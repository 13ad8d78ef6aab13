"""Data: Aurora Serverless v2 PostgreSQL under the platform's key, credentials rotated."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.network import (
    COMPUTE_SUBNETS,
    DATA_SUBNETS,
    NetworkStack,
    fixed_group,
)
from stack_catalog.constructs.acknowledgements import acknowledge
from stack_catalog.constructs.encryption import customer_managed_key

DATABASE_NAME = "datahub"
DATABASE_USER = "datahub"
ROTATION_DAYS = 30


class DataStack(PlatformStack):
    """The system of record's database."""

    def __init__(
        self, scope: Construct, stack_id: str, *, config: PlatformConfig, network: NetworkStack
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="Aurora PostgreSQL")
        sizing = config.sizing
        self.key = customer_managed_key(
            self,
            "Key",
            alias=f"alias/{config.prefix}/data",
            purpose="Aurora storage, snapshots and database credentials",
            outlives_stack=True,
        )
        readers = [
            rds.ClusterInstance.serverless_v2(f"Reader{n}", scale_with_writer=True)
            for n in range(1, sizing.aurora_readers + 1)
        ]
        self.cluster = rds.DatabaseCluster(
            self,
            "Cluster",
            engine=rds.DatabaseClusterEngine.aurora_postgres(
                version=rds.AuroraPostgresEngineVersion.of(
                    sizing.aurora_engine_version, sizing.aurora_engine_version.split(".")[0]
                )
            ),
            writer=rds.ClusterInstance.serverless_v2("Writer"),
            readers=readers,
            serverless_v2_min_capacity=sizing.aurora_min_capacity,
            serverless_v2_max_capacity=sizing.aurora_max_capacity,
            default_database_name=DATABASE_NAME,
            credentials=rds.Credentials.from_generated_secret(
                DATABASE_USER, encryption_key=self.key
            ),
            vpc=network.vpc,
            vpc_subnets=DATA_SUBNETS,
            security_groups=[fixed_group(self, network.security_groups.database)],
            storage_encrypted=True,
            storage_encryption_key=self.key,
            iam_authentication=True,
            deletion_protection=True,
            backup=rds.BackupProps(
                retention=cdk.Duration.days(sizing.backup_retention_days),
                preferred_window="02:00-03:00",
            ),
            preferred_maintenance_window="sun:03:30-sun:04:30",
            cloudwatch_logs_exports=["postgresql"],
            copy_tags_to_snapshot=True,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT,
        )
        acknowledge(
            self.cluster,
            "AwsSolutions-RDS11",
            "PostgreSQL listens on its standard port 5432 as the platform's clients expect; the "
            "cluster sits in isolated subnets and its security group admits only the service, "
            "its workers, the custom resources and the secret rotation; a non-standard port "
            "would add nothing to that.",
        )
        self.cluster.add_rotation_single_user(
            automatically_after=cdk.Duration.days(ROTATION_DAYS),
            vpc_subnets=COMPUTE_SUBNETS,
            security_group=fixed_group(self, network.security_groups.setup_functions),
        )
        secret = self.cluster.secret
        assert secret is not None
        self.secret: secretsmanager.ISecret = secret
