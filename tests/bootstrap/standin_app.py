"""A small stand-in for the platform app, with the same contract (``build_app``, ``STACK_ORDER``).

Built only from resources moto's CloudFormation really creates, so the bootstrap can be run
end to end on moto: a bucket and queue, a Lambda from the bootstrap's bundle that needs the
bucket's stack first and answers CORS for the console's origin as the platform's Backend does,
and a topic in the edge region (a second toolkit) beside the console's address (``FrontendUrl``,
CloudFront's example domain: the stand-in has no distribution).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from datahub_platform.config import EDGE_REGION, PlatformConfig
from datahub_platform.stacks.backend_api import console_origin

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs

STACK_ORDER = ("Storage", "Functions", "Edge")
FRONTEND_URL = "https://d111111abcdef8.cloudfront.net"


def _stack(app: cdk.App, stack_id: str, config: PlatformConfig, region: str) -> cdk.Stack:
    stack = cdk.Stack(
        app,
        stack_id,
        stack_name=f"{config.prefix}-{stack_id.lower()}",
        env=cdk.Environment(account=config.account, region=region),
        synthesizer=cdk.DefaultStackSynthesizer(
            qualifier=config.toolkit_qualifier, generate_bootstrap_version_rule=False
        ),
        termination_protection=True,
    )
    cdk.Tags.of(stack).add("datahub:platform", config.prefix)
    return stack


def build_app(config: PlatformConfig, outdir: Path | str | None = None) -> cdk.App:
    """Storage, Functions (needs Storage) and Edge, as the platform app would lay them out."""
    app = cdk.App(outdir=str(outdir) if outdir else None, analytics_reporting=False)
    storage = _stack(app, "Storage", config, config.region)
    bucket = s3.CfnBucket(storage, "Data", bucket_name=f"{config.prefix}-data-{config.account}")
    jobs = sqs.CfnQueue(storage, "Jobs")
    jobs.apply_removal_policy(cdk.RemovalPolicy.RETAIN)  # destroy reports what it keeps
    cdk.CfnOutput(storage, "DataBucketName", value=bucket.ref)

    functions = _stack(app, "Functions", config, config.region)
    s3.CfnBucket(functions, "Logs", bucket_name=f"{config.prefix}-logs-{config.account}")
    role = iam.CfnRole(
        functions,
        "BackendRole",
        assume_role_policy_document={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    )
    code = s3_assets.Asset(functions, "BackendCode", path=str(config.lambda_bundles.backend))
    backend = lambda_.CfnFunction(
        functions,
        "Backend",
        role=role.attr_arn,
        runtime="python3.11",
        handler="api_lambdas.backend.handler.handler",
        code=lambda_.CfnFunction.CodeProperty(
            s3_bucket=code.s3_bucket_name, s3_key=code.s3_object_key
        ),
        # By name, not bucket.ref: moto registers no exports for stacks created through
        # change sets, so a cross-stack reference fails there ("No export named ...").
        environment=lambda_.CfnFunction.EnvironmentProperty(
            variables={
                "DATA_BUCKET": bucket.bucket_name or "",
                "DATAHUB_CORS_ALLOWED_ORIGINS": json.dumps([console_origin(config)]),
            }
        ),
    )
    cdk.CfnOutput(functions, "BackendFunctionName", value=backend.ref)
    functions.add_dependency(storage)

    edge = _stack(app, "Edge", config, EDGE_REGION)
    topic = sns.CfnTopic(edge, "Alarms")
    cdk.CfnOutput(edge, "AlarmTopicArn", value=topic.ref)
    cdk.CfnOutput(edge, "FrontendUrl", value=FRONTEND_URL)
    return app
