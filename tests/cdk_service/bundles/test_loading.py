"""Loading bundles in a synth worker process: verified, aliased, side by side, never shadowing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cdk_service.bundles.archive import Limits, normalised_archive, read_bundle
from cdk_service.bundles.loading import ALIAS_PREFIX, load_bundle
from service_contract.errors import Conflict
from tests.cdk_service.bundles.bundles import kit_bundle


def stored(tmp_path: Path, data: bytes) -> tuple[Path, str]:
    bundle = read_bundle(data, limits=Limits())
    path = tmp_path / f"{bundle.digest}.zip"
    path.write_bytes(bundle.archive)
    return path, bundle.digest


def test_two_versions_of_one_package_load_side_by_side(tmp_path: Path) -> None:
    first = stored(tmp_path, kit_bundle(tmp_path / "a", version="1.0.0"))
    second = stored(tmp_path, kit_bundle(tmp_path / "b", version="2.0.0"))

    one = load_bundle(*first, tmp_path / "unpacked")
    two = load_bundle(*second, tmp_path / "unpacked")

    old, new = one.get("team-setting", "1.0.0"), two.get("team-setting", "2.0.0")
    assert old is not None and new is not None
    assert old.stack.startswith(f"{ALIAS_PREFIX}{first[1][:32]}.team_setting_template.")
    assert new.stack.startswith(f"{ALIAS_PREFIX}{second[1][:32]}.team_setting_template.")
    assert old.load_stack_class() is not new.load_stack_class()
    assert one.digest("team-setting", "1.0.0") == first[1]
    assert one.example_params(old) == {"setting_name": "example"}
    # Nothing answers to the package's own name: a later bundle or import cannot be shadowed.
    assert "team_setting_template" not in sys.modules
    assert load_bundle(*first, tmp_path / "unpacked") is not None  # loading again is harmless


def test_an_archive_that_does_not_match_its_digest_is_not_imported(tmp_path: Path) -> None:
    path, digest = stored(tmp_path, kit_bundle(tmp_path / "a"))
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(Conflict) as refused:
        load_bundle(path, digest, tmp_path / "unpacked")
    assert refused.value.code == "bundle_corrupt"
    assert not (tmp_path / "unpacked" / digest).exists()


def test_a_package_that_would_shadow_a_module_is_not_imported(tmp_path: Path) -> None:
    data = kit_bundle(tmp_path / "a")
    renamed = read_bundle(data, limits=Limits()).files
    files = {k.replace("team_setting_template/", "json/"): v for k, v in renamed.items()}
    path, digest = stored(tmp_path, normalised_archive(files))
    with pytest.raises(Conflict) as refused:
        load_bundle(path, digest, tmp_path / "unpacked")
    assert refused.value.code == "bundle_name_taken"
