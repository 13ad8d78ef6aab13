"""Stand-ins for the worker tests: synthesizers of hand-written templates moto can deploy, and
a worker's death."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cdk_service.synthesis.models import SynthRequest, SynthResult, sha256_of
from tests.cdk_service.cloudformation import templates


class WorkerDied(Exception):
    """Stands in for a kill: the worker stops between two steps, its lease left behind."""


@dataclass
class FakeSynthesizer:
    """Returns one hand-written template for every request, and remembers the requests."""

    template: dict[str, Any] = field(default_factory=templates.workspace)
    requests: list[SynthRequest] = field(default_factory=list)
    ready: bool = True

    async def synth(self, request: SynthRequest) -> SynthResult:
        self.requests.append(request)
        template = copy.deepcopy(self.template)
        return SynthResult(template=template, digest=sha256_of(template))

    def stats(self) -> dict[str, Any]:
        return {"synths": len(self.requests)}


@dataclass
class QueuePerStackSynthesizer:
    """One SQS queue named after the stack: stacks that moto creates side by side."""

    ready: bool = True

    async def synth(self, request: SynthRequest) -> SynthResult:
        name = request.context.stack_name
        queue = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}}
        template = {"Resources": {"Queue": queue}}
        return SynthResult(template=template, digest=sha256_of(template))

    def stats(self) -> dict[str, Any]:
        return {}
