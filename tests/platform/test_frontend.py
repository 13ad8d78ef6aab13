"""Frontend: private bucket, CloudFront with origin access control, edge WAF, security headers."""

from __future__ import annotations

from aws_cdk import assertions
from datahub_platform.config import PlatformConfig

from tests.platform.references import mentioned


def distribution(platform) -> dict:
    (found,) = platform.resources("Frontend", "AWS::CloudFront::Distribution").values()
    return found["Properties"]["DistributionConfig"]


def test_the_content_bucket_is_private_and_read_only_through_origin_access_control(
    platform,
) -> None:
    buckets = platform.resources("Frontend", "AWS::S3::Bucket")
    content = {k: b for k, b in buckets.items() if k.startswith("Content")}
    ((content_id, bucket),) = content.items()
    assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (origin,) = distribution(platform)["Origins"]
    assert mentioned(origin["DomainName"], content) == {content_id}
    controls = platform.resources("Frontend", "AWS::CloudFront::OriginAccessControl")
    assert mentioned(origin["OriginAccessControlId"], controls) == set(controls)
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    policies = platform.resources("Frontend", "AWS::S3::BucketPolicy").values()
    grants = [
        statement
        for policy in policies
        if mentioned(policy["Properties"]["Bucket"], content)
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
    ]
    assert len(grants) == 1
    assert grants[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert grants[0]["Action"] == "s3:GetObject"
    assert "AWS:SourceArn" in grants[0]["Condition"]["StringEquals"]


def test_cloudfront_is_behind_the_us_east_1_web_acl(platform) -> None:
    acls = platform.resources("EdgeFirewall", "AWS::WAFv2::WebACL")
    ((acl_id, acl),) = acls.items()
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    assert acl["Properties"]["DefaultAction"] == {"Block": {}}
    assert mentioned(distribution(platform)["WebACLId"], acls) == {acl_id}
    environments = {
        name: artifact.get("environment")
        for name, artifact in platform.manifest()["artifacts"].items()
    }
    assert environments["EdgeFirewall"].endswith("/us-east-1")
    assert environments["Frontend"].endswith("/us-east-1")


def test_every_response_carries_security_headers_over_https(platform) -> None:
    behaviour = distribution(platform)["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    policies = platform.resources("Frontend", "AWS::CloudFront::ResponseHeadersPolicy")
    assert mentioned(behaviour["ResponseHeadersPolicyId"], policies) == set(policies)
    platform.template("Frontend").has_resource_properties(
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": {
                "SecurityHeadersConfig": {
                    "StrictTransportSecurity": assertions.Match.object_like(
                        {"IncludeSubdomains": True, "Override": True}
                    ),
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": assertions.Match.object_like(
                        {"ReferrerPolicy": "strict-origin-when-cross-origin"}
                    ),
                    "ContentSecurityPolicy": assertions.Match.object_like(
                        {
                            "ContentSecurityPolicy": assertions.Match.string_like_regexp(
                                "frame-ancestors 'none'"
                            )
                        }
                    ),
                    "XSSProtection": assertions.Match.any_value(),
                }
            }
        },
    )


def test_distribution_access_is_logged(platform) -> None:
    logging = distribution(platform)["Logging"]
    buckets = platform.resources("Frontend", "AWS::S3::Bucket")
    logs = {k for k in buckets if k.startswith("Logs")}
    assert mentioned(logging["Bucket"], logs) == logs


def test_a_custom_domain_is_served_with_its_certificate_and_tls_1_2(
    platform_config, tmp_path
) -> None:
    import aws_cdk as cdk
    from datahub_platform.stacks.frontend import EdgeFirewallStack, FrontendStack

    certificate = "arn:aws:acm:us-east-1:111122223333:certificate/0000"
    domain = {"name": "datahub.example.com", "certificate_arn": certificate}
    config = PlatformConfig.from_mapping({**platform_config.model_dump(), "custom_domain": domain})
    app = cdk.App(outdir=str(tmp_path))
    edge = EdgeFirewallStack(app, "EdgeFirewall", config=config)
    frontend = FrontendStack(app, "Frontend", config=config, edge_firewall=edge)
    template = assertions.Template.from_stack(frontend)
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": assertions.Match.object_like(
                {
                    "Aliases": ["datahub.example.com"],
                    "ViewerCertificate": {
                        "AcmCertificateArn": certificate,
                        "MinimumProtocolVersion": "TLSv1.2_2021",
                        "SslSupportMethod": "sni-only",
                    },
                }
            )
        },
    )
    template.has_output("FrontendUrl", {"Value": "https://datahub.example.com"})
