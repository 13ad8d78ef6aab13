"""``POST /v1/synth``: a template version rendered to CloudFormation, without deploying."""

from __future__ import annotations

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.synthesis.template_synth import SynthOrder, SynthOutcome, synthesize_template

api = Api()


@api.route(
    "POST",
    "/v1/synth",
    summary="Synthesize a template version with params for a target, without deploying",
    tag="synthesis",
    body=SynthOrder,
    response=SynthOutcome,
    errors=(403, 404, 409, 422, 502, 503, 504),
)
async def synth(request: web.Request, body: SynthOrder) -> SynthOutcome:
    """The CloudFormation template, asset manifest, cdk-nag findings and digest."""
    services = services_of(request)
    return await synthesize_template(
        registry=services.registry,
        synthesizer=services.synthesizer,
        identity=identity_of(request),
        order=body,
        default_account=services.settings.default_account,
        default_region=services.settings.default_region,
    )
