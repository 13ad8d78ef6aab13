"""Console: the built web console and its ``config.json``, copied into the frontend's bucket.

The copy runs in the home region, inside the VPC, where the Backend API's URL and the user
pool's ids are plain stack references; the bucket (in us-east-1, beside CloudFront) is named
at synth, so it needs no cross-region lookup. CloudFront needs no invalidation: the entry
points (``index.html``, ``config.json``) are sent with ``Cache-Control: no-cache``, which
CloudFront holds for one second, and everything else Vite writes under content-hashed names.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as deployment
from constructs import Construct

from datahub_platform.config import EDGE_REGION, PlatformConfig
from datahub_platform.stacks.backend_api import BackendApiStack
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.frontend import FrontendStack
from datahub_platform.stacks.functions import acknowledge_lambda_basics
from datahub_platform.stacks.network import COMPUTE_SUBNETS, NetworkStack, fixed_group
from stack_catalog.constructs.acknowledgements import acknowledge, acknowledge_wildcard_resource

CONFIG_FILE = "config.json"
ENTRY_POINTS = ("index.html", CONFIG_FILE)
HASHED_FOR_A_YEAR = [
    deployment.CacheControl.set_public(),
    deployment.CacheControl.max_age(cdk.Duration.days(365)),
    deployment.CacheControl.immutable(),
]
PLACEHOLDER_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>DATAHUB</title>"
    "<p>The DATAHUB console was not built when this platform was synthesized: run "
    "<code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code>, then deploy "
    "again.</p></html>"
)


class ConsoleStack(PlatformStack):
    """The console's files and configuration in the frontend bucket, rewritten at each deploy."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        backend: BackendApiStack,
        frontend: FrontendStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="web console files")
        # The bucket is referenced by its name, which makes no dependency by itself.
        self.add_stack_dependency(frontend, "the console's files go into the frontend's bucket")
        bucket = s3.Bucket.from_bucket_attributes(
            self, "Content", bucket_name=frontend.content.bucket_name, region=EDGE_REGION
        )
        copying = {
            "destination_bucket": bucket,
            "vpc": network.vpc,
            "vpc_subnets": COMPUTE_SUBNETS,
            "security_groups": [fixed_group(self, network.security_groups.setup_functions)],
            "memory_limit": 512,
            "prune": False,  # an open tab may still load the chunks of the version before
            "retain_on_delete": True,
        }
        self.built = config.console_built
        entry_points = [console_configuration(config, backend)]
        if self.built:
            files = deployment.BucketDeployment(
                self,
                "Files",
                sources=[deployment.Source.asset(str(config.console_dist))],
                exclude=[*ENTRY_POINTS, "*.map"],  # no source maps in public
                cache_control=HASHED_FOR_A_YEAR,
                **copying,
            )
            entry_points.append(
                deployment.Source.asset(str(config.console_dist), exclude=["*", "!index.html"])
            )
        else:
            cdk.Annotations.of(self).add_warning_v2(
                "datahub:console-not-built",
                f"{config.console_dist} has no index.html: a placeholder page is deployed with "
                "config.json. Build the console (npm run build in frontend/) and deploy again.",
            )
            entry_points.append(deployment.Source.data("index.html", PLACEHOLDER_PAGE))
        self.entry_points = deployment.BucketDeployment(
            self,
            "EntryPoints",
            sources=entry_points,
            cache_control=[deployment.CacheControl.no_cache()],
            **copying,
        )
        if self.built:
            # The new index.html names chunks that must be there first.
            self.entry_points.node.add_dependency(files)
        self._acknowledge_copier(bucket)

    def _acknowledge_copier(self, bucket: s3.IBucket) -> None:
        acknowledge_lambda_basics(self)
        qualifier, account, region = (self.config.toolkit_qualifier, self.account, self.region)
        acknowledge(
            self,
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-{qualifier}-assets-"
            f"{account}-{region}/*]",
            "The copy reads the console's files from the toolkit's asset bucket, where "
            "bootstrap uploaded them under content-addressed keys not known in advance.",
        )
        acknowledge_wildcard_resource(
            self,
            f"{bucket.bucket_arn}/*",
            "The copy writes the console's files, whose hashed names change with every build, "
            "into the console bucket alone.",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Action::s3:GetObject*]",
            "CDK's bucket deployment Lambda reads the console's asset objects from the toolkit "
            "bucket; the wildcard covers GetObject and its version/ACL variants on those objects.",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Action::s3:GetBucket*]",
            "Bucket-level reads (location, versioning) of the toolkit and console buckets only.",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Action::s3:List*]",
            "Listing the console bucket and the toolkit's asset bucket, which the copy needs.",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
            "Overwriting the console's files; the grant is on the console bucket's objects only.",
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Action::s3:Abort*]",
            "Aborting the copy's own multipart uploads into the console bucket.",
        )
        acknowledge(
            self,
            "AwsSolutions-L1",
            "The runtime of CDK's own bucket deployment Lambda is chosen by aws-cdk-lib; it runs "
            "only while CloudFormation deploys this stack.",
        )


def console_configuration(config: PlatformConfig, backend: BackendApiStack) -> deployment.ISource:
    """``config.json`` as ``frontend/src/lib/config.ts`` reads it, filled in at deploy time."""
    return deployment.Source.json_data(
        CONFIG_FILE,
        {
            "graphqlUrl": backend.graphql_url,
            "cognito": {
                "region": config.region,
                "userPoolId": backend.user_pool.user_pool_id,
                "clientId": backend.client.user_pool_client_id,
            },
        },
    )
