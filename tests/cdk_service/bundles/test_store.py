"""Bundle stores by digest (moto's S3 on loopback, the state folder) and fetching with checks."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from cdk_service.bundles.archive import digest_of
from cdk_service.bundles.fetching import fetch_bundle
from cdk_service.bundles.store import BundleStore, FolderBundleStore, S3BundleStore, bundle_store
from cdk_service.settings import Settings
from service_contract.errors import Conflict, NotFound

BUCKET = "datahub-platform-bundles"
ARCHIVE = b"PK-not-really-a-zip-but-bytes"


@pytest.fixture
def s3_store(fake_credentials: None, fresh_moto: None, moto_url: str) -> S3BundleStore:
    boto3.client("s3", endpoint_url=moto_url).create_bucket(Bucket=BUCKET)
    return S3BundleStore(BUCKET, endpoint_url=moto_url)


@pytest.fixture(params=["s3", "folder"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BundleStore:
    if request.param == "s3":
        s3: BundleStore = request.getfixturevalue("s3_store")
        return s3
    return FolderBundleStore(tmp_path / "store")


async def test_an_archive_is_read_back_by_its_digest(store: BundleStore) -> None:
    digest = digest_of(ARCHIVE)
    await store.put(digest, ARCHIVE)
    assert await store.get(digest) == ARCHIVE
    with pytest.raises(NotFound) as missing:
        await store.get("0" * 64)
    assert missing.value.code == "bundle_not_found"


async def test_a_worker_fetches_a_missing_bundle_once_and_checks_its_digest(
    store: BundleStore, tmp_path: Path
) -> None:
    digest = digest_of(ARCHIVE)
    await store.put(digest, ARCHIVE)
    local = tmp_path / "worker-bundles"
    path = await fetch_bundle(store, digest, local)
    assert path.read_bytes() == ARCHIVE
    assert await fetch_bundle(None, digest, local) == path  # there already: no store needed

    tampered = digest_of(b"other")
    await store.put(tampered, ARCHIVE)  # stored under a name that is not its digest
    with pytest.raises(Conflict) as corrupt:
        await fetch_bundle(store, tampered, local)
    assert corrupt.value.code == "bundle_corrupt"
    assert not (local / f"{tampered}.zip").exists()


def test_the_bucket_is_used_when_configured_else_the_state_folder(tmp_path: Path) -> None:
    assert isinstance(bundle_store(Settings(state_dir=tmp_path)), FolderBundleStore)
    configured = Settings(state_dir=tmp_path, bundle_bucket=BUCKET)
    assert isinstance(bundle_store(configured), S3BundleStore)
