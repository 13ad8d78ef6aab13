"""Fixtures for catalog tests: templates synthesized in this warm process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cdk_service.synthesis import synthesizer
from cdk_service.synthesis.models import SynthRequest, SynthResult
from stack_catalog.registry import Registry
from tests.stack_catalog.template_queries import deploy_context

Synth = Callable[..., SynthResult]


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    """Synthesizes a built-in template version in this (warm) process, once per argument set."""
    synthesizer.warm()
    registry = Registry.discover()
    results: dict[str, SynthResult] = {}
    root = tmp_path_factory.mktemp("synth")

    def run(
        template: str, params: dict[str, Any], *, version: str = "1.0.0", **context: Any
    ) -> SynthResult:
        request = SynthRequest(
            template=template,
            version=version,
            code_digest=registry.digest(template, version),
            params=params,
            context=deploy_context(**context),
        )
        key = request.cache_key()
        if key not in results:
            outdir = root / key
            try:
                results[key] = synthesizer.synthesize(request, outdir, registry=registry)
            finally:
                shutil.rmtree(outdir, ignore_errors=True)
        return results[key]

    yield run
    shutil.rmtree(root, ignore_errors=True)
