"""Frontend: the web app in a private bucket, served by CloudFront behind an edge web ACL.

CloudFront's web ACLs live in us-east-1, so the firewall stack is there; the frontend stack
is there too, which makes the web ACL a plain same-region reference (no cross-region reader:
that would be a custom resource Lambda outside the VPC).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from datahub_platform.config import EDGE_REGION, PlatformConfig
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.firewall import WebFirewall
from stack_catalog.constructs.acknowledgements import acknowledge

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self' https://*.amazonaws.com; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
SINGLE_PAGE_APP = "/index.html"


class EdgeFirewallStack(PlatformStack):
    """The CLOUDFRONT-scope web ACL in us-east-1: only the allowed address ranges get through."""

    def __init__(self, scope: Construct, stack_id: str, *, config: PlatformConfig) -> None:
        super().__init__(
            scope, stack_id, config=config, description="edge web ACL", region=EDGE_REGION
        )
        self.firewall = WebFirewall(
            self,
            "Firewall",
            config=config,
            waf_scope="CLOUDFRONT",
            name=f"{config.prefix}-frontend",
            allow_list=True,
        )


class FrontendStack(PlatformStack):
    """The React app's bucket and distribution, with security headers on every response."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        edge_firewall: EdgeFirewallStack,
    ) -> None:
        super().__init__(
            scope, stack_id, config=config, description="web frontend", region=EDGE_REGION
        )
        self.logs = self._log_bucket()
        self.content = s3.Bucket(
            self,
            "Content",
            # Named at synth: the Console stack copies into it from the home region.
            bucket_name=cdk.PhysicalName.GENERATE_IF_NEEDED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="content/",
            # Only the console's build output, written again by every deploy; its name is fixed,
            # so a kept bucket would block installing the platform again. `bootstrap destroy`
            # empties it first.
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        domain = config.custom_domain
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"DATAHUB {config.prefix} web app",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.content),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self._security_headers(),
            ),
            # The app routes in the browser: unknown paths load the app, which shows its 404.
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status, response_http_status=200, response_page_path=SINGLE_PAGE_APP
                )
                for status in (403, 404)
            ],
            domain_names=[domain.name] if domain else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", domain.certificate_arn)
                if domain
                else None
            ),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            web_acl_id=edge_firewall.firewall.arn,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix="distribution/",
        )
        self.publish(
            FrontendUrl=f"https://{domain.name if domain else self.distribution.domain_name}",
            FrontendBucketName=self.content.bucket_name,
            DistributionId=self.distribution.distribution_id,
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Access is restricted more narrowly than by country: the edge web ACL admits only "
            "the configured address ranges.",
        )
        if domain is None:
            acknowledge(
                self.distribution,
                "AwsSolutions-CFR4",
                "Without a custom domain the distribution uses CloudFront's default certificate, "
                "whose minimum TLS version CloudFront fixes; configuring custom_domain applies "
                "TLSv1.2_2021. Viewers are redirected to HTTPS either way.",
            )

    def _log_bucket(self) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "Logs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # CloudFront's standard logs are delivered with an ACL grant.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-logs",
                    expiration=cdk.Duration.days(self.config.sizing.log_retention_days),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This bucket is the access log destination; logging its own access would write a "
            "log record for every log record delivered.",
        )
        return bucket

    def _security_headers(self) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=f"{self.config.prefix}-security-headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(730),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CONTENT_SECURITY_POLICY, override=True
                ),
                xss_protection=cloudfront.ResponseHeadersXSSProtection(
                    protection=True, mode_block=True, override=True
                ),
            ),
        )
