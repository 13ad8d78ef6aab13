"""Owners' own stack changes keep the principals their dataset is shared with."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cdk_service.stacks import repository

PRINCIPALS_PARAM = "consumer_principal_arns"


async def with_shared_principals(stack_id: UUID, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the principals of the stack's approved and granted shares added back
    to the consumer role's: a grant ends by revoking its share, never by an edit."""
    shared = await repository.shared_principals(stack_id)
    if not shared:
        return params
    listed = [str(arn) for arn in params.get(PRINCIPALS_PARAM) or []]
    missing = sorted(shared - set(listed))
    return {**params, PRINCIPALS_PARAM: listed + missing} if missing else params
