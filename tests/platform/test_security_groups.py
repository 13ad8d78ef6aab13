"""Security groups: only the paths the platform uses, all declared in the Network stack."""

from __future__ import annotations

from datahub_platform.app import STACK_ORDER
from datahub_platform.stacks.network import (
    HTTPS_PORT,
    LOAD_BALANCER_PORT,
    POSTGRES_PORT,
    SERVICE_PORT,
)

ROLES = (
    "ApiFunctions",
    "SetupFunctions",
    "Service",
    "Workers",
    "LoadBalancer",
    "Database",
    "Search",
    "Endpoints",
)


def role_of(platform, logical_id: str) -> str:
    groups = platform.resources("Network", "AWS::EC2::SecurityGroup")
    assert logical_id in groups, logical_id
    return next(role for role in ROLES if logical_id.startswith(f"SecurityGroups{role}"))


def ingress_paths(platform) -> set[tuple[str, str, int]]:
    """(from role, to role, port) for every ingress rule in the Network stack."""
    paths = set()
    rules = platform.resources("Network", "AWS::EC2::SecurityGroupIngress")
    for rule in rules.values():
        props = rule["Properties"]
        assert props["FromPort"] == props["ToPort"], "single ports only"
        source = role_of(platform, props["SourceSecurityGroupId"]["Fn::GetAtt"][0])
        target = role_of(platform, props["GroupId"]["Fn::GetAtt"][0])
        paths.add((source, target, props["FromPort"]))
    return paths


def test_each_path_is_one_the_platform_needs(platform) -> None:
    expected = {
        ("ApiFunctions", "LoadBalancer", LOAD_BALANCER_PORT),
        ("SetupFunctions", "LoadBalancer", LOAD_BALANCER_PORT),
        ("LoadBalancer", "Service", SERVICE_PORT),
        *{
            (client, "Database", POSTGRES_PORT)
            for client in ("Service", "Workers", "SetupFunctions")
        },
        *{(client, "Search", HTTPS_PORT) for client in ("Service", "Workers", "SetupFunctions")},
        *{
            (caller, "Endpoints", HTTPS_PORT)
            for caller in ("ApiFunctions", "SetupFunctions", "Service", "Workers")
        },
    }
    assert ingress_paths(platform) == expected


def test_aurora_admits_postgres_only_from_the_service_workers_and_setup(platform) -> None:
    into_database = {(s, p) for s, t, p in ingress_paths(platform) if t == "Database"}
    assert into_database == {
        ("Service", 5432),
        ("Workers", 5432),
        ("SetupFunctions", 5432),
    }


def test_the_load_balancer_is_reached_only_from_the_lambdas(platform) -> None:
    into_balancer = {s for s, t, _ in ingress_paths(platform) if t == "LoadBalancer"}
    assert into_balancer == {"ApiFunctions", "SetupFunctions"}


def test_no_group_admits_the_internet(platform) -> None:
    for group in platform.resources("Network", "AWS::EC2::SecurityGroup").values():
        for rule in group["Properties"].get("SecurityGroupIngress", []):
            assert rule.get("CidrIp") != "0.0.0.0/0"
            assert rule.get("CidrIpv6") != "::/0"
        assert not group["Properties"].get("SecurityGroupIngress"), "ingress only by group"


def test_data_stores_and_the_balancer_open_no_outbound_path(platform) -> None:
    groups = platform.resources("Network", "AWS::EC2::SecurityGroup")
    for logical_id, group in groups.items():
        role = role_of(platform, logical_id)
        egress = group["Properties"].get("SecurityGroupEgress", [])
        if role in ("Database", "Search", "Endpoints"):
            # CDK's marker rule for "no egress": ICMP 252-86 to 255.255.255.255/32.
            assert [rule["CidrIp"] for rule in egress] == ["255.255.255.255/32"]
    balancer_egress = platform.resources("Network", "AWS::EC2::SecurityGroupEgress").values()
    assert [
        (
            rule["Properties"]["DestinationSecurityGroupId"]["Fn::GetAtt"][0],
            rule["Properties"]["FromPort"],
        )
        for rule in balancer_egress
    ] == [(next(i for i in groups if i.startswith("SecurityGroupsService")), SERVICE_PORT)]


def test_other_stacks_add_no_rules_of_their_own(platform) -> None:
    for stack_id in STACK_ORDER:
        if stack_id == "Network":
            continue
        for kind in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            assert platform.resources(stack_id, kind) == {}, (stack_id, kind)
        assert platform.resources(stack_id, "AWS::EC2::SecurityGroup") == {}, stack_id
