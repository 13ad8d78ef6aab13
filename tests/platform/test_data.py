"""Data: Aurora Serverless v2 PostgreSQL under the platform's key, rotated credentials."""

from __future__ import annotations

from aws_cdk import assertions

from tests.platform.references import mentioned


def only(platform, stack_id: str, resource_type: str) -> dict:
    resources = platform.resources(stack_id, resource_type)
    assert len(resources) == 1, (resource_type, list(resources))
    return next(iter(resources.values()))


def test_aurora_serverless_v2_postgresql_encrypted_with_the_platform_key(platform) -> None:
    template = platform.template("Data")
    keys = platform.resources("Data", "AWS::KMS::Key")
    assert len(keys) == 1
    key_id = next(iter(keys))
    template.has_resource_properties(
        "AWS::RDS::DBCluster",
        {
            "Engine": "aurora-postgresql",
            "EngineVersion": platform.config.sizing.aurora_engine_version,
            "StorageEncrypted": True,
            "KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
            "ServerlessV2ScalingConfiguration": {
                "MinCapacity": platform.config.sizing.aurora_min_capacity,
                "MaxCapacity": platform.config.sizing.aurora_max_capacity,
            },
        },
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    instances = platform.resources("Data", "AWS::RDS::DBInstance").values()
    assert len(instances) == 1 + platform.config.sizing.aurora_readers
    assert {i["Properties"]["DBInstanceClass"] for i in instances} == {"db.serverless"}
    assert not any(i["Properties"]["PubliclyAccessible"] for i in instances)


def test_deletion_protection_backups_and_a_final_snapshot(platform) -> None:
    cluster = platform.template_json("Data")["Resources"]
    (logical_id,) = [k for k, v in cluster.items() if v["Type"] == "AWS::RDS::DBCluster"]
    resource = cluster[logical_id]
    assert resource["Properties"]["DeletionProtection"] is True
    assert (
        resource["Properties"]["BackupRetentionPeriod"]
        == platform.config.sizing.backup_retention_days
    )
    assert resource["DeletionPolicy"] == "Snapshot"
    assert resource["Properties"]["EnableCloudwatchLogsExports"] == ["postgresql"]
    key = only(platform, "Data", "AWS::KMS::Key")
    assert key["DeletionPolicy"] == "Retain", "snapshots stay readable after the stack is gone"


def test_credentials_live_in_secrets_manager_under_the_key_and_rotate(platform) -> None:
    secret = only(platform, "Data", "AWS::SecretsManager::Secret")
    key_id = next(iter(platform.resources("Data", "AWS::KMS::Key")))
    assert secret["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    schedule = only(platform, "Data", "AWS::SecretsManager::RotationSchedule")
    assert schedule["Properties"]["RotationRules"]["ScheduleExpression"] == "rate(30 days)"
    rotation = only(platform, "Data", "AWS::Serverless::Application")["Properties"]["Parameters"]
    compute = {
        logical_id
        for logical_id in platform.resources("Network", "AWS::EC2::Subnet")
        if "compute" in logical_id
    }
    assert mentioned(rotation["vpcSubnetIds"], compute) == compute
    assert "SetupFunctions" in str(rotation["vpcSecurityGroupIds"])


def test_the_cluster_uses_the_database_security_group_only(platform) -> None:
    template = platform.template("Data")
    template.has_resource_properties(
        "AWS::RDS::DBCluster",
        {
            "VpcSecurityGroupIds": [
                {"Fn::ImportValue": assertions.Match.string_like_regexp("SecurityGroupsDatabase")}
            ]
        },
    )
