"""Template bundles: the platform's bucket, named to the web and worker tasks, least privilege."""

from __future__ import annotations

from datahub_platform.stacks.service import SCHEDULER_COMMAND, WEB_COMMAND, WORKER_COMMAND

from cdk_service.bundles.store import KEY_PREFIX
from tests.platform.test_service import containers, policy_statements

BUNDLE_BUCKET = "DATAHUB_BUNDLE_BUCKET"


def bundle_bucket(platform) -> tuple[str, dict]:
    """The bundle bucket's logical id and resource."""
    (found,) = [
        (logical_id, bucket)
        for logical_id, bucket in platform.resources("Service", "AWS::S3::Bucket").items()
        if logical_id.startswith("Bundles")
    ]
    return found


def actions_of(statement: dict) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def test_the_bundle_bucket_is_private_kms_encrypted_versioned_and_tls_only(platform) -> None:
    logical_id, bucket = bundle_bucket(platform)
    properties = bucket["Properties"]
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    default = rule["ServerSideEncryptionByDefault"]
    assert default["SSEAlgorithm"] == "aws:kms"
    (key,) = default["KMSMasterKeyID"]["Fn::GetAtt"][:1]
    keys = platform.resources("Service", "AWS::KMS::Key")
    assert keys[key]["Properties"]["EnableKeyRotation"] is True
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "LoggingConfiguration" in properties, "server access logs"
    assert bucket["DeletionPolicy"] == "Retain", "bundles outlive the stack, as stacks use them"
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in platform.resources("Service", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id}
    ]
    denied = [s for s in policy if s["Effect"] == "Deny"]
    assert {"Bool": {"aws:SecureTransport": "false"}} in [s["Condition"] for s in denied]


def test_web_and_workers_are_told_the_bucket_and_the_scheduler_is_not(platform) -> None:
    logical_id, _ = bundle_bucket(platform)
    found = containers(platform)
    for command in (WEB_COMMAND, WORKER_COMMAND):
        environment = {v["Name"]: v["Value"] for v in found[" ".join(command)]["Environment"]}
        assert environment[BUNDLE_BUCKET] == {"Ref": logical_id}
    scheduler = found[" ".join(SCHEDULER_COMMAND)]["Environment"]
    assert BUNDLE_BUCKET not in {v["Name"] for v in scheduler}, "beat loads no bundle"


def bundle_grants(platform, role_prefix: str) -> tuple[set[str], set[str]]:
    """The S3 actions a role has on the bucket's bundle keys and the KMS actions on its key."""
    logical_id, bucket = bundle_bucket(platform)
    key = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    s3_actions: set[str] = set()
    kms_actions: set[str] = set()
    for statement in policy_statements(platform, role_prefix):
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        for resource in resources:
            if logical_id in str(resource):
                assert resource == {
                    "Fn::Join": ["", [{"Fn::GetAtt": [logical_id, "Arn"]}, f"/{KEY_PREFIX}*"]]
                }, "only the bundle keys, never the whole bucket"
                s3_actions |= actions_of(statement)
            if key in str(resource):
                assert resource == {"Fn::GetAtt": [key, "Arn"]}
                kms_actions |= actions_of(statement)
    return s3_actions, kms_actions


def test_the_web_tasks_write_and_read_bundles_and_the_workers_only_read_them(platform) -> None:
    # The web task stores uploads and synthesizes them; removal deletes only the catalog rows.
    assert bundle_grants(platform, "WebTaskTaskRole") == (
        {"s3:PutObject", "s3:GetObject"},
        {"kms:GenerateDataKey", "kms:Decrypt"},
    )
    assert bundle_grants(platform, "WorkersTaskTaskRole") == ({"s3:GetObject"}, {"kms:Decrypt"})
    assert bundle_grants(platform, "SchedulerTaskTaskRole") == (set(), set())


def test_the_platform_grants_the_prefix_the_service_stores_bundles_under() -> None:
    from datahub_platform.stacks.service import BUNDLE_KEY_PREFIX

    assert BUNDLE_KEY_PREFIX == KEY_PREFIX
