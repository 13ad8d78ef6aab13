"""Search: an OpenSearch domain in the VPC, encrypted under the platform's key, HTTPS only."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_opensearchservice as opensearch
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import PlatformStack, retained_log_group
from datahub_platform.stacks.network import NetworkStack, fixed_group
from stack_catalog.constructs.acknowledgements import acknowledge
from stack_catalog.constructs.encryption import customer_managed_key


class SearchStack(PlatformStack):
    """The index of stacks and datasets that teams search."""

    def __init__(
        self, scope: Construct, stack_id: str, *, config: PlatformConfig, network: NetworkStack
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="OpenSearch")
        sizing = config.sizing
        self.key = customer_managed_key(
            self,
            "Key",
            alias=f"alias/{config.prefix}/search",
            purpose="OpenSearch data at rest and its admin credentials",
            outlives_stack=True,
        )
        logs_by_kind = {
            kind: retained_log_group(self, f"{kind}Logs", days=sizing.log_retention_days)
            for kind in ("App", "SlowSearch", "SlowIndex", "Audit")
        }
        dedicated_masters = sizing.search_master_nodes > 0
        # Fine-grained access control's master user is an IAM role: the index set-up assumes
        # it to create the indexes and map the service's task roles to OpenSearch roles.
        self.admin_role = iam.Role(
            self,
            "AdminRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="OpenSearch master user; assumable only where an IAM policy grants it",
        )
        self.domain_name = f"{config.prefix}-search"
        self.domain = opensearch.Domain(
            self,
            "Domain",
            domain_name=self.domain_name,
            version=opensearch.EngineVersion.OPENSEARCH_2_19,
            vpc=network.vpc,
            # One isolated subnet per zone: zone awareness places replicas across them.
            vpc_subnets=[
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, one_per_az=True)
            ],
            security_groups=[fixed_group(self, network.security_groups.search)],
            capacity=opensearch.CapacityConfig(
                data_nodes=sizing.search_data_nodes,
                data_node_instance_type=sizing.search_instance_type,
                master_nodes=sizing.search_master_nodes if dedicated_masters else None,
                master_node_instance_type=(
                    sizing.search_master_instance_type if dedicated_masters else None
                ),
                multi_az_with_standby_enabled=False,
            ),
            zone_awareness=opensearch.ZoneAwarenessConfig(
                enabled=True, availability_zone_count=sizing.availability_zones
            ),
            ebs=opensearch.EbsOptions(
                volume_size=sizing.search_volume_gib, volume_type=ec2.EbsDeviceVolumeType.GP3
            ),
            encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True, kms_key=self.key),
            node_to_node_encryption=True,
            enforce_https=True,
            tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2,
            fine_grained_access_control=opensearch.AdvancedSecurityOptions(
                master_user_arn=self.admin_role.role_arn
            ),
            logging=opensearch.LoggingOptions(
                app_log_enabled=True,
                app_log_group=logs_by_kind["App"],
                slow_search_log_enabled=True,
                slow_search_log_group=logs_by_kind["SlowSearch"],
                slow_index_log_enabled=True,
                slow_index_log_group=logs_by_kind["SlowIndex"],
                audit_log_enabled=True,
                audit_log_group=logs_by_kind["Audit"],
            ),
            # The CDK's own policy writer is a custom resource Lambda outside the VPC; the
            # policy below is written by CloudFormation instead.
            suppress_logs_resource_policy=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self._allow_log_delivery(list(logs_by_kind.values()))
        self._allow_account_principals()
        acknowledge(
            self.domain,
            "AwsSolutions-OS3",
            "The domain has no public endpoint: it lives in isolated subnets behind a security "
            "group that admits only the service, its workers and the index set-up; requests must "
            "be SigV4-signed by this account's principals and pass fine-grained access control.",
        )
        if not dedicated_masters:
            acknowledge(
                self.domain,
                "AwsSolutions-OS4",
                "This installation's sizing sets search_master_nodes to 0: a small domain whose "
                "data nodes elect the cluster manager; production sizing uses three dedicated "
                "cluster manager nodes.",
            )

    @property
    def domain_paths_arn(self) -> str:
        """Every path of the domain's HTTP API, for IAM statements (by name, not by attribute)."""
        return self.format_arn(
            service="es", resource="domain", resource_name=f"{self.domain_name}/*"
        )

    def _allow_log_delivery(self, groups: list[logs.LogGroup]) -> None:
        logs.CfnResourcePolicy(
            self,
            "LogDeliveryPolicy",
            policy_name=f"{self.config.prefix}-opensearch-logs",
            policy_document=cdk.Stack.of(self).to_json_string(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "es.amazonaws.com"},
                            "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                            "Resource": [group.log_group_arn for group in groups],
                            "Condition": {"StringEquals": {"aws:SourceAccount": self.account}},
                        }
                    ],
                }
            ),
        )

    def _allow_account_principals(self) -> None:
        # Fine-grained access control decides per role; the domain policy admits only requests
        # signed by this account's principals. Written on the resource itself (by name: its
        # own Arn attribute would be a circular reference), not by CDK's custom resource.
        domain_arn = self.domain_paths_arn
        cfn_domain = self.domain.node.default_child
        assert isinstance(cfn_domain, opensearch.CfnDomain)
        cfn_domain.access_policies = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    actions=["es:ESHttp*"],
                    principals=[iam.AccountRootPrincipal()],
                    resources=[domain_arn],
                )
            ]
        ).to_json()
