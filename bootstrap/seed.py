"""After the stacks: the setup the platform ran, the first admin, the catalog seed, endpoints.

Inside the VPC, the Setup stack's custom resources run the migrations, the search index
set-up and the first admin on every deployment whose inputs changed; bootstrap reports what
they did from the stacks' resources. The catalog seed publishes the newest version of each
built-in template by invoking the Backend Lambda as an admin, as API Gateway would.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel

from service_contract.aws_errors import aws_call
from service_contract.errors import NotFound, UpstreamFailure
from stack_catalog.contract import semver_key
from stack_catalog.registry import Registry

CUSTOM_RESOURCE = "Custom::"
USER_POOL_TYPE = "AWS::Cognito::UserPool"
FUNCTION_TYPE = "AWS::Lambda::Function"
USER_POOL_OUTPUT = "UserPoolId"
BACKEND_FUNCTION_OUTPUT = "BackendFunctionName"
BACKEND_LOGICAL_ID = re.compile(r"^Backend[0-9A-F]{8}$")  # CDK's id of the Lambda "Backend"
ADMINS_GROUP = "admins"
SEED_CALLER = {"user": "datahub-bootstrap", "groups": ADMINS_GROUP}
PUBLISH = (
    "mutation Seed($name: String!, $version: String!) "
    "{ publishTemplateVersion(name: $name, version: $version) { version status } }"
)
CDK_EXPORT_OUTPUTS = "ExportsOutput"  # CDK's cross-stack references, not meant for people
SYMBOLS = "!#%+-=?@^_"
StepOutcome = Literal["done", "already_done", "skipped"]
Resources = Mapping[str, list[dict[str, Any]]]  # stack name → list_stack_resources summaries


class StepResult(BaseModel):
    """What one post-deploy step did."""

    step: str
    outcome: StepOutcome
    detail: str


def setup_resources(resources: Resources) -> list[StepResult]:
    """What each custom resource of the platform did during the deployment."""
    results = [
        StepResult(
            step=_step_name(item["ResourceType"]),
            outcome="done",
            detail=f"custom resource {item['LogicalResourceId']} of {stack} is "
            f"{item.get('ResourceStatus', 'in an unknown state')}",
        )
        for stack, items in resources.items()
        for item in items
        if str(item.get("ResourceType", "")).startswith(CUSTOM_RESOURCE)
    ]
    if not results:
        detail = "no custom resource exists (moto's CloudFormation does not create them)"
        results.append(StepResult(step="setup custom resources", outcome="skipped", detail=detail))
    return results


def physical_id(
    outputs: Mapping[str, str],
    resources: Resources,
    *,
    output: str,
    resource_type: str,
    logical_id: re.Pattern[str] | None = None,
) -> str | None:
    """A resource's physical id: from the output named so, else from the stacks' resources."""
    if outputs.get(output):
        return outputs[output]
    for items in resources.values():
        for item in items:
            if item.get("ResourceType") == resource_type and (
                logical_id is None or logical_id.match(item.get("LogicalResourceId", ""))
            ):
                return str(item.get("PhysicalResourceId") or "") or None
    return None


def first_admin(cognito: Any, pool: str | None, email: str) -> StepResult:
    """Create the first admin with a temporary password (shown once), unless one exists."""
    step = "first admin"
    if not pool:
        return StepResult(step=step, outcome="skipped", detail="the platform has no user pool")
    try:
        aws_call(cognito, "admin_get_user", UserPoolId=pool, Username=email)
    except NotFound:
        pass
    else:
        detail = f"{email} exists in user pool {pool}; its temporary password went by email"
        return StepResult(step=step, outcome="already_done", detail=detail)
    password = temporary_password()
    aws_call(
        cognito,
        "admin_create_user",
        UserPoolId=pool,
        Username=email,
        TemporaryPassword=password,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    aws_call(
        cognito, "admin_add_user_to_group", UserPoolId=pool, Username=email, GroupName=ADMINS_GROUP
    )
    detail = (
        f"{email} created in group {ADMINS_GROUP} of user pool {pool} with the temporary "
        f"password {password} (shown once; it must be changed at the first sign-in)"
    )
    return StepResult(step=step, outcome="done", detail=detail)


def newest_builtin_versions(registry: Registry | None = None) -> list[tuple[str, str]]:
    """(name, version) of the newest version of each template the code knows."""
    newest: dict[str, str] = {}
    for template in registry or Registry.discover():
        current = newest.get(template.name)
        if current is None or semver_key(template.version) > semver_key(current):
            newest[template.name] = template.version
    return sorted(newest.items())


def seed_catalog(
    lambda_client: Any, function: str | None, versions: Iterable[tuple[str, str]]
) -> StepResult:
    """Publish each version through the Backend Lambda, as an admin; publishing is idempotent."""
    step = "catalog seed"
    if not function:
        return StepResult(step=step, outcome="skipped", detail="the platform has no Backend Lambda")
    published = [_publish(lambda_client, function, name, version) for name, version in versions]
    return StepResult(step=step, outcome="done", detail=f"published {', '.join(published)}")


def merged_outputs(outputs_by_stack: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Every stack's outputs in one mapping (later stacks win on a clash)."""
    merged: dict[str, str] = {}
    for values in outputs_by_stack.values():
        merged.update(values)
    return merged


def endpoints(outputs_by_stack: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str, str]]:
    """(stack, output, value) for each output meant for people, in stack order."""
    return [
        (stack, key, value)
        for stack, values in outputs_by_stack.items()
        for key, value in sorted(values.items())
        if not key.startswith(CDK_EXPORT_OUTPUTS)
    ]


def temporary_password(length: int = 20) -> str:
    """A random password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    kinds = (string.ascii_uppercase, string.ascii_lowercase, string.digits, SYMBOLS)
    while True:
        password = "".join(secrets.choice("".join(kinds)) for _ in range(length))
        if all(any(c in kind for c in password) for kind in kinds):
            return password


def graphql_event(query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """An API Gateway proxy event carrying a GraphQL request from the seed's admin caller."""
    return {
        "httpMethod": "POST",
        "path": "/graphql",
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"query": query, "variables": dict(variables)}),
        "isBase64Encoded": False,
        "requestContext": {"authorizer": dict(SEED_CALLER)},
    }


def _publish(lambda_client: Any, function: str, name: str, version: str) -> str:
    event = graphql_event(PUBLISH, {"name": name, "version": version})
    response = aws_call(
        lambda_client,
        "invoke",
        FunctionName=function,
        InvocationType="RequestResponse",
        Payload=json.dumps(event).encode(),
    )
    raw = response["Payload"].read().decode() if "Payload" in response else "{}"
    answer = json.loads(raw or "{}")
    body = json.loads(answer.get("body") or "{}") if isinstance(answer, dict) else {}
    if response.get("FunctionError") or body.get("errors") or not body.get("data"):
        problem = body.get("errors") or raw[:500]
        raise UpstreamFailure(
            f"publishing {name} {version} through {function} failed: {problem}",
            code="catalog_seed_failed",
        )
    return f"{name} {version}"


def _step_name(resource_type: str) -> str:
    words = re.sub(r"(?<!^)([A-Z])", r" \1", resource_type.removeprefix(CUSTOM_RESOURCE))
    return words.removeprefix("Datahub ").lower()
