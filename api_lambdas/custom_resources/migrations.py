"""Custom resource: upgrade the database schema to the head of the migrations this code has.

Runs on create and on every update (a new service image may bring migrations); a delete leaves
the database as it is.
"""

from __future__ import annotations

import json

import boto3

from api_lambdas.custom_resources.resource import Outcome, Request, custom_resource
from api_lambdas.settings import LambdaSettings
from cdk_service.db.upgrade import upgrade
from cdk_service.settings import postgres_url
from service_contract.errors import InvalidInput

PHYSICAL_ID = "datahub-database-schema"


def database_url(settings: LambdaSettings, database: str | None) -> str:
    """The URL given, or one built from the Secrets Manager secret RDS keeps the login in."""
    if settings.database_url:
        return settings.database_url
    if not settings.database_secret_arn:
        raise InvalidInput("no database is configured", code="database_missing")
    client = boto3.client("secretsmanager", endpoint_url=settings.aws_endpoint_url)
    secret = json.loads(
        client.get_secret_value(SecretId=settings.database_secret_arn)["SecretString"]
    )
    return postgres_url(
        host=secret["host"],
        port=int(secret.get("port", 5432)),
        username=secret["username"],
        password=secret["password"],
        name=database or secret.get("dbname") or "postgres",
    )


async def migrate(request: Request, settings: LambdaSettings) -> Outcome:
    """Apply the pending migrations; how many and which were applied."""
    if request.kind == "Delete":
        return Outcome(physical_id=request.physical_id or PHYSICAL_ID)
    applied = await upgrade(database_url(settings, request.properties.get("Database")))
    return Outcome(
        physical_id=PHYSICAL_ID, data={"Applied": len(applied), "Migrations": ",".join(applied)}
    )


handler = custom_resource(migrate)
