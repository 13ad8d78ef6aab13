"""Service-linked roles the platform's resources need but CloudFormation does not create.

An OpenSearch domain in a VPC needs the account's ``AWSServiceRoleForAmazonOpenSearchService``.
CloudFormation neither makes it with the domain nor can own it (creating it fails when the
account has it already), so bootstrap creates it once, before the stacks, when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bootstrap.results import ServiceRole
from service_contract.aws_errors import aws_call, aws_pages

# Resource type → the service whose linked role it needs in the account.
NEEDED_BY = {"AWS::OpenSearchService::Domain": "opensearchservice.amazonaws.com"}


def needed_services(templates: Iterable[dict[str, Any]]) -> list[str]:
    """The services whose linked roles the templates' resources need, in first-use order."""
    services: dict[str, None] = {}
    for template in templates:
        for resource in template.get("Resources", {}).values():
            service = NEEDED_BY.get(resource.get("Type", ""))
            if service:
                services[service] = None
    return list(services)


def service_role(iam: Any, service: str) -> ServiceRole:
    """Whether the account has the service's linked role (found by its path, not its name)."""
    path = f"/aws-service-role/{service}/"
    roles = aws_pages(iam, "list_roles", "Roles", PathPrefix=path)
    return ServiceRole(service=service, present=next(roles, None) is not None)


def ensure_service_role(iam: Any, service: str) -> bool:
    """Create the service's linked role when the account lacks it; whether it was created."""
    if service_role(iam, service).present:
        return False
    aws_call(iam, "create_service_linked_role", AWSServiceName=service)
    return True
