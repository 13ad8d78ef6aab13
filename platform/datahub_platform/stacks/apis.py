"""What both GraphQL APIs share: a logged, traced REST API stage with a GraphQL route."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_wafv2 as waf
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import retained_log_group
from datahub_platform.stacks.firewall import WebFirewall
from stack_catalog.constructs.acknowledgements import acknowledge

GRAPHQL_PATH = "graphql"
API_GATEWAY_LOGS_POLICY = "AmazonAPIGatewayPushToCloudWatchLogs"
# Deployed GraphQL Lambdas do not describe their schema to strangers.
PRODUCTION_GRAPHQL = {"DATAHUB_GRAPHQL_INTROSPECTION": "false"}
STAGE = "v1"


def graphql_api(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    description: str,
    method_options: apigateway.MethodOptions,
    cors: apigateway.CorsOptions | None = None,
) -> apigateway.RestApi:
    """A regional REST API whose stage logs every access and execution, traced by X-Ray."""
    access_logs = retained_log_group(
        scope, f"{construct_id}AccessLogs", days=config.sizing.log_retention_days
    )
    return apigateway.RestApi(
        scope,
        construct_id,
        rest_api_name=f"{config.prefix}-{construct_id.lower()}",
        description=description,
        endpoint_types=[apigateway.EndpointType.REGIONAL],
        cloud_watch_role=False,
        deploy_options=apigateway.StageOptions(
            stage_name=STAGE,
            access_log_destination=apigateway.LogGroupLogDestination(access_logs),
            access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                caller=True,
                http_method=True,
                ip=True,
                protocol=True,
                request_time=True,
                resource_path=True,
                response_length=True,
                status=True,
                user=True,
            ),
            logging_level=apigateway.MethodLoggingLevel.ERROR,
            data_trace_enabled=False,
            metrics_enabled=True,
            tracing_enabled=True,
            throttling_rate_limit=config.sizing.api_requests_per_second,
            throttling_burst_limit=config.sizing.api_burst,
        ),
        default_method_options=method_options,
        default_cors_preflight_options=cors,
        disable_execute_api_endpoint=False,
    )


def api_gateway_logging(scope: Construct) -> apigateway.CfnAccount:
    """The region's API Gateway account setting: the role that stages write their logs with.

    Stages that log fail to deploy without it. It is one per account and region, so one
    stack owns it and the other API's stack deploys after that one.
    """
    role = iam.Role(
        scope,
        "ApiGatewayLogsRole",
        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name(
                f"service-role/{API_GATEWAY_LOGS_POLICY}"
            )
        ],
    )
    acknowledge(
        role,
        f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        f"{API_GATEWAY_LOGS_POLICY}]",
        "AWS's documented policy for API Gateway's account-level logging role: it only creates "
        "and writes API Gateway's own log groups and streams.",
    )
    return apigateway.CfnAccount(scope, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)


def add_graphql_route(api: apigateway.RestApi, function: lambda_.IFunction) -> None:
    """``POST /graphql`` (and ``GET`` for persisted queries) served by ``function``."""
    validator = api.add_request_validator(
        "BodyValidator", validate_request_body=True, validate_request_parameters=True
    )
    resource = api.root.add_resource(GRAPHQL_PATH)
    integration = apigateway.LambdaIntegration(function)
    for method in ("GET", "POST"):
        resource.add_method(method, integration, request_validator=validator)


def protect(api: apigateway.RestApi, *, config: PlatformConfig, allow_list: bool) -> WebFirewall:
    """Put ``api``'s stage behind a regional web ACL of its own (see ``WebFirewall``)."""
    scope = cdk.Stack.of(api)
    firewall = WebFirewall(
        scope,
        "Firewall",
        config=config,
        waf_scope="REGIONAL",
        name=f"{api.rest_api_name}",
        allow_list=allow_list,
    )
    waf.CfnWebACLAssociation(
        scope,
        "FirewallAssociation",
        resource_arn=api.deployment_stage.stage_arn,
        web_acl_arn=firewall.arn,
    )
    return firewall
