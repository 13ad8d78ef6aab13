"""Custom resource: the search index (template and alias) and the service's roles mapped in it.

On Amazon OpenSearch with fine-grained access control, the function assumes the cluster's admin
role (``DATAHUB_SEARCH_ADMIN_ROLE_ARN``) and signs with SigV4; with no admin role configured it
calls the endpoint unsigned (a local cluster). A delete leaves the index and its documents.
"""

from __future__ import annotations

from typing import Any

import boto3
from opensearchpy import AsyncHttpConnection, AsyncOpenSearch, AWSV4SignerAsyncAuth
from opensearchpy.exceptions import OpenSearchException

from api_lambdas.custom_resources.resource import Outcome, Request, custom_resource
from api_lambdas.settings import LambdaSettings
from cdk_service.search.opensearch import OpenSearchBackend
from cdk_service.settings import Settings
from service_contract.errors import InvalidInput, UpstreamFailure

DEFAULT_ALIAS = str(Settings.model_fields["search_index"].default)  # the service's alias
SERVICE_ROLE = "datahub_service"
CLUSTER_PERMISSIONS = ["cluster_composite_ops", "cluster_monitor", "indices:admin/template/*"]


def search_client(endpoint: str, settings: LambdaSettings) -> AsyncOpenSearch:
    """A client for the cluster: as its admin role (SigV4) when one is configured."""
    options: dict[str, Any] = {"hosts": [endpoint], "connection_class": AsyncHttpConnection}
    if settings.search_admin_role_arn:
        sts = boto3.client("sts", endpoint_url=settings.aws_endpoint_url)
        answer = sts.assume_role(
            RoleArn=settings.search_admin_role_arn, RoleSessionName="datahub-setup"
        )
        credentials = boto3.Session(
            aws_access_key_id=answer["Credentials"]["AccessKeyId"],
            aws_secret_access_key=answer["Credentials"]["SecretAccessKey"],
            aws_session_token=answer["Credentials"]["SessionToken"],
        ).get_credentials()
        options["http_auth"] = AWSV4SignerAsyncAuth(credentials, settings.aws_region, "es")
    return AsyncOpenSearch(**options)


async def map_service_roles(client: AsyncOpenSearch, alias: str, role_arns: list[str]) -> None:
    """A role for the service on its indexes (``alias*``), held by the service's IAM roles."""
    security = "/_plugins/_security/api"
    permissions = {
        "cluster_permissions": CLUSTER_PERMISSIONS,
        "index_permissions": [
            {"index_patterns": [f"{alias}*"], "allowed_actions": ["indices_all"]}
        ],
    }
    try:
        await client.transport.perform_request(
            "PUT", f"{security}/roles/{SERVICE_ROLE}", body=permissions
        )
        mapping = {"backend_roles": role_arns}
        await client.transport.perform_request(
            "PUT", f"{security}/rolesmapping/{SERVICE_ROLE}", body=mapping
        )
    except OpenSearchException as error:
        raise UpstreamFailure(
            f"OpenSearch refused the role mapping: {error}", code="search_setup_failed"
        ) from error


async def set_up_search(request: Request, settings: LambdaSettings) -> Outcome:
    """Create the index template and alias; map the service roles when there are any."""
    endpoint = request.properties.get("Endpoint")
    if not endpoint:
        raise InvalidInput("missing property: Endpoint", code="invalid_properties")
    alias = str(request.properties.get("Index") or DEFAULT_ALIAS)
    physical_id = f"{endpoint}/{alias}"
    if request.kind == "Delete":
        return Outcome(physical_id=request.physical_id or physical_id)
    client = search_client(endpoint, settings)
    try:
        await OpenSearchBackend(client, alias).prepare()
        roles = list(request.properties.get("ServiceRoleArns") or [])
        if roles:
            await map_service_roles(client, alias, roles)
    finally:
        await client.close()
    return Outcome(physical_id=physical_id, data={"Alias": alias})


handler = custom_resource(set_up_search)
