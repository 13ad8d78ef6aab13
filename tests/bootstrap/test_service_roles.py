"""Service-linked roles: the OpenSearch one made once before the stacks, when it is missing."""

from __future__ import annotations

from bootstrap.service_roles import ensure_service_role, needed_services, service_role
from tests.bootstrap.conftest import Regional

OPENSEARCH = "opensearchservice.amazonaws.com"


def linked_roles(regional: Regional) -> list[dict]:
    listed = regional("iam").list_roles(PathPrefix=f"/aws-service-role/{OPENSEARCH}/")
    return listed["Roles"]


def test_a_domain_in_the_templates_needs_the_opensearch_role_once() -> None:
    domain = {"Resources": {"Domain": {"Type": "AWS::OpenSearchService::Domain"}}}
    bucket = {"Resources": {"Data": {"Type": "AWS::S3::Bucket"}}}
    assert needed_services([bucket, domain, domain]) == [OPENSEARCH]
    assert needed_services([bucket]) == []


def test_the_role_is_created_when_missing_and_left_alone_when_present(
    regional: Regional,
) -> None:
    iam = regional("iam")
    assert service_role(iam, OPENSEARCH).present is False

    assert ensure_service_role(iam, OPENSEARCH) is True
    assert ensure_service_role(iam, OPENSEARCH) is False

    (role,) = linked_roles(regional)
    assert OPENSEARCH in str(role["AssumeRolePolicyDocument"])
    assert service_role(iam, OPENSEARCH).present is True
