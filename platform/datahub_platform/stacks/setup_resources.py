"""Setup: custom resources for migrations, the search index set-up and the first admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.grants import grant_secret_read
from datahub_platform.stacks.backend_api import ADMINS_GROUP, BackendApiStack
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.data import DATABASE_NAME, DataStack
from datahub_platform.stacks.functions import (
    FIRST_ADMIN,
    MIGRATIONS,
    SEARCH_INDEX,
    Handler,
    acknowledge_lambda_basics,
    platform_function,
)
from datahub_platform.stacks.network import COMPUTE_SUBNETS, NetworkStack, fixed_group
from datahub_platform.stacks.search import SearchStack
from datahub_platform.stacks.service import ServiceStack
from stack_catalog.constructs.acknowledgements import acknowledge_wildcard_resource

SETUP_TIMEOUT = cdk.Duration.minutes(10)


class SetupStack(PlatformStack):
    """Deployment automation that runs on every platform deploy whose inputs changed."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        data: DataStack,
        search: SearchStack,
        service: ServiceStack,
        backend: BackendApiStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="setup custom resources")
        self._network = network
        self._setup_group = fixed_group(self, network.security_groups.setup_functions)
        migrations = self._custom_resource(
            "Migrations",
            MIGRATIONS,
            description="Upgrades the database schema to the service image's head",
            environment={"DATAHUB_DATABASE_SECRET_ARN": data.secret.secret_arn},
            # A new image may bring new migrations: the resource updates when it changes.
            properties={"ServiceImage": service.image_uri, "Database": DATABASE_NAME},
        )
        grant_secret_read(migrations.function, data.secret, data.key)
        search_index = self._custom_resource(
            "SearchIndex",
            SEARCH_INDEX,
            description="Creates the search indexes and maps the service's roles in OpenSearch",
            environment={"DATAHUB_SEARCH_ADMIN_ROLE_ARN": search.admin_role.role_arn},
            properties={
                "Endpoint": f"https://{search.domain.domain_endpoint}",
                "ServiceImage": service.image_uri,
                "ServiceRoleArns": [
                    service.web.task_definition.task_role.role_arn,
                    service.workers.task_definition.task_role.role_arn,
                ],
            },
        )
        search.admin_role.grant_assume_role(search_index.function.grant_principal)
        first_admin = self._custom_resource(
            "FirstAdmin",
            FIRST_ADMIN,
            description="Creates the first admin user with a temporary password, once",
            environment={},
            properties={
                "UserPoolId": backend.user_pool.user_pool_id,
                "Email": config.admin_email,
                "Group": ADMINS_GROUP,
            },
        )
        first_admin.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=[
                    "cognito-idp:AdminCreateUser",
                    "cognito-idp:AdminGetUser",
                    "cognito-idp:AdminAddUserToGroup",
                ],
                resources=[backend.user_pool.user_pool_arn],
            )
        )
        search_index.resource.node.add_dependency(migrations.resource)

    def _custom_resource(
        self,
        name: str,
        handler: Handler,
        *,
        description: str,
        environment: dict[str, str],
        properties: dict[str, Any],
    ) -> SetupResource:
        function = platform_function(
            self,
            f"{name}Function",
            config=self.config,
            handler=handler,
            vpc=self._network.vpc,
            security_group=self._network.security_groups.setup_functions,
            description=description,
            environment=environment,
            timeout=SETUP_TIMEOUT,
        )
        provider = cr.Provider(
            self,
            f"{name}Provider",
            on_event_handler=function,
            vpc=self._network.vpc,
            vpc_subnets=COMPUTE_SUBNETS,
            security_groups=[self._setup_group],
        )
        resource = cdk.CustomResource(
            self,
            name,
            service_token=provider.service_token,
            resource_type=f"Custom::Datahub{name}",
            properties=properties,
        )
        _acknowledge_provider(provider, function)
        return SetupResource(function, resource)


@dataclass(frozen=True)
class SetupResource:
    """A custom resource and the Lambda that carries it out."""

    function: lambda_.Function
    resource: cdk.CustomResource


def _acknowledge_provider(provider: cr.Provider, handler: lambda_.IFunction) -> None:
    acknowledge_lambda_basics(provider)
    acknowledge_wildcard_resource(
        provider,
        f"{handler.function_arn}:*",
        "The framework Lambda may invoke only its one handler function and that function's "
        "versions (the ':*' suffix), as the CDK custom resource framework requires.",
    )
