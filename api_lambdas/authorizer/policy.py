"""The IAM policies a REQUEST authorizer answers API Gateway with."""

from __future__ import annotations

from typing import Any

from service_contract.identity import Identity

ANONYMOUS = "anonymous"


def api_wide(method_arn: str) -> str:
    """Every method and path of the stage ``method_arn`` belongs to (the answer may be cached)."""
    api, stage, *_ = [*method_arn.split("/"), "*"]
    return f"{api}/{stage}/*/*"


def _policy(principal: str, effect: str, resource: str, context: dict[str, str]) -> dict[str, Any]:
    statement = {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}
    return {
        "principalId": principal,
        "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        "context": context,
    }


def allow(caller: Identity, method_arn: str) -> dict[str, Any]:
    """Allow the caller on the whole API; user and groups (comma-separated) in the context."""
    context = {"user": caller.user, "groups": ",".join(sorted(caller.groups))}
    return _policy(caller.user, "Allow", api_wide(method_arn), context)


def deny(method_arn: str, reason: str) -> dict[str, Any]:
    """Deny this method; ``reason`` (a stable code) is kept for the logs, never shown to callers."""
    return _policy(ANONYMOUS, "Deny", method_arn or "*", {"reason": reason})
