"""Policy acknowledgements: a cdk-nag rule set aside on one construct, always with a reason."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from constructs import IConstruct

MINIMUM_REASON_LENGTH = 20


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Set a policy rule aside for ``scope`` and its children, saying why it does not apply."""
    if len(reason.strip()) < MINIMUM_REASON_LENGTH:
        raise ValueError(f"acknowledging {rule_id} needs a specific reason, got {reason!r}")
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))


def acknowledge_wildcard_resource(scope: IConstruct, resource: str, reason: str) -> None:
    """Acknowledge one wildcard resource (AwsSolutions-IAM5) in the IAM policies of ``scope``."""
    flat = flatten_reference(cdk.Stack.of(scope).resolve(resource))
    acknowledge(scope, f"AwsSolutions-IAM5[Resource::{flat}]", reason)


def flatten_reference(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag names it in finding ids (``<Logical.Attr>``)."""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict) and "Fn::Join" in value:
        delimiter, items = value["Fn::Join"]
        return str(delimiter).join(flatten_reference(item) for item in items)
    if isinstance(value, dict) and "Fn::Sub" in value:
        return flatten_reference(value["Fn::Sub"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        resource, attribute = value["Fn::GetAtt"]
        return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
    if isinstance(value, dict) and "Ref" in value:
        return f"<{flatten_reference(value['Ref'])}>"
    return json.dumps(value, separators=(",", ":"))
