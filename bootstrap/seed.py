"""After the stacks: the setup steps the platform exposes, the first admin, and the endpoints.

Inside the VPC, the Setup stack's custom resources run the migrations and the search index
set-up on every deployment. Where a stack also outputs the name of a setup function
(``*FunctionName`` below), bootstrap invokes it once more and reports its answer, so a re-run
repeats them; the first admin is created through Cognito's API from the user pool's output.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel

from cdk_service.deployment.errors import aws_call
from cdk_service.errors import NotFound, UpstreamFailure

SETUP_FUNCTIONS = (
    ("migrations", "MigrationsFunctionName", {"action": "migrate"}),
    ("search index set-up", "SearchIndexFunctionName", {"action": "create_search_indices"}),
    ("catalog seed", "CatalogSeedFunctionName", {"action": "seed_catalog"}),
)
USER_POOL_OUTPUT = "UserPoolId"
ADMINS_GROUP = "admins"
CDK_EXPORT_OUTPUTS = "ExportsOutput"  # CDK's cross-stack references, not meant for people
StepOutcome = Literal["done", "already_done", "skipped"]


class StepResult(BaseModel):
    """What one post-deploy step did."""

    step: str
    outcome: StepOutcome
    detail: str


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


def run_setup_functions(lambda_client: Any, outputs: Mapping[str, str]) -> list[StepResult]:
    """Invoke each setup function the platform outputs; a function error stops the run."""
    results = []
    for step, output, payload in SETUP_FUNCTIONS:
        name = outputs.get(output)
        if not name:
            detail = f"no {output} output: left to the Setup stack's custom resources"
            results.append(StepResult(step=step, outcome="skipped", detail=detail))
            continue
        results.append(
            StepResult(step=step, outcome="done", detail=_invoke(lambda_client, name, payload))
        )
    return results


def first_admin(cognito: Any, outputs: Mapping[str, str], email: str) -> StepResult:
    """Create the first admin with a temporary password (shown once), unless one exists."""
    step = "first admin"
    pool = outputs.get(USER_POOL_OUTPUT)
    if not pool:
        return StepResult(step=step, outcome="skipped", detail=f"no {USER_POOL_OUTPUT} output")
    try:
        aws_call(cognito, "admin_get_user", UserPoolId=pool, Username=email)
    except NotFound:
        pass
    else:
        detail = f"{email} exists in user pool {pool}; no new password"
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


def temporary_password(length: int = 20) -> str:
    """A random password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits + "!#%+-=?@^_"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        kinds: Iterable[str] = (
            string.ascii_uppercase,
            string.ascii_lowercase,
            string.digits,
            "!#%+-=?@^_",
        )
        if all(any(c in kind for c in password) for kind in kinds):
            return password


def _invoke(lambda_client: Any, function_name: str, payload: Mapping[str, Any]) -> str:
    response = aws_call(
        lambda_client,
        "invoke",
        FunctionName=function_name,
        InvocationType="RequestResponse",
        Payload=json.dumps(payload).encode(),
    )
    body = response["Payload"].read().decode() if "Payload" in response else ""
    if response.get("FunctionError"):
        raise UpstreamFailure(
            f"setup function {function_name} failed: {body[:500]}; fix it and run bootstrap again",
            code="setup_function_failed",
        )
    return f"{function_name} answered {body[:200] or 'nothing'}"
