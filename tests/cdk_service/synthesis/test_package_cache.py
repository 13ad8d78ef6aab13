"""jsii's package cache: a root the worker cannot write is dropped, never fatal to synthesis."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cdk_service.synthesis import synthesizer
from tests.cdk_service.synthesis.real_jobs import queue_request, queue_types, real_pool

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
    (tmp_path / "a-file").write_text("")
    # jsii alone would refuse to start: "Cannot use the jsii package cache in ...".
    monkeypatch.setenv(ROOT, str(tmp_path / "a-file" / "jsii"))
    pool = real_pool(tmp_path / "synth")
    await pool.start()
    try:
        result = await pool.synthesize(queue_request())
    finally:
        await pool.close()

    assert "AWS::SQS::Queue" in queue_types(result)
