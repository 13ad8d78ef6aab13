"""Search: OpenSearch in the VPC, CMK at rest, node-to-node, HTTPS only, fine-grained, zones."""

from __future__ import annotations

from aws_cdk import assertions


def domain_properties(platform) -> dict:
    domains = platform.resources("Search", "AWS::OpenSearchService::Domain")
    assert len(domains) == 1
    return next(iter(domains.values()))["Properties"]


def test_encrypted_at_rest_with_the_platform_key_and_between_nodes(platform) -> None:
    props = domain_properties(platform)
    key_id = next(iter(platform.resources("Search", "AWS::KMS::Key")))
    assert props["EncryptionAtRestOptions"] == {
        "Enabled": True,
        "KmsKeyId": {"Ref": key_id},
    }
    assert props["NodeToNodeEncryptionOptions"] == {"Enabled": True}


def test_https_only_with_tls_1_2(platform) -> None:
    endpoint = domain_properties(platform)["DomainEndpointOptions"]
    assert endpoint["EnforceHTTPS"] is True
    assert endpoint["TLSSecurityPolicy"] == "Policy-Min-TLS-1-2-2019-07"


def test_fine_grained_access_with_an_iam_master_role_and_no_anonymous_access(platform) -> None:
    props = domain_properties(platform)
    security = props["AdvancedSecurityOptions"]
    assert security["Enabled"] is True
    assert security["InternalUserDatabaseEnabled"] is False
    role_id = next(iter(platform.resources("Search", "AWS::IAM::Role")))
    assert security["MasterUserOptions"] == {"MasterUserARN": {"Fn::GetAtt": [role_id, "Arn"]}}
    (statement,) = props["AccessPolicies"]["Statement"]
    assert statement["Principal"] != "*" and statement["Principal"] != {"AWS": "*"}
    assert ":root" in str(statement["Principal"])


def test_zone_aware_in_the_vpc_with_dedicated_managers(platform) -> None:
    props = domain_properties(platform)
    cluster = props["ClusterConfig"]
    assert cluster["ZoneAwarenessEnabled"] is True
    assert cluster["ZoneAwarenessConfig"] == {"AvailabilityZoneCount": 2}
    assert cluster["InstanceCount"] == platform.config.sizing.search_data_nodes
    assert cluster["DedicatedMasterEnabled"] is True
    assert cluster["DedicatedMasterCount"] == 3
    assert len(props["VPCOptions"]["SubnetIds"]) == 2


def test_logs_go_to_cloudwatch_with_a_policy_written_by_cloudformation(platform) -> None:
    props = domain_properties(platform)
    assert set(props["LogPublishingOptions"]) == {
        "ES_APPLICATION_LOGS",
        "SEARCH_SLOW_LOGS",
        "INDEX_SLOW_LOGS",
        "AUDIT_LOGS",
    }
    template = platform.template("Search")
    template.resource_count_is("AWS::Logs::ResourcePolicy", 1)
    template.resource_count_is("AWS::Lambda::Function", 0)
    template.has_resource_properties(
        "AWS::Logs::ResourcePolicy",
        {"PolicyDocument": assertions.Match.any_value()},
    )


def test_three_zones_and_no_dedicated_managers_still_pass_the_policy_pack(
    platform_config, tmp_path
) -> None:
    # A smaller installation's sizing: OpenSearch spreads over three zones, the data nodes
    # elect the cluster manager (acknowledged, with the reason), and nothing else is flagged.
    import aws_cdk as cdk
    from cdk_nag import AwsSolutionsChecks
    from datahub_platform.config import PlatformConfig
    from datahub_platform.stacks.network import NetworkStack
    from datahub_platform.stacks.search import SearchStack

    sizing = {"availability_zones": 3, "search_data_nodes": 3, "search_master_nodes": 0}
    config = PlatformConfig.from_mapping({**platform_config.model_dump(), "sizing": sizing})
    app = cdk.App(outdir=str(tmp_path))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    network = NetworkStack(app, "Network", config=config)
    search = SearchStack(app, "Search", config=config, network=network)
    app.synth()  # raises ValidationFailed on any unacknowledged finding
    props = assertions.Template.from_stack(search).to_json()["Resources"]
    (domain,) = [r for r in props.values() if r["Type"] == "AWS::OpenSearchService::Domain"]
    cluster = domain["Properties"]["ClusterConfig"]
    assert cluster["ZoneAwarenessConfig"] == {"AvailabilityZoneCount": 3}
    assert cluster["DedicatedMasterEnabled"] is False
    assert len(domain["Properties"]["VPCOptions"]["SubnetIds"]) == 3
