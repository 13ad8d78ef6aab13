"""A content-addressed folder of packaged file assets: the synth fills it, publishing reads it."""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cdk_service.cloudformation.assets import file_assets
from service_contract.errors import InvalidInput, NotFound

ASSET_ID_PATTERN = r"^[A-Za-z0-9._-]{1,128}$"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class DirectoryAssetSource:
    """File assets kept by asset id (a content hash) under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, asset_id: str) -> bytes:
        """The packaged bytes of an asset; ``NotFound`` when the synth did not stage it."""
        path = self.root / _checked(asset_id)
        if not path.is_file():
            raise NotFound(
                f"file asset {asset_id} was not staged in {self.root}", code="asset_missing"
            )
        return path.read_bytes()


def stage_file_assets(assembly_dir: Path, manifest: Mapping[str, Any], store: Path) -> list[str]:
    """Copy a synthesized stack's file assets into the store (zipping folders); their ids."""
    staged = []
    for asset_id, asset in file_assets(manifest):
        destination = store / _checked(asset_id)
        if not destination.exists():
            source = asset["source"]
            packed = _packaged(
                _inside(assembly_dir, source["path"]), source.get("packaging", "file")
            )
            _write_atomically(destination, packed)
        staged.append(asset_id)
    return staged


def _packaged(path: Path, packaging: str) -> bytes:
    if packaging == "zip" and path.is_dir():
        return _zip_folder(path)
    return path.read_bytes()


def _zip_folder(folder: Path) -> bytes:
    """A zip of the folder that depends only on its content (sorted, fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(path for path in folder.rglob("*") if path.is_file()):
            entry = zipfile.ZipInfo(file.relative_to(folder).as_posix(), date_time=ZIP_EPOCH)
            entry.external_attr = (file.stat().st_mode & 0o777) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, file.read_bytes())
    return buffer.getvalue()


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".staging-")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


def _inside(folder: Path, relative: str) -> Path:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise InvalidInput(
            f"asset path {relative!r} leaves the assembly", code="asset_path_invalid"
        )
    return path


def _checked(asset_id: str) -> str:
    if not re.match(ASSET_ID_PATTERN, asset_id) or asset_id in (".", ".."):
        raise InvalidInput(f"{asset_id!r} is not an asset id", code="asset_id_invalid")
    return asset_id
