"""Bundles for tests: made by the template kit, edited, or hand-built hostile zips; uploads."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from cdk_service.bundles.archive import pack_folder
from datahubctl.cli.template_kit import package_name, write_template_package
from service_contract import signing
from service_contract.identity import Identity

UPLOAD_PATH = "/v1/template-bundles"


def kit_bundle(
    folder: Path, name: str = "team-setting", version: str = "1.0.0", **edits: tuple[str, str]
) -> bytes:
    """A package written by ``templates new``, with ``file=(old, new)`` edits, packed."""
    root = write_template_package(folder / f"{name}-{version}", name, version=version)
    package = package_name(name)
    for module, (old, new) in edits.items():
        path = root / package / f"{module}.py"
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new))
    return pack_folder(root)


def zipped(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A zip of ``files`` as given (names unchecked), plus symbolic links ``name -> target``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


async def upload(
    client: TestClient, identity: Identity, data: bytes, *, key: str
) -> tuple[int, Any]:
    """POST a bundle signed as ``identity``; the status and decoded answer."""
    headers = signing.sign(
        key.encode(), method="POST", path=UPLOAD_PATH, body=data, identity=identity
    )
    headers["Content-Type"] = "application/octet-stream"
    response = await client.post(UPLOAD_PATH, data=data, headers=headers)
    return response.status, json.loads(await response.read() or b"null")
