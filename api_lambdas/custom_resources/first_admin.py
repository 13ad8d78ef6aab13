"""Custom resource: the admins group and the first admin user, created once, never deleted.

Cognito mails the user a temporary password; an existing user is only put in the group.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError

from api_lambdas.custom_resources.resource import Outcome, Request, custom_resource
from api_lambdas.settings import LambdaSettings
from service_contract.aws_errors import aws_call, translated
from service_contract.errors import InvalidInput

MISSING = {"ResourceNotFoundException", "UserNotFoundException"}


def _cognito(settings: LambdaSettings) -> Any:
    return boto3.client(
        "cognito-idp", region_name=settings.aws_region, endpoint_url=settings.aws_endpoint_url
    )


def _exists(lookup: Callable[[], Any]) -> bool:
    try:
        lookup()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING:
            return False
        raise translated(error, "lookup") from error
    return True


def ensure_admin(cognito: Any, pool: str, email: str, group: str) -> bool:
    """The group exists and holds the user; True when the user was created now."""
    if not _exists(lambda: cognito.get_group(GroupName=group, UserPoolId=pool)):
        aws_call(
            cognito, "create_group", GroupName=group, UserPoolId=pool, Description="Platform admins"
        )
    created = not _exists(lambda: cognito.admin_get_user(UserPoolId=pool, Username=email))
    if created:
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ]
        aws_call(
            cognito,
            "admin_create_user",
            UserPoolId=pool,
            Username=email,
            UserAttributes=attributes,
            DesiredDeliveryMediums=["EMAIL"],
        )
    aws_call(cognito, "admin_add_user_to_group", UserPoolId=pool, Username=email, GroupName=group)
    return created


async def first_admin(request: Request, settings: LambdaSettings) -> Outcome:
    """Create the group and the user on create and update; keep them on delete."""
    properties = request.properties
    missing = [name for name in ("UserPoolId", "Email", "Group") if not properties.get(name)]
    if missing:
        raise InvalidInput(f"missing properties: {', '.join(missing)}", code="invalid_properties")
    pool, email, group = properties["UserPoolId"], properties["Email"], properties["Group"]
    physical_id = f"{pool}/{email}"
    if request.kind == "Delete":
        return Outcome(physical_id=request.physical_id or physical_id)
    created = await asyncio.to_thread(ensure_admin, _cognito(settings), pool, email, group)
    return Outcome(physical_id=physical_id, data={"Username": email, "Created": created})


handler = custom_resource(first_admin)
