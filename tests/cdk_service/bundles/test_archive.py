"""Reading an uploaded archive: unsafe paths, links and sizes refused; one digest per content."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_service.bundles.archive import Limits, pack_folder, read_bundle
from service_contract.errors import InvalidInput, PayloadTooLarge
from tests.cdk_service.bundles.bundles import zipped

PACKAGE = {"pkg/__init__.py": b"TEMPLATES = []\n"}


@pytest.mark.parametrize(
    "entry", ["../escape.py", "pkg/../../escape.py", "/etc/cron.d/job", "C:/windows/x.py"]
)
def test_an_entry_outside_the_bundle_folder_is_refused(entry: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_bundle(zipped({**PACKAGE, entry: b"x"}), limits=Limits())
    assert refused.value.code == "bundle_unsafe_path"
    assert refused.value.details == {"entry": entry}


def test_a_symbolic_link_is_refused() -> None:
    archive = zipped(PACKAGE, links={"pkg/secrets.py": "/etc/shadow"})
    with pytest.raises(InvalidInput) as refused:
        read_bundle(archive, limits=Limits())
    assert refused.value.code == "bundle_unsafe_path"
    assert "symbolic link" in refused.value.message


def test_a_packed_folder_keeps_its_links_so_that_they_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "leak.py").symlink_to("/etc/hostname")
    with pytest.raises(InvalidInput) as refused:
        read_bundle(pack_folder(tmp_path), limits=Limits())
    assert refused.value.code == "bundle_unsafe_path"


def test_an_oversize_bundle_is_refused() -> None:
    archive = zipped({**PACKAGE, "pkg/data.py": b"#" * 5000})
    with pytest.raises(PayloadTooLarge) as refused:
        read_bundle(archive, limits=Limits(bundle_bytes=len(archive) - 1, file_bytes=10_000))
    assert refused.value.code == "bundle_too_large"


def test_a_bundle_that_unpacks_past_the_limit_is_refused() -> None:
    # Compresses to a few hundred bytes, unpacks to 2 MB: the unpacked size counts.
    archive = zipped({**PACKAGE, "pkg/a.py": b"0" * 1_000_000, "pkg/b.py": b"0" * 1_000_000})
    with pytest.raises(PayloadTooLarge) as refused:
        read_bundle(archive, limits=Limits(bundle_bytes=1_500_000, file_bytes=1_100_000))
    assert refused.value.code == "bundle_too_large"


def test_an_oversize_file_is_refused() -> None:
    archive = zipped({**PACKAGE, "pkg/big.py": b"0" * 2000})
    with pytest.raises(PayloadTooLarge) as refused:
        read_bundle(archive, limits=Limits(file_bytes=1999))
    assert refused.value.code == "bundle_too_large"
    assert "pkg/big.py" in refused.value.message


def test_not_a_zip_or_not_one_package_is_refused() -> None:
    for data in (b"not a zip", zipped({"a/__init__.py": b"", "b/__init__.py": b""})):
        with pytest.raises(InvalidInput) as refused:
            read_bundle(data, limits=Limits())
        assert refused.value.code == "bundle_invalid"


def test_the_same_files_give_the_same_digest_whatever_their_order_in_the_zip() -> None:
    files = {**PACKAGE, "pkg/stack.py": b"X = 1\n", "README.md": b"hi"}
    reordered = dict(reversed(list(files.items())))
    first = read_bundle(zipped(files), limits=Limits())
    second = read_bundle(zipped(reordered), limits=Limits())
    assert first.digest == second.digest
    assert first.package == "pkg"
    changed = read_bundle(zipped({**files, "pkg/stack.py": b"X = 2\n"}), limits=Limits())
    assert changed.digest != first.digest
