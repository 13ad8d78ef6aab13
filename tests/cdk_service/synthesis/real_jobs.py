"""The real synthesizer on a pool of one warm worker, and a built-in template to ask it for."""

from __future__ import annotations

from pathlib import Path

from cdk_service.synthesis.models import SynthRequest, SynthResult
from cdk_service.synthesis.pool import SynthPool
from stack_catalog.registry import Registry
from tests.cdk_service.synthesis.fake_jobs import CONTEXT

TEMPLATE, VERSION = "ingestion-queue", "1.0.0"


def real_pool(tmp_root: Path) -> SynthPool:
    """An unstarted pool of one worker running the real synthesizer (jsii, cdk-nag)."""
    return SynthPool(
        workers=1, recycle_after=10, timeout_seconds=60, warm_timeout_seconds=120, tmp_root=tmp_root
    )


def queue_request(code_digest: str | None = None) -> SynthRequest:
    """An ingestion-queue 1.0.0 synth, made for this checkout's code unless told otherwise."""
    return SynthRequest(
        template=TEMPLATE,
        version=VERSION,
        code_digest=code_digest or Registry.discover().digest(TEMPLATE, VERSION),
        params={"queue_name": "orders"},
        context=CONTEXT,
    )


def queue_types(result: SynthResult) -> set[str]:
    """The resource types of a synthesized template."""
    return {resource["Type"] for resource in result.template["Resources"].values()}
