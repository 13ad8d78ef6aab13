"""The service deployable for real: its image built in the account, TLS inside the VPC, the web
tasks scaling, the load balancer protected, and every log group under a key of the platform."""

from __future__ import annotations

from datahub_platform.config import PlatformConfig
from datahub_platform.service_tls import CA_CERTIFICATE_VARIABLE
from datahub_platform.stacks.network import LOAD_BALANCER_PORT

from tests.platform.conftest import CONFIG, CONFIGURED_IMAGE
from tests.platform.references import mentioned


def only(platform, stack_id: str, resource_type: str) -> tuple[str, dict]:
    found = platform.resources(stack_id, resource_type)
    assert len(found) == 1, (resource_type, list(found))
    return next(iter(found.items()))


def test_without_an_image_codebuild_builds_one_into_a_scanned_immutable_repository(
    platform,
) -> None:
    assert platform.config.service_image is None
    _, repository = only(platform, "Service", "AWS::ECR::Repository")
    assert repository["Properties"]["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert repository["Properties"]["ImageTagMutability"] == "IMMUTABLE"
    _, project = only(platform, "Service", "AWS::CodeBuild::Project")
    assert project["Properties"]["Environment"]["PrivilegedMode"] is True
    assert project["Properties"]["Source"]["Type"] == "S3"
    _, build = only(platform, "Service", "Custom::ServiceImage")
    assert build["Properties"]["Tag"], "the tag names the sources' content"


def test_a_configured_image_wins() -> None:
    config = PlatformConfig.from_mapping({**CONFIG, "service_image": CONFIGURED_IMAGE})
    assert config.service_image == CONFIGURED_IMAGE


def test_the_internal_load_balancer_speaks_https_alone_and_is_protected(platform) -> None:
    listeners = platform.resources("Service", "AWS::ElasticLoadBalancingV2::Listener").values()
    assert [(lst["Properties"]["Protocol"], lst["Properties"]["Port"]) for lst in listeners] == [
        ("HTTPS", LOAD_BALANCER_PORT)
    ]
    (listener,) = listeners
    assert listener["Properties"]["Certificates"], "a certificate"
    assert listener["Properties"]["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    _, balancer = only(platform, "Service", "AWS::ElasticLoadBalancingV2::LoadBalancer")
    attributes = {a["Key"]: a["Value"] for a in balancer["Properties"]["LoadBalancerAttributes"]}
    assert attributes["deletion_protection.enabled"] == "true"


def test_without_a_certificate_a_private_ca_issues_one_for_a_private_name(platform) -> None:
    assert platform.config.service_certificate is None
    only(platform, "Service", "AWS::ACMPCA::CertificateAuthority")
    _, certificate = only(platform, "Service", "AWS::CertificateManager::Certificate")
    name = f"service.{platform.config.prefix}.internal"
    assert certificate["Properties"]["DomainName"] == name
    _, zone = only(platform, "Service", "AWS::Route53::HostedZone")
    assert zone["Properties"]["Name"] == f"{name}." and zone["Properties"]["VPCs"]


def test_the_lambdas_call_the_service_over_https_with_the_ca_to_verify_it(platform) -> None:
    functions = platform.resources("BackendApi", "AWS::Lambda::Function").values()
    callers = [
        f["Properties"]["Environment"]["Variables"]
        for f in functions
        if "DATAHUB_SERVICE_URL" in f["Properties"].get("Environment", {}).get("Variables", {})
    ]
    assert callers
    for variables in callers:
        assert "https://" in str(variables["DATAHUB_SERVICE_URL"])
        assert variables[CA_CERTIFICATE_VARIABLE], "the private CA's root certificate"


def test_web_tasks_scale_on_cpu_and_on_requests(platform) -> None:
    sizing = platform.config.sizing
    targets = platform.resources("Service", "AWS::ApplicationAutoScaling::ScalableTarget")
    web = [t for t in targets.values() if "Web" in str(t["Properties"]["ResourceId"])]
    assert [(t["Properties"]["MinCapacity"], t["Properties"]["MaxCapacity"]) for t in web] == [
        (sizing.service_tasks, sizing.service_max_tasks)
    ]
    policies = platform.resources("Service", "AWS::ApplicationAutoScaling::ScalingPolicy")
    metrics = {
        p["Properties"]["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ]["PredefinedMetricType"]
        for p in policies.values()
        if "TargetTrackingScalingPolicyConfiguration" in p["Properties"]
    }
    assert metrics == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}


def test_every_log_group_is_encrypted_with_a_key_of_the_platform_logs_may_use(platform) -> None:
    for artifact_id, artifact in platform.manifest()["artifacts"].items():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        groups = platform.resources(artifact_id, "AWS::Logs::LogGroup")
        keys = platform.resources(artifact_id, "AWS::KMS::Key")
        for logical_id, group in groups.items():
            key_id = group["Properties"].get("KmsKeyId")
            assert key_id, f"{artifact_id} {logical_id} has no key"
            (key,) = mentioned(key_id, keys)
            statements = keys[key]["Properties"]["KeyPolicy"]["Statement"]
            assert any("logs." in str(s.get("Principal")) for s in statements), key
