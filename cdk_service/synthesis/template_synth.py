"""Synthesize a catalog template version for a team and target, without deploying it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from cdk_service.catalog.request_validation import validate_order
from cdk_service.synthesis.models import Synthesizer, SynthRequest, SynthResult
from service_contract.identity import Identity
from stack_catalog.contract import (
    ACCOUNT_PATTERN,
    REGION_PATTERN,
    SLUG_PATTERN,
    VERSION_MAX_LENGTH,
    DeployContext,
)
from stack_catalog.registry import Registry


class SynthOrder(BaseModel):
    """What to synthesize: a template version, its params and where it would be deployed."""

    template: str = Field(pattern=SLUG_PATTERN, description="Template name")
    version: str | None = Field(
        default=None,
        max_length=VERSION_MAX_LENGTH,
        description="Template version; the newest published one when omitted",
    )
    params: dict[str, Any] = Field(default_factory=dict, description="Template parameters")
    team: str = Field(pattern=SLUG_PATTERN, description="Team the stack would belong to")
    account: str | None = Field(default=None, pattern=ACCOUNT_PATTERN, description="Target account")
    region: str | None = Field(default=None, pattern=REGION_PATTERN, description="Target region")
    stack_name: str | None = Field(
        default=None, pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$", description="Stack name"
    )


class SynthOutcome(BaseModel):
    """The synthesized stack and what it was built from."""

    template: str
    version: str
    code_digest: str
    params: dict[str, Any] = Field(description="Parameters with defaults filled in")
    context: DeployContext
    result: SynthResult


async def synthesize_template(
    *,
    registry: Registry,
    synthesizer: Synthesizer,
    identity: Identity,
    order: SynthOrder,
    default_account: str,
    default_region: str,
) -> SynthOutcome:
    """Validate the order against the catalog and synthesize it on the warm pool."""
    row, params = await validate_order(
        registry=registry,
        identity=identity,
        team=order.team,
        name=order.template,
        version=order.version,
        params=order.params,
    )
    version = row.version
    context = DeployContext(
        account=order.account or default_account,
        region=order.region or default_region,
        team=order.team,
        stack_name=order.stack_name or f"{order.team}-{order.template}",
    )
    request = SynthRequest(
        template=order.template,
        version=version,
        code_digest=(
            registry.digest(order.template, version)
            if row.bundle_digest is None
            else row.code_digest
        ),
        bundle_digest=row.bundle_digest,
        params=params,
        context=context,
    )
    result = await synthesizer.synth(request)
    return SynthOutcome(
        template=order.template,
        version=version,
        code_digest=request.code_digest,
        params=params,
        context=context,
        result=result,
    )
