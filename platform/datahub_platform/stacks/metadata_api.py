"""Metadata API: GraphQL for pipelines and jobs, authenticated by IAM (SigV4)."""

from __future__ import annotations

from aws_cdk import aws_apigateway as apigateway
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.apis import (
    GRAPHQL_PATH,
    PRODUCTION_GRAPHQL,
    add_graphql_route,
    graphql_api,
    protect,
)
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.functions import METADATA
from datahub_platform.stacks.network import NetworkStack
from datahub_platform.stacks.service import ServiceStack
from stack_catalog.constructs.acknowledgements import acknowledge


class MetadataApiStack(PlatformStack):
    """The Metadata Lambda behind an API Gateway that only IAM-signed callers may invoke."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        service: ServiceStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="Metadata GraphQL API")
        self.function = service.client_function(
            self,
            "Metadata",
            network=network,
            handler=METADATA,
            description="GraphQL dataset metadata for IAM principals; calls the service",
            environment=PRODUCTION_GRAPHQL,
        )
        self.api = graphql_api(
            self,
            "MetadataApi",
            config=config,
            description="DATAHUB GraphQL API for pipelines (IAM SigV4)",
            method_options=apigateway.MethodOptions(
                authorization_type=apigateway.AuthorizationType.IAM
            ),
        )
        add_graphql_route(self.api, self.function)
        # Pipelines run anywhere in the account's reach, so no address allow-list: IAM
        # authenticates; the web ACL still applies the managed rules and the rate limit.
        self.firewall = protect(self.api, config=config, allow_list=False)
        self.publish(MetadataApiUrl=self.api.url_for_path(f"/{GRAPHQL_PATH}"))
        acknowledge(
            self.api,
            "AwsSolutions-COG4",
            "The Metadata API is for IAM principals (pipelines, jobs), not people: every method "
            "requires a SigV4 signature checked by API Gateway's IAM authorization.",
        )
