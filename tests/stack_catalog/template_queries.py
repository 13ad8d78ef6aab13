"""Questions tests ask of synthesized CloudFormation templates, and the context they use."""

from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
REGION = "eu-west-1"
TEAM = "sales"


def deploy_context(**overrides: Any) -> dict[str, Any]:
    """Where a test stack would be deployed; keyword arguments replace fields."""
    context = {
        "account": ACCOUNT,
        "region": REGION,
        "team": TEAM,
        "stack_name": "sales-test-stack",
        "tags": {"cost-center": "4711"},
    }
    return {**context, **overrides}


def resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one CloudFormation type, by logical id."""
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def only(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    """The properties of the template's single resource of a type."""
    found = resources(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    properties: dict[str, Any] = next(iter(found.values())).get("Properties", {})
    return properties


def logical_id(template: dict[str, Any], reference: Any) -> str:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` points at."""
    if "Ref" in reference:
        return str(reference["Ref"])
    return str(reference["Fn::GetAtt"][0])


def denies_insecure_transport(policy_document: dict[str, Any]) -> bool:
    """True when the policy denies every request made without TLS."""
    return any(
        statement["Effect"] == "Deny"
        and statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
        for statement in policy_document["Statement"]
    )
