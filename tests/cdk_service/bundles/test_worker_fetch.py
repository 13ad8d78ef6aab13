"""Warm synth workers get bundles they lack from the store, by digest, with no restart; a new
pool (a restarted worker task) fetches them again; a built-in and two bundles share a worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_service.bundles.archive import Limits, read_bundle
from cdk_service.bundles.store import FolderBundleStore
from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.models import SynthRequest
from cdk_service.synthesis.service import SynthService
from service_contract.errors import NotFound
from tests.cdk_service.bundles.bundles import kit_bundle
from tests.cdk_service.synthesis.fake_jobs import CONTEXT
from tests.cdk_service.synthesis.real_jobs import queue_request, real_pool


def bundle_request(digest: str, version: str) -> SynthRequest:
    return SynthRequest(
        template="team-setting",
        version=version,
        code_digest=digest,
        bundle_digest=digest,
        params={"setting_name": "flags", "value": "on"},
        context=CONTEXT,
    )


def parameter_value(template: dict[str, object]) -> object:
    resources = template["Resources"]
    assert isinstance(resources, dict)
    [parameter] = [r for r in resources.values() if r["Type"] == "AWS::SSM::Parameter"]
    return parameter["Properties"]["Value"]


async def test_workers_fetch_bundles_by_digest_across_pools(tmp_path: Path) -> None:
    store = FolderBundleStore(tmp_path / "store")
    upper = ("string_value=params.value", "string_value=params.value.upper()")
    bundles = [
        read_bundle(kit_bundle(tmp_path / "a", version="1.0.0"), limits=Limits()),
        read_bundle(kit_bundle(tmp_path / "b", version="1.1.0", stack=upper), limits=Limits()),
    ]
    first, second = (
        bundle_request(b.digest, v) for b, v in zip(bundles, ("1.0.0", "1.1.0"), strict=True)
    )

    pool = real_pool(tmp_path / "pool-1")
    await pool.start()
    service = SynthService(pool, SynthCache(0), store)
    try:
        with pytest.raises(NotFound) as missing:  # not uploaded yet: not in the store
            await service.synth(first)
        assert missing.value.code == "bundle_not_found"
        for bundle in bundles:  # uploaded while the worker runs
            await store.put(bundle.digest, bundle.archive)
        assert parameter_value((await service.synth(first)).template) == "on"
        assert parameter_value((await service.synth(second)).template) == "ON"
        assert (await service.synth(queue_request())).template["Resources"]  # built-ins too
    finally:
        await pool.close()

    restarted = real_pool(tmp_path / "pool-2")  # a new task: nothing on its disk yet
    await restarted.start()
    try:
        result = await SynthService(restarted, SynthCache(0), store).synth(second)
        assert parameter_value(result.template) == "ON"
        assert (restarted.bundle_dir / f"{bundles[1].digest}.zip").is_file()
    finally:
        await restarted.close()
