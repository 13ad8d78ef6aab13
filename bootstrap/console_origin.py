"""The origin whose pages may read the Backend API's answers (CORS): where bootstrap finds it.

The configured ``console_origin`` wins, then the custom domain. Without either, the console's
address is CloudFront's generated domain, which exists only once the Frontend stack does (after
the Backend API stack): bootstrap reads the Frontend stack's ``FrontendUrl`` output, on a re-run
before synthesizing, on a first install after the stacks, and then deploys again the stacks the
origin changes (the Backend API's).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from bootstrap.assembly import PlatformAssembly, PlatformStack
from bootstrap.results import FRONTEND_URL_OUTPUT, ConsoleOrigin
from cdk_service.cloudformation.engine import DeployEngine
from service_contract.errors import NotFound
from service_contract.targets import Target

ALLOWED_ORIGINS_VARIABLE = "DATAHUB_CORS_ALLOWED_ORIGINS"  # api_lambdas/graphql_http.py
LAMBDA_FUNCTION = "AWS::Lambda::Function"


def from_config(config: Any) -> ConsoleOrigin | None:
    """The origin the configuration names (``console_origin``, else the custom domain)."""
    if config.console_origin:
        return ConsoleOrigin(origin=config.console_origin, source="configured")
    if config.custom_domain:
        return ConsoleOrigin(origin=f"https://{config.custom_domain.name}", source="custom_domain")
    return None


def frontend_stack(assembly: PlatformAssembly, artifact_id: str) -> PlatformStack | None:
    """The assembly's stack that publishes the console's address (none in other apps)."""
    return next((s for s in assembly.stacks if s.artifact_id == artifact_id), None)


def deployed_frontend_url(engine: DeployEngine, target: Target, stack_name: str) -> str | None:
    """The deployed Frontend stack's ``FrontendUrl``; None while the stack or output is missing."""
    try:
        outputs = engine.outputs(target, stack_name)
    except NotFound:
        return None
    if outputs.source != "outputs":
        return None
    return outputs.values.get(FRONTEND_URL_OUTPUT) or None


def with_origin(config: Any, origin: str) -> Any | None:
    """The configuration with ``console_origin`` set; None when ``origin`` is not one."""
    try:
        return type(config).model_validate(config.model_dump() | {"console_origin": origin})
    except ValidationError:
        return None


def allowed_origins(assembly: PlatformAssembly) -> list[str] | None:
    """The origins the assembly's Lambdas allow (``*``: any); None when none answers CORS."""
    found: list[str] = []
    for resource in _resources(stack.template for stack in assembly.stacks):
        if resource.get("Type") != LAMBDA_FUNCTION:
            continue
        variables = (resource.get("Properties") or {}).get("Environment", {}).get("Variables", {})
        value = variables.get(ALLOWED_ORIGINS_VARIABLE)
        if isinstance(value, str):
            found += [origin for origin in json.loads(value) if origin not in found]
    return found or None


def changed_stacks(before: PlatformAssembly, after: PlatformAssembly) -> list[PlatformStack]:
    """The stacks of ``after`` whose templates differ from ``before``'s, in deployment order."""
    templates = {stack.artifact_id: stack.template for stack in before.stacks}
    return [stack for stack in after.stacks if templates.get(stack.artifact_id) != stack.template]


def _resources(templates: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for template in templates:
        yield from (template.get("Resources") or {}).values()
