"""Network: the platform's own VPC, its endpoints, flow logs, and every security group path."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import PlatformStack, retained_log_group

POSTGRES_PORT = 5432
HTTPS_PORT = 443
SERVICE_PORT = 8080
# The internal load balancer speaks HTTPS alone: no listener, and no rule, for plain HTTP.
LOAD_BALANCER_PORT = 443

# The services the Lambdas and tasks call most, reached without leaving the VPC.
INTERFACE_ENDPOINTS = {
    "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "Sqs": ec2.InterfaceVpcEndpointAwsService.SQS,
    "Kms": ec2.InterfaceVpcEndpointAwsService.KMS,
    "Sts": ec2.InterfaceVpcEndpointAwsService.STS,
    "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    "EcrApi": ec2.InterfaceVpcEndpointAwsService.ECR,
    "EcrDocker": ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
}

# Subnet groups: compute in PRIVATE (egress through NAT), data stores in ISOLATED (no route out).
COMPUTE_SUBNETS = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
DATA_SUBNETS = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)


def fixed_group(scope: Construct, group: ec2.SecurityGroup) -> ec2.ISecurityGroup:
    """``group`` as another stack uses it: its rules are the Network stack's alone.

    Constructs that connect to each other (a cluster and its rotation, a listener and its
    targets) would add rules of their own, from their stack, wider than the paths set here.
    """
    stack = cdk.Stack.of(scope)
    construct_id = f"{group.node.id}Group"
    existing = stack.node.try_find_child(construct_id)
    if existing is not None:
        return existing  # type: ignore[return-value]
    return ec2.SecurityGroup.from_security_group_id(
        stack,
        construct_id,
        group.security_group_id,
        mutable=False,
        allow_all_outbound=group.allow_all_outbound,
    )


class SecurityGroups(Construct):
    """One security group per role, and only the paths between them that the platform uses."""

    def __init__(self, scope: Construct, construct_id: str, *, vpc: ec2.IVpc) -> None:
        super().__init__(scope, construct_id)

        def group(name: str, purpose: str, *, egress: bool) -> ec2.SecurityGroup:
            return ec2.SecurityGroup(
                self, name, vpc=vpc, description=purpose, allow_all_outbound=egress
            )

        self.api_functions = group(
            "ApiFunctions", "Backend, Metadata, Authorizer, AWS Worker Lambdas", egress=True
        )
        self.setup_functions = group(
            "SetupFunctions",
            "Custom resources (migrations, search index, first admin) and secret rotation",
            egress=True,
        )
        self.service = group("Service", "cdk_service web tasks", egress=True)
        self.workers = group("Workers", "cdk_service worker tasks", egress=True)
        self.load_balancer = group(
            "LoadBalancer", "Internal load balancer of the service", egress=False
        )
        self.database = group("Database", "Aurora PostgreSQL", egress=False)
        self.search = group("Search", "OpenSearch domain", egress=False)
        self.endpoints = group("Endpoints", "Interface endpoints of AWS services", egress=False)

        for caller in (self.api_functions, self.setup_functions):
            self.load_balancer.add_ingress_rule(
                caller, ec2.Port.tcp(LOAD_BALANCER_PORT), "Lambdas call the service"
            )
        self.load_balancer.add_egress_rule(
            self.service, ec2.Port.tcp(SERVICE_PORT), "Forward to the web tasks"
        )
        self.service.add_ingress_rule(
            self.load_balancer, ec2.Port.tcp(SERVICE_PORT), "From the load balancer"
        )
        for caller in (self.api_functions, self.setup_functions, self.service, self.workers):
            self.endpoints.add_ingress_rule(
                caller, ec2.Port.tcp(HTTPS_PORT), "AWS APIs through interface endpoints"
            )
        for client in (self.service, self.workers, self.setup_functions):
            self.database.add_ingress_rule(
                client, ec2.Port.tcp(POSTGRES_PORT), "PostgreSQL clients"
            )
            self.search.add_ingress_rule(client, ec2.Port.tcp(HTTPS_PORT), "OpenSearch clients")


class NetworkStack(PlatformStack):
    """A VPC over at least two zones: public subnets hold only the NAT gateways."""

    def __init__(self, scope: Construct, stack_id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, stack_id, config=config, description="network")
        sizing = config.sizing
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr("10.40.0.0/16"),
            max_azs=sizing.availability_zones,
            nat_gateways=sizing.nat_gateways,
            # True would add a custom resource Lambda outside the VPC; nothing uses the
            # default group, and every resource here names its own.
            restrict_default_security_group=False,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="compute", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20
                ),
                ec2.SubnetConfiguration(
                    name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
            },
        )
        self._flow_logs(config.sizing.log_retention_days)
        self.security_groups = SecurityGroups(self, "SecurityGroups", vpc=self.vpc)
        for name, service in INTERFACE_ENDPOINTS.items():
            self.vpc.add_interface_endpoint(
                name,
                service=service,
                subnets=COMPUTE_SUBNETS,
                security_groups=[self.security_groups.endpoints],
                open=False,
            )

    @property
    def availability_zones(self) -> list[str]:
        """The account's first zones in the region, resolved by CloudFormation at deploy time.

        Overridden so that synthesis needs no context lookup (no AWS credentials), and the
        zones are the account's real ones rather than the CDK's placeholders.
        """
        zones = cdk.Fn.get_azs()
        return [
            cdk.Fn.select(index, zones) for index in range(self.config.sizing.availability_zones)
        ]

    def _flow_logs(self, retention_days: int) -> None:
        log_group = retained_log_group(self, "FlowLogs", days=retention_days)
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(log_group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )
