"""Bringing a bundle's archive next to the synth workers that will load it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from cdk_service.bundles.archive import digest_of
from cdk_service.bundles.loading import archive_path
from cdk_service.bundles.store import BundleStore, write_atomically
from service_contract.errors import Conflict, NotFound


async def fetch_bundle(store: BundleStore | None, digest: str, folder: Path) -> Path:
    """The archive's local path, fetched from the store when missing; verified before use."""
    path = archive_path(digest, folder)
    if path.is_file():
        return path  # the worker verifies the digest again before importing
    if store is None:
        raise NotFound(f"bundle {digest[:12]} cannot be fetched here", code="bundle_not_found")
    archive = await store.get(digest)
    if digest_of(archive) != digest:
        raise Conflict(
            f"the stored bundle {digest[:12]} does not match its digest", code="bundle_corrupt"
        )
    await asyncio.to_thread(write_atomically, path, archive)
    return path
