"""jsii's package cache: a root the worker cannot write is dropped, never fatal to synthesis."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cdk_service.synthesis import synthesizer
from cdk_service.synthesis.pool import SynthPool
from tests.cdk_service.synthesis.fake_jobs import CONTEXT

ROOT = synthesizer.PACKAGE_CACHE_ROOT


def test_a_writable_cache_root_is_kept_and_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache" / "jsii"
    monkeypatch.setenv(ROOT, str(root))

    synthesizer.usable_package_cache()

    assert root.is_dir()
    assert os.environ[ROOT] == str(root)


def test_a_cache_root_that_cannot_be_made_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv(ROOT, str(tmp_path / "a-file" / "jsii"))

    synthesizer.usable_package_cache()

    assert ROOT not in os.environ


async def test_a_worker_given_an_unusable_cache_root_still_warms_and_synthesizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdk_service.synthesis.models import SynthRequest
    from stack_catalog.registry import Registry

    (tmp_path / "a-file").write_text("")
    # jsii alone would refuse to start: "Cannot use the jsii package cache in ...".
    monkeypatch.setenv(ROOT, str(tmp_path / "a-file" / "jsii"))
    digest = Registry.discover().digest("ingestion-queue", "1.0.0")
    pool = SynthPool(
        workers=1,
        recycle_after=10,
        timeout_seconds=60,
        warm_timeout_seconds=120,
        tmp_root=tmp_path / "synth",
    )
    await pool.start()
    try:
        result = await pool.synthesize(
            SynthRequest(
                template="ingestion-queue",
                version="1.0.0",
                code_digest=digest,
                params={"queue_name": "orders"},
                context=CONTEXT,
            )
        )
    finally:
        await pool.close()

    assert "AWS::SQS::Queue" in {r["Type"] for r in result.template["Resources"].values()}
