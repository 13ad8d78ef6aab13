"""The service image built in the account: CodeBuild runs the repository's Dockerfile into an
ECR repository of the platform, and the tasks run the image it pushed, by digest."""

from __future__ import annotations

import shutil
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import custom_resources as cr
from constructs import Construct

from datahub_platform.config import REPOSITORY_ROOT
from datahub_platform.stacks.base import retained_log_group
from datahub_platform.stacks.functions import RUNTIME, acknowledge_lambda_basics
from datahub_platform.stacks.network import COMPUTE_SUBNETS
from stack_catalog.constructs.acknowledgements import acknowledge, acknowledge_wildcard_resource

# What the Dockerfile copies (its .dockerignore lets in nothing else), staged in the app's
# output folder: an asset of the whole repository would carry .venv and node_modules.
IMAGE_SOURCES = (
    "Dockerfile",
    ".dockerignore",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "README.md",
    "requirements/service.txt",
    "stack_catalog",
    "cdk_service",
    "api_lambdas",
    "bootstrap",
    "datahubctl",
    "service_contract",
    "platform/datahub_platform",
)
SOURCES_FOLDER = "service-image-sources"
NOT_BUILT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
BUILD_TIMEOUT = cdk.Duration.minutes(60)
BUILD_SPEC = {
    "version": "0.2",
    "phases": {
        "pre_build": {
            "commands": [
                "aws ecr get-login-password | docker login --username AWS --password-stdin "
                "${REPOSITORY_URI%%/*}",
            ]
        },
        "build": {
            "commands": [
                "docker build --pull --tag $REPOSITORY_URI:$IMAGE_TAG .",
                "docker push $REPOSITORY_URI:$IMAGE_TAG",
            ]
        },
    },
}
# The custom resource's two handlers (CDK's provider framework): start the build unless the
# repository has the tag already (tags are immutable and name the sources), then wait for it and
# answer the pushed image's digest.
WAITER_CODE = """
import boto3

def on_event(event, context):
    properties = event["ResourceProperties"]
    tag = properties["Tag"]
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    if _digest(properties) is not None:
        return {"PhysicalResourceId": tag, "Data": {"BuildId": ""}}
    build = boto3.client("codebuild").start_build(
        projectName=properties["Project"],
        environmentVariablesOverride=[{"name": "IMAGE_TAG", "value": tag, "type": "PLAINTEXT"}],
    )
    return {"PhysicalResourceId": tag, "Data": {"BuildId": build["build"]["id"]}}

def is_complete(event, context):
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    properties = event["ResourceProperties"]
    build_id = event.get("Data", {}).get("BuildId")
    if build_id:
        build = boto3.client("codebuild").batch_get_builds(ids=[build_id])["builds"][0]
        if build["buildStatus"] == "IN_PROGRESS":
            return {"IsComplete": False}
        if build["buildStatus"] != "SUCCEEDED":
            raise RuntimeError(f"image build {build_id} {build['buildStatus']}: see its logs")
    digest = _digest(properties)
    if digest is None:
        raise RuntimeError(f"no image tagged {properties['Tag']} after the build")
    return {"IsComplete": True, "Data": {"Digest": digest}}

def _digest(properties):
    ecr = boto3.client("ecr")
    try:
        found = ecr.describe_images(
            repositoryName=properties["Repository"], imageIds=[{"imageTag": properties["Tag"]}]
        )
    except ecr.exceptions.ImageNotFoundException:
        return None
    return found["imageDetails"][0]["imageDigest"]
"""


def staged_image_sources(outdir: Path) -> Path:
    """A folder in ``outdir`` holding the image's build context."""
    folder = outdir / SOURCES_FOLDER
    if folder.exists():
        return folder
    for name in IMAGE_SOURCES:
        source, target = REPOSITORY_ROOT / name, folder / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=NOT_BUILT)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


class ServiceImageBuild(Construct):
    """An ECR repository (scan on push, immutable tags) and the image CodeBuild builds into it
    from this repository's sources; ``image_uri`` names it by digest."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        key: kms.IKey,
        log_days: int,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
    ) -> None:
        super().__init__(scope, construct_id)
        self._in_vpc = {
            "vpc": vpc,
            "vpc_subnets": COMPUTE_SUBNETS,
            "security_groups": [security_group],
        }
        self.repository = ecr.Repository(
            self,
            "Repository",
            repository_name=f"{prefix}/service",
            image_scan_on_push=True,
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            encryption=ecr.RepositoryEncryption.KMS,
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        outdir = Path(cdk.Stage.of(self).outdir)  # type: ignore[union-attr]
        sources = s3_assets.Asset(self, "Sources", path=str(staged_image_sources(outdir)))
        project = codebuild.Project(
            self,
            "Project",
            description="Builds the service image from the repository's Dockerfile",
            source=codebuild.Source.s3(bucket=sources.bucket, path=sources.s3_object_key),
            build_spec=codebuild.BuildSpec.from_object(BUILD_SPEC),
            environment=codebuild.BuildEnvironment(
                build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
                compute_type=codebuild.ComputeType.MEDIUM,
                privileged=True,
                environment_variables={
                    "REPOSITORY_URI": codebuild.BuildEnvironmentVariable(
                        value=self.repository.repository_uri
                    ),
                    "IMAGE_TAG": codebuild.BuildEnvironmentVariable(value=sources.asset_hash),
                },
            ),
            encryption_key=key,
            timeout=BUILD_TIMEOUT,
            logging=codebuild.LoggingOptions(
                cloud_watch=codebuild.CloudWatchLoggingOptions(
                    log_group=retained_log_group(self, "BuildLogs", days=log_days)
                )
            ),
        )
        self.repository.grant_pull_push(project)
        acknowledge(
            project,
            "AwsSolutions-CB3",
            "docker build needs CodeBuild's privileged mode; the project builds only this "
            "repository's Dockerfile from the platform's own source asset, nothing a user sends.",
        )
        self._acknowledge_build_role(project, key)
        digest = self._wait_for_image(project, sources.asset_hash)
        self.image_uri = f"{self.repository.repository_uri}@{digest}"

    def _wait_for_image(self, project: codebuild.Project, tag: str) -> str:
        code = lambda_.Code.from_inline(WAITER_CODE)

        def handler(name: str, entry: str) -> lambda_.Function:
            function = lambda_.Function(
                self,
                name,
                runtime=RUNTIME,
                handler=f"index.{entry}",
                code=code,
                timeout=cdk.Duration.minutes(1),
                description="Starts the service image build and waits for its digest",
                **self._in_vpc,  # type: ignore[arg-type]
            )
            self.repository.grant_read(function)
            acknowledge_lambda_basics(function)
            return function

        starter, waiter = handler("StartBuild", "on_event"), handler("WaitForImage", "is_complete")
        starter.add_to_role_policy(
            iam.PolicyStatement(actions=["codebuild:StartBuild"], resources=[project.project_arn])
        )
        waiter.add_to_role_policy(
            iam.PolicyStatement(
                actions=["codebuild:BatchGetBuilds"], resources=[project.project_arn]
            )
        )
        provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=starter,
            is_complete_handler=waiter,
            query_interval=cdk.Duration.seconds(30),
            total_timeout=BUILD_TIMEOUT,
            **self._in_vpc,  # type: ignore[arg-type]
        )
        _acknowledge_provider(provider, [starter, waiter])
        resource = cdk.CustomResource(
            self,
            "Image",
            service_token=provider.service_token,
            resource_type="Custom::ServiceImage",
            properties={
                "Project": project.project_name,
                "Repository": self.repository.repository_name,
                "Tag": tag,
            },
        )
        return resource.get_att_string("Digest")

    def _acknowledge_build_role(self, project: codebuild.Project, key: kms.IKey) -> None:
        acknowledge(
            project,
            "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken has no resource-level permissions; pushes are limited "
            "to the platform's service repository by the statement beside it.",
        )
        for action in ("s3:GetObject*", "s3:GetBucket*", "s3:List*"):
            acknowledge(
                project,
                f"AwsSolutions-IAM5[Action::{action}]",
                "CDK's read grant on the toolkit's asset bucket, for the build's source asset.",
            )
        for action in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                project,
                f"AwsSolutions-IAM5[Action::{action}]",
                "Data keys of the build's own key alone, for its artifacts and logs.",
            )
        stack = cdk.Stack.of(self)
        name = project.project_name
        for resource, what in (
            (f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:"
             f"/aws/codebuild/{name}:*", "its log streams"),
            (f"arn:{stack.partition}:codebuild:{stack.region}:{stack.account}:report-group/"
             f"{name}-*", "its report groups"),
        ):  # fmt: skip
            acknowledge_wildcard_resource(
                project, resource, f"CodeBuild's grant to the project's own {what}."
            )
        del key


def _acknowledge_provider(provider: cr.Provider, handlers: list[lambda_.IFunction]) -> None:
    acknowledge_lambda_basics(provider)
    for handler in handlers:
        acknowledge_wildcard_resource(
            provider,
            f"{handler.function_arn}:*",
            "The framework may invoke only its handlers and their versions (the ':*' suffix), "
            "as the CDK custom resource framework requires.",
        )
    for framework in ("IsComplete", "OnTimeout"):
        function = provider.node.try_find_child(f"framework-{framework[0].lower()}{framework[1:]}")
        if function is not None:
            acknowledge_wildcard_resource(
                provider,
                f"{function.function_arn}:*",  # type: ignore[attr-defined]
                "The waiter state machine invokes only the framework's own functions.",
            )
    acknowledge(
        provider,
        "AwsSolutions-SF1",
        "CDK's provider framework makes the waiter state machine; each attempt is logged by "
        "the framework Lambdas and the build logs to its own log group.",
    )
    acknowledge(
        provider,
        "AwsSolutions-SF2",
        "CDK's provider framework makes the waiter state machine without tracing options; it "
        "only polls one build's status.",
    )
