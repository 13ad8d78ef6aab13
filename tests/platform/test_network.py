"""Network: own VPC over two zones, compute in private subnets, NAT, endpoints, flow logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from datahub_platform.app import STACK_ORDER

from tests.platform.references import mentioned

# Where each kind of resource says which subnets it runs in.
PLACEMENT = {
    "AWS::Lambda::Function": lambda p: p.get("VpcConfig", {}).get("SubnetIds"),
    "AWS::ECS::Service": lambda p: p["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": lambda p: p["Subnets"],
    "AWS::RDS::DBSubnetGroup": lambda p: p["SubnetIds"],
    "AWS::OpenSearchService::Domain": lambda p: p["VPCOptions"]["SubnetIds"],
    "AWS::EC2::VPCEndpoint": lambda p: p.get("SubnetIds"),
    "AWS::Serverless::Application": lambda p: p["Parameters"].get("vpcSubnetIds"),
}


def subnets_by_kind(platform) -> dict[str, set[str]]:
    subnets = platform.resources("Network", "AWS::EC2::Subnet")
    kinds: dict[str, set[str]] = {"public": set(), "compute": set(), "data": set()}
    for logical_id, subnet in subnets.items():
        kind = next(
            tag["Value"]
            for tag in subnet["Properties"]["Tags"]
            if tag["Key"] == "aws-cdk:subnet-name"
        )
        kinds[kind].add(logical_id)
    return kinds


def placements(platform) -> Iterator[tuple[str, str, Any]]:
    for stack_id in STACK_ORDER:
        for logical_id, resource in platform.template_json(stack_id)["Resources"].items():
            where = PLACEMENT.get(resource["Type"])
            gateway = resource["Properties"].get("VpcEndpointType") == "Gateway"
            if where is not None and not gateway:
                yield f"{stack_id}/{logical_id}", resource["Type"], where(resource["Properties"])


def test_the_vpc_spans_two_zones_with_public_compute_and_data_subnets(platform) -> None:
    kinds = subnets_by_kind(platform)
    assert {kind: len(ids) for kind, ids in kinds.items()} == {"public": 2, "compute": 2, "data": 2}
    subnets = platform.resources("Network", "AWS::EC2::Subnet")
    zones = {str(subnet["Properties"]["AvailabilityZone"]) for subnet in subnets.values()}
    assert len(zones) == 2
    assert all("Fn::GetAZs" in zone for zone in zones), (
        "zones come from the account, not placeholders"
    )


def test_nothing_runs_in_a_public_subnet(platform) -> None:
    public = subnets_by_kind(platform)["public"]
    placed = list(placements(platform))
    assert {kind for _, kind, _ in placed} >= {
        "AWS::Lambda::Function",
        "AWS::ECS::Service",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::RDS::DBSubnetGroup",
        "AWS::OpenSearchService::Domain",
    }
    for where, _, subnets in placed:
        assert subnets, f"{where} is not placed in the VPC"
        assert not mentioned(subnets, public), f"{where} runs in a public subnet"


def test_data_stores_sit_in_isolated_subnets_and_compute_in_private_ones(platform) -> None:
    kinds = subnets_by_kind(platform)
    for where, kind, subnets in placements(platform):
        expected = (
            kinds["data"]
            if kind in ("AWS::RDS::DBSubnetGroup", "AWS::OpenSearchService::Domain")
            else kinds["compute"]
        )
        assert mentioned(subnets, expected), where
        assert not mentioned(subnets, (kinds["data"] | kinds["compute"]) - expected), where


def test_public_ips_are_never_assigned_to_tasks(platform) -> None:
    for service in platform.resources("Service", "AWS::ECS::Service").values():
        config = service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
        assert config["AssignPublicIp"] == "DISABLED"


def test_private_subnets_reach_out_through_nat_gateways(platform) -> None:
    kinds = subnets_by_kind(platform)
    nat_gateways = platform.resources("Network", "AWS::EC2::NatGateway")
    assert len(nat_gateways) == platform.config.sizing.nat_gateways
    assert all(
        mentioned(nat["Properties"]["SubnetId"], kinds["public"]) for nat in nat_gateways.values()
    )
    routes = platform.resources("Network", "AWS::EC2::Route")
    compute_routes = [route for logical_id, route in routes.items() if "compute" in logical_id]
    assert len(compute_routes) == 2
    assert all(
        mentioned(route["Properties"]["NatGatewayId"], nat_gateways) for route in compute_routes
    )
    data_routes = [route for logical_id, route in routes.items() if "data" in logical_id]
    assert data_routes == [], "isolated subnets have no route out"


def test_vpc_endpoints_for_s3_and_the_services_lambdas_call_most(platform) -> None:
    endpoints = platform.resources("Network", "AWS::EC2::VPCEndpoint").values()
    names = " ".join(str(endpoint["Properties"]["ServiceName"]) for endpoint in endpoints)
    for service in ("s3", "secretsmanager", "sqs", "kms", "sts", "logs", "ecr.api", "ecr.dkr"):
        assert f".{service}" in names, service
    gateway = [e for e in endpoints if e["Properties"].get("VpcEndpointType") == "Gateway"]
    assert len(gateway) == 1 and "s3" in str(gateway[0]["Properties"]["ServiceName"])
    interface = [e for e in endpoints if e["Properties"].get("VpcEndpointType") == "Interface"]
    assert all(e["Properties"]["PrivateDnsEnabled"] for e in interface)


def test_vpc_flow_logs_record_all_traffic(platform) -> None:
    flow_logs = platform.resources("Network", "AWS::EC2::FlowLog")
    assert len(flow_logs) == 1
    props = next(iter(flow_logs.values()))["Properties"]
    assert props["ResourceType"] == "VPC"
    assert props["TrafficType"] == "ALL"
    assert props["LogDestinationType"] == "cloud-watch-logs"
    assert mentioned(props["LogGroupName"], platform.resources("Network", "AWS::Logs::LogGroup"))
