"""Staging file assets from a synthesized assembly so they outlive its folder."""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from cdk_service.cloudformation.asset_store import DirectoryAssetSource, stage_file_assets
from service_contract.errors import InvalidInput, NotFound

FOLDER_ASSET = "a1" * 32
FILE_ASSET = "b2" * 32


def assembly(root: Path) -> tuple[Path, dict]:
    """An assembly folder with a zipped folder asset, a file asset and the stack template."""
    folder = root / f"asset.{FOLDER_ASSET}"
    (folder / "lib").mkdir(parents=True)
    (folder / "index.py").write_text("def handler(event, context): ...\n")
    (folder / "lib" / "util.py").write_text("VALUE = 1\n")
    (root / f"asset.{FILE_ASSET}.json").write_text('{"seed": true}')
    (root / "stack.template.json").write_text("{}")
    files = {
        FOLDER_ASSET: {"source": {"path": f"asset.{FOLDER_ASSET}", "packaging": "zip"}},
        FILE_ASSET: {"source": {"path": f"asset.{FILE_ASSET}.json", "packaging": "file"}},
        "c3" * 32: {"source": {"path": "stack.template.json", "packaging": "file"}},
    }
    return root, {"files": files, "dockerImages": {}}


def test_staged_assets_can_be_read_after_the_assembly_is_gone(tmp_path: Path) -> None:
    root, manifest = assembly(tmp_path / "cdk.out")
    store = tmp_path / "assets"

    staged = stage_file_assets(root, manifest, store)

    assert staged == [FOLDER_ASSET, FILE_ASSET]
    source = DirectoryAssetSource(store)
    assert source.read(FILE_ASSET) == b'{"seed": true}'
    with zipfile.ZipFile(BytesIO(source.read(FOLDER_ASSET))) as archive:
        assert archive.namelist() == ["index.py", "lib/util.py"]


def test_a_folder_zips_to_the_same_bytes_whatever_its_timestamps(tmp_path: Path) -> None:
    root, manifest = assembly(tmp_path / "cdk.out")
    stage_file_assets(root, manifest, tmp_path / "first")
    os.utime(root / f"asset.{FOLDER_ASSET}" / "index.py", (1, 1))
    stage_file_assets(root, manifest, tmp_path / "second")

    assert (tmp_path / "first" / FOLDER_ASSET).read_bytes() == (
        tmp_path / "second" / FOLDER_ASSET
    ).read_bytes()


def test_an_asset_never_staged_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as missing:
        DirectoryAssetSource(tmp_path).read(FILE_ASSET)

    assert missing.value.code == "asset_missing"


def test_paths_outside_the_assembly_are_refused(tmp_path: Path) -> None:
    escaping = {"files": {FILE_ASSET: {"source": {"path": "../../etc/passwd"}}}}

    with pytest.raises(InvalidInput):
        stage_file_assets(tmp_path, escaping, tmp_path / "store")
    with pytest.raises(InvalidInput):
        DirectoryAssetSource(tmp_path).read("../secret")
