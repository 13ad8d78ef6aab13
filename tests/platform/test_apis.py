"""Backend API behind WAF and the Cognito authorizer; Metadata API behind IAM auth."""

from __future__ import annotations

import json

import pytest
from aws_cdk import assertions
from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.backend_api import ADMINS_GROUP, console_origin
from datahub_platform.stacks.firewall import MANAGED_RULE_GROUPS
from datahub_platform.stacks.functions import BACKEND, METADATA

from tests.platform.conftest import CONFIG, CONSOLE_ORIGIN
from tests.platform.references import mentioned

DOMAIN = {
    "name": "datahub.example.com",
    "certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/0000",
}


def methods(platform, stack_id: str) -> list[dict]:
    found = platform.resources(stack_id, "AWS::ApiGateway::Method").values()
    return [m["Properties"] for m in found if m["Properties"]["HttpMethod"] != "OPTIONS"]


def web_acl(platform, stack_id: str) -> dict:
    (acl,) = platform.resources(stack_id, "AWS::WAFv2::WebACL").values()
    return acl["Properties"]


def test_backend_methods_all_go_through_the_authorizer_lambda(platform) -> None:
    (authorizer,) = platform.resources("BackendApi", "AWS::ApiGateway::Authorizer").values()
    assert authorizer["Properties"]["Type"] == "REQUEST"
    assert authorizer["Properties"]["IdentitySource"] == "method.request.header.Authorization"
    functions = platform.resources("BackendApi", "AWS::Lambda::Function")
    authorizer_fn = {k for k, f in functions.items() if "authorizer" in f["Properties"]["Handler"]}
    assert mentioned(authorizer["Properties"]["AuthorizerUri"], functions) == authorizer_fn
    found = methods(platform, "BackendApi")
    assert {m["HttpMethod"] for m in found} == {"GET", "POST"}
    for method in found:
        assert method["AuthorizationType"] == "CUSTOM"
        assert "Ref" in method["AuthorizerId"]
        assert "backend" in str(mentioned(method["Integration"], functions)).lower()


def test_the_user_pool_has_an_admins_group_and_a_public_client_without_oauth(platform) -> None:
    template = platform.template("BackendApi")
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
            "MfaConfiguration": "ON",
            "DeletionProtection": "ACTIVE",
            "Policies": {"PasswordPolicy": assertions.Match.object_like({"MinimumLength": 12})},
        },
    )
    template.has_resource_properties("AWS::Cognito::UserPoolGroup", {"GroupName": ADMINS_GROUP})
    (client,) = platform.resources("BackendApi", "AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props["GenerateSecret"] is False
    assert "AllowedOAuthFlows" not in props
    assert props["PreventUserExistenceErrors"] == "ENABLED"


def test_the_backend_api_is_behind_waf_with_managed_rules_rate_limit_and_allow_list(
    platform,
) -> None:
    acl = web_acl(platform, "BackendApi")
    assert acl["Scope"] == "REGIONAL"
    assert acl["DefaultAction"] == {"Block": {}}
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    assert set(MANAGED_RULE_GROUPS) <= set(rules)
    rate = rules["rate-limit-per-address"]["Statement"]["RateBasedStatement"]
    assert rate["Limit"] == platform.config.sizing.api_requests_per_five_minutes
    ip_sets = platform.resources("BackendApi", "AWS::WAFv2::IPSet")
    addresses = sorted(a for s in ip_sets.values() for a in s["Properties"]["Addresses"])
    assert addresses == sorted(platform.config.allowed_ip_ranges)
    allows = [r for r in acl["Rules"] if r.get("Action") == {"Allow": {}}]
    assert mentioned([r["Statement"] for r in allows], ip_sets) == set(ip_sets)
    (association,) = platform.resources("BackendApi", "AWS::WAFv2::WebACLAssociation").values()
    stages = platform.resources("BackendApi", "AWS::ApiGateway::Stage")
    assert mentioned(association["Properties"]["ResourceArn"], stages) == set(stages)


def test_the_metadata_api_uses_iam_auth_on_every_method(platform) -> None:
    found = methods(platform, "MetadataApi")
    assert {m["HttpMethod"] for m in found} == {"GET", "POST"}
    assert {m["AuthorizationType"] for m in found} == {"AWS_IAM"}
    assert platform.resources("MetadataApi", "AWS::ApiGateway::Authorizer") == {}
    assert platform.resources("MetadataApi", "AWS::Cognito::UserPool") == {}


def test_the_metadata_api_keeps_managed_rules_and_rate_limit_without_an_allow_list(
    platform,
) -> None:
    acl = web_acl(platform, "MetadataApi")
    assert acl["DefaultAction"] == {"Allow": {}}
    assert {r["Name"] for r in acl["Rules"]} == {"rate-limit-per-address", *MANAGED_RULE_GROUPS}
    platform.template("MetadataApi").resource_count_is("AWS::WAFv2::WebACLAssociation", 1)


def test_both_stages_log_access_trace_and_throttle(platform) -> None:
    for stack_id in ("BackendApi", "MetadataApi"):
        (stage,) = platform.resources(stack_id, "AWS::ApiGateway::Stage").values()
        props = stage["Properties"]
        assert props["TracingEnabled"] is True
        assert "DestinationArn" in props["AccessLogSetting"]
        (setting,) = props["MethodSettings"]
        assert setting["LoggingLevel"] == "ERROR" and setting["DataTraceEnabled"] is False
        sizing = platform.config.sizing
        assert setting["ThrottlingRateLimit"] == sizing.api_requests_per_second
        assert setting["ThrottlingBurstLimit"] == sizing.api_burst


def test_every_web_acl_logs_requests_with_credentials_redacted(platform) -> None:
    for stack_id in ("BackendApi", "MetadataApi", "EdgeFirewall"):
        acls = platform.resources(stack_id, "AWS::WAFv2::WebACL")
        (logging,) = platform.resources(stack_id, "AWS::WAFv2::LoggingConfiguration").values()
        props = logging["Properties"]
        assert mentioned(props["ResourceArn"], acls) == set(acls), stack_id
        groups = platform.resources(stack_id, "AWS::Logs::LogGroup").values()
        waf_groups = [
            g["Properties"]["LogGroupName"]
            for g in groups
            if str(g["Properties"].get("LogGroupName", "")).startswith("aws-waf-logs-")
        ]
        (group_name,) = waf_groups
        (destination,) = props["LogDestinationConfigs"]
        # An ARN that ends in the group's name: WAF refuses the ':*' form.
        assert destination["Fn::Join"][1][-1].endswith(f":log-group:{group_name}"), stack_id
        redacted = {field["SingleHeader"]["Name"] for field in props["RedactedFields"]}
        assert redacted == {"authorization", "cookie"}


def test_one_api_gateway_logging_role_serves_both_stages(platform) -> None:
    # Stages that log fail to deploy until the account setting names a logging role.
    from datahub_platform.app import STACK_ORDER

    accounts = {
        stack_id: platform.resources(stack_id, "AWS::ApiGateway::Account")
        for stack_id in STACK_ORDER
    }
    owners = [stack_id for stack_id, found in accounts.items() if found]
    assert owners == ["BackendApi"]
    (account,) = accounts["BackendApi"].values()
    roles = platform.resources("BackendApi", "AWS::IAM::Role")
    (role_id,) = mentioned(account["Properties"]["CloudWatchRoleArn"], roles)
    assert roles[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0][
        "Principal"
    ] == {"Service": "apigateway.amazonaws.com"}
    account_id = next(iter(accounts["BackendApi"]))
    stages = platform.resources("BackendApi", "AWS::ApiGateway::Stage")
    assert all(account_id in str(s.get("DependsOn", [])) for s in stages.values())
    metadata = platform.manifest()["artifacts"]["MetadataApi"]
    assert "BackendApi" in metadata["dependencies"]


def lambda_environment(platform, stack_id: str, handler: str) -> dict:
    functions = platform.resources(stack_id, "AWS::Lambda::Function").values()
    (function,) = [f for f in functions if f["Properties"]["Handler"] == handler]
    return function["Properties"]["Environment"]["Variables"]


def test_the_backend_lambda_allows_the_consoles_origin_and_no_other(platform) -> None:
    variables = lambda_environment(platform, "BackendApi", BACKEND.name)
    assert json.loads(variables["DATAHUB_CORS_ALLOWED_ORIGINS"]) == [CONSOLE_ORIGIN]


def test_the_metadata_lambda_answers_no_browser(platform) -> None:
    # Pipelines sign with SigV4; a page cannot, and the Metadata API has no preflight.
    assert "DATAHUB_CORS_ALLOWED_ORIGINS" not in lambda_environment(
        platform, "MetadataApi", METADATA.name
    )
    methods = platform.resources("MetadataApi", "AWS::ApiGateway::Method").values()
    assert "OPTIONS" not in {m["Properties"]["HttpMethod"] for m in methods}


def test_the_gateways_preflight_allows_the_same_origin_without_credentials(platform) -> None:
    found = platform.resources("BackendApi", "AWS::ApiGateway::Method").values()
    preflights = [m["Properties"] for m in found if m["Properties"]["HttpMethod"] == "OPTIONS"]
    assert len(preflights) == 2, "the root and /graphql"
    for method in preflights:
        assert method["AuthorizationType"] == "NONE", "preflights carry no credentials"
        assert method["Integration"]["Type"] == "MOCK"
        (answer,) = method["Integration"]["IntegrationResponses"]
        headers = answer["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == (
            f"'{CONSOLE_ORIGIN}'"
        )
        assert "Authorization" in headers["method.response.header.Access-Control-Allow-Headers"]
        assert not any("Credentials" in name for name in headers)


@pytest.mark.parametrize(
    ("change", "origin"),
    [
        ({}, "*"),
        ({"custom_domain": DOMAIN}, "https://datahub.example.com"),
        ({"console_origin": CONSOLE_ORIGIN}, CONSOLE_ORIGIN),
        ({"custom_domain": DOMAIN, "console_origin": CONSOLE_ORIGIN}, CONSOLE_ORIGIN),
    ],
    ids=["nothing-known", "custom-domain", "configured", "configured-wins"],
)
def test_the_console_origin_is_the_configured_one_else_the_domain_else_any(
    change: dict, origin: str
) -> None:
    assert console_origin(PlatformConfig.from_mapping({**CONFIG, **change})) == origin
