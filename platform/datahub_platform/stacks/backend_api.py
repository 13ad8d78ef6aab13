"""Backend API: GraphQL for people, behind WAF, authenticated by Cognito through a Lambda."""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.apis import (
    GRAPHQL_PATH,
    PRODUCTION_GRAPHQL,
    add_graphql_route,
    api_gateway_logging,
    graphql_api,
    protect,
)
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.functions import AUTHORIZER, BACKEND, platform_function
from datahub_platform.stacks.network import NetworkStack
from datahub_platform.stacks.service import ServiceStack
from stack_catalog.constructs.acknowledgements import acknowledge

ADMINS_GROUP = "admins"


class BackendApiStack(PlatformStack):
    """The user pool, the Authorizer and Backend Lambdas, and their API Gateway."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        service: ServiceStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="Backend GraphQL API")
        self.user_pool = self._user_pool()
        self.client = self.user_pool.add_client(
            "WebClient",
            user_pool_client_name=f"{config.prefix}-web",
            # The console and `datahubctl login` send USER_PASSWORD_AUTH (over TLS, to Cognito
            # only); SRP stays open for other clients.
            auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            generate_secret=False,
            # No hosted UI, no OAuth redirect to abuse.
            disable_o_auth=True,
            prevent_user_existence_errors=True,
            access_token_validity=cdk.Duration.hours(1),
            id_token_validity=cdk.Duration.hours(1),
            refresh_token_validity=cdk.Duration.days(1),
        )
        cognito.CfnUserPoolGroup(
            self,
            "Admins",
            user_pool_id=self.user_pool.user_pool_id,
            group_name=ADMINS_GROUP,
            description="Platform admins: publish templates, approve requests, manage teams",
        )
        self.authorizer_function = platform_function(
            self,
            "Authorizer",
            config=config,
            vpc=network.vpc,
            security_group=network.security_groups.api_functions,
            handler=AUTHORIZER,
            description="Verifies Cognito JWTs and passes the user and groups on",
            # Names as api_lambdas/settings.py reads them; the issuer follows from the pool.
            environment={
                "DATAHUB_COGNITO_USER_POOL_ID": self.user_pool.user_pool_id,
                "DATAHUB_COGNITO_CLIENT_IDS": self.to_json_string(
                    [self.client.user_pool_client_id]
                ),
                "DATAHUB_COGNITO_TOKEN_USE": "id",
            },
        )
        self.backend_function = service.client_function(
            self,
            "Backend",
            network=network,
            handler=BACKEND,
            description="GraphQL business API; calls the service with signed requests",
            # A proxy integration's answers carry only the Lambda's headers: the console (on
            # CloudFront, another origin) reads them with the CORS headers the Lambda adds.
            environment={
                **PRODUCTION_GRAPHQL,
                "DATAHUB_CORS_ALLOWED_ORIGINS": json.dumps([console_origin(config)]),
            },
        )
        authorizer = apigateway.RequestAuthorizer(
            self,
            "CognitoJwt",
            handler=self.authorizer_function,
            identity_sources=[apigateway.IdentitySource.header("Authorization")],
            results_cache_ttl=cdk.Duration.minutes(5),
        )
        self.api = graphql_api(
            self,
            "BackendApi",
            config=config,
            description="DATAHUB GraphQL API for people (Cognito JWT)",
            method_options=apigateway.MethodOptions(
                authorization_type=apigateway.AuthorizationType.CUSTOM, authorizer=authorizer
            ),
            cors=_cors(config),
        )
        self.api.node.add_dependency(api_gateway_logging(self))
        add_graphql_route(self.api, self.backend_function)
        self.graphql_url = self.api.url_for_path(f"/{GRAPHQL_PATH}")
        self._cors_on_gateway_errors(config)
        self.firewall = protect(self.api, config=config, allow_list=True)
        acknowledge(
            self.api,
            "AwsSolutions-COG4",
            "Requests are authorized by the Authorizer Lambda, which verifies the Cognito user "
            "pool's JWTs (signature by JWKS, issuer, client id, token use, expiry) and passes "
            "the user's groups on; a Cognito authorizer could not pass the groups in that form.",
        )
        self._acknowledge_preflight(self.api)
        self.publish(
            UserPoolId=self.user_pool.user_pool_id,
            UserPoolClientId=self.client.user_pool_client_id,
            BackendApiUrl=self.graphql_url,
            BackendFunctionName=self.backend_function.function_name,
        )

    def _cors_on_gateway_errors(self, config: PlatformConfig) -> None:
        # API Gateway's own answers (the authorizer's 401 and 403, throttling, a failed
        # integration) carry no CORS header otherwise: the console would see a network error
        # instead of "sign in again".
        for name, response_type in (
            ("Errors4xx", apigateway.ResponseType.DEFAULT_4_XX),
            ("Errors5xx", apigateway.ResponseType.DEFAULT_5_XX),
        ):
            self.api.add_gateway_response(
                name,
                type=response_type,
                response_headers={"Access-Control-Allow-Origin": f"'{console_origin(config)}'"},
            )

    def _user_pool(self) -> cognito.UserPool:
        pool = cognito.UserPool(
            self,
            "Users",
            user_pool_name=f"{self.config.prefix}-users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=cdk.Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        return pool

    def _acknowledge_preflight(self, api: apigateway.RestApi) -> None:
        graphql = api.root.get_resource(GRAPHQL_PATH)
        assert graphql is not None
        for resource in (api.root, graphql):
            options = resource.node.find_child("OPTIONS")
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(
                    options,
                    rule,
                    "CORS preflight (OPTIONS) requests carry no credentials by definition; the "
                    "mock integration answers with CORS headers only and reaches no code or data.",
                )


def console_origin(config: PlatformConfig) -> str:
    """The origin the console calls from: the configured one, else its custom domain, else any
    (CloudFront's generated domain is made in us-east-1 after this stack, so it can only be
    configured once known)."""
    if config.console_origin:
        return config.console_origin
    return f"https://{config.custom_domain.name}" if config.custom_domain else "*"


def _cors(config: PlatformConfig) -> apigateway.CorsOptions:
    # Browsers send the JWT in the Authorization header, never as a cookie: an origin
    # allow-list is defence in depth, not what stops cross-site requests.
    origin = console_origin(config)
    origins = apigateway.Cors.ALL_ORIGINS if origin == "*" else [origin]
    return apigateway.CorsOptions(
        allow_origins=origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=cdk.Duration.hours(1),
    )
