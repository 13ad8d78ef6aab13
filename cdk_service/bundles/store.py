"""Where bundle archives are kept, by digest: the platform's S3 bucket, or the state folder."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import boto3
from botocore.exceptions import ClientError

from cdk_service.settings import Settings
from service_contract.errors import NotFound, UpstreamFailure

KEY_PREFIX = "template-bundles/"


class BundleStore(Protocol):
    """Content-addressed archives: written once, read by digest."""

    async def put(self, digest: str, archive: bytes) -> None: ...

    async def get(self, digest: str) -> bytes: ...


def bundle_store(settings: Settings) -> BundleStore:
    """The bucket when one is configured, else the local state folder."""
    if settings.bundle_bucket:
        return S3BundleStore(settings.bundle_bucket, endpoint_url=settings.aws_endpoint_url)
    return FolderBundleStore(settings.state_dir / "bundles")


def _missing(digest: str) -> NotFound:
    return NotFound(f"bundle {digest[:12]} is not in the bundle store", code="bundle_not_found")


class FolderBundleStore:
    """Archives as ``<digest>.zip`` files in a folder."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def put(self, digest: str, archive: bytes) -> None:
        """Write the archive unless it is there already (the name is its content)."""
        await asyncio.to_thread(write_atomically, self._folder / f"{digest}.zip", archive)

    async def get(self, digest: str) -> bytes:
        """The archive, or ``bundle_not_found``."""
        try:
            return await asyncio.to_thread((self._folder / f"{digest}.zip").read_bytes)
        except FileNotFoundError:
            raise _missing(digest) from None


class S3BundleStore:
    """Archives as objects ``template-bundles/<digest>.zip`` in a bucket."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None) -> None:
        self._bucket = bucket
        self._endpoint_url = endpoint_url
        self._client: Any = None

    def _s3(self) -> Any:
        if self._client is None:
            self._client = boto3.client("s3", endpoint_url=self._endpoint_url)
        return self._client

    async def put(self, digest: str, archive: bytes) -> None:
        """Upload the archive, with its SHA-256 checked by S3."""
        await asyncio.to_thread(self._put, digest, archive)

    def _put(self, digest: str, archive: bytes) -> None:
        try:
            self._s3().put_object(
                Bucket=self._bucket, Key=f"{KEY_PREFIX}{digest}.zip", Body=archive
            )
        except ClientError as error:
            raise UpstreamFailure(
                f"cannot store bundle: {error}", code="bundle_store_failed"
            ) from error

    async def get(self, digest: str) -> bytes:
        """The archive, or ``bundle_not_found``."""
        return await asyncio.to_thread(self._get, digest)

    def _get(self, digest: str) -> bytes:
        try:
            answer = self._s3().get_object(Bucket=self._bucket, Key=f"{KEY_PREFIX}{digest}.zip")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise _missing(digest) from None
            raise UpstreamFailure(
                f"cannot read bundle: {error}", code="bundle_store_failed"
            ) from error
        body: bytes = answer["Body"].read()
        return body


def write_atomically(path: Path, content: bytes) -> None:
    """Write a file whole or not at all (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
