"""The seed step: the first admin, the catalog seed, then the platform's endpoints.

The catalog seed publishes the newest version of each built-in template by invoking the
Backend Lambda as an admin, as API Gateway would.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Iterable, Mapping
from typing import Any

from bootstrap import messages
from bootstrap.after_stacks import AfterStacks
from bootstrap.plan import Plan
from bootstrap.progress import Reporter
from bootstrap.results import StepResult
from cdk_service.cloudformation.engine import DeployEngine
from service_contract.aws_errors import aws_call
from service_contract.errors import NotFound, UpstreamFailure
from stack_catalog.contract import semver_key
from stack_catalog.registry import Registry

ADMINS_GROUP = "admins"
SEED_CALLER = {"user": "datahub-bootstrap", "groups": ADMINS_GROUP}
PUBLISH = (
    "mutation Seed($name: String!, $version: String!) "
    "{ publishTemplateVersion(name: $name, version: $version) { version status } }"
)
SYMBOLS = "!#%+-=?@^_"


def seed_platform(
    plan: Plan, found: AfterStacks, *, engine: DeployEngine, reporter: Reporter
) -> tuple[StepResult, ...]:
    """Make the first admin, seed the catalog; then show the platform's endpoints."""
    home = plan.options.home
    cognito = engine.clients.client(home, "cognito-idp")
    results = (
        first_admin(cognito, found.user_pool, plan.config.admin_email),
        _seeded(plan, engine, found.backend_function),
    )
    for result in results:
        reporter.note(result.step, messages.step_result(result))
    reporter.outputs(found.endpoints())
    return results


def _seeded(plan: Plan, engine: DeployEngine, backend: str | None) -> StepResult:
    if not plan.options.seed_catalog:
        detail = messages.CATALOG_SEED_LEFT_OUT
        return StepResult(step="catalog seed", outcome="skipped", detail=detail)
    lambda_client = engine.clients.client(plan.options.home, "lambda")
    return seed_catalog(lambda_client, backend, newest_builtin_versions())


def first_admin(cognito: Any, pool: str | None, email: str) -> StepResult:
    """Create the first admin with a temporary password (shown once), unless one exists."""
    step = "first admin"
    if not pool:
        return StepResult(step=step, outcome="skipped", detail=messages.NO_USER_POOL)
    try:
        aws_call(cognito, "admin_get_user", UserPoolId=pool, Username=email)
    except NotFound:
        pass
    else:
        detail = messages.admin_exists(email, pool)
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
    detail = messages.admin_created(email, ADMINS_GROUP, pool, password)
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
        return StepResult(step=step, outcome="skipped", detail=messages.NO_BACKEND_LAMBDA)
    published = [_publish(lambda_client, function, name, version) for name, version in versions]
    return StepResult(step=step, outcome="done", detail=messages.published(published))


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
            messages.publish_failed(name, version, function, problem),
            code="catalog_seed_failed",
        )
    return f"{name} {version}"
