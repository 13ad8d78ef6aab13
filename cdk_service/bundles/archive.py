"""A bundle's archive: read safely, normalised, and named by the SHA-256 of its normal form.

An upload is a zip (a wheel is one too). Entries are checked before anything is unpacked:
no path may leave the bundle's folder, no entry may be a link, and sizes are bounded. The
normal form holds the same files in name order with fixed timestamps, so the same files
always give the same digest, whoever zipped them.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from service_contract.errors import InvalidInput, PayloadTooLarge

UNSAFE_PATH = "bundle_unsafe_path"
TOO_LARGE = "bundle_too_large"
NOT_A_BUNDLE = "bundle_invalid"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
# Left out when a folder is packed: build and editor leftovers, never template code.
SKIPPED_PARTS = frozenset({"__pycache__", ".git", ".venv", ".pytest_cache", ".mypy_cache"})


@dataclass(frozen=True)
class Limits:
    """Bounds of an upload: the whole bundle (packed and unpacked) and each file."""

    bundle_bytes: int = 5 * 1024 * 1024
    file_bytes: int = 1024 * 1024
    files: int = 500


@dataclass(frozen=True)
class Bundle:
    """A bundle's files by relative path, its normalised archive and that archive's digest."""

    files: dict[str, bytes]
    archive: bytes
    digest: str

    @property
    def package(self) -> str:
        """The one top-level Python package the bundle provides."""
        return top_level_package(self.files)


def digest_of(archive: bytes) -> str:
    """SHA-256 hex digest of a normalised archive: the bundle's name in storage."""
    return hashlib.sha256(archive).hexdigest()


def read_bundle(data: bytes, *, limits: Limits) -> Bundle:
    """The bundle in an uploaded zip, or the first reason to refuse it."""
    if len(data) > limits.bundle_bytes:
        raise _too_large(f"the bundle is {len(data)} bytes, over the {limits.bundle_bytes} limit")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput("the bundle is not a zip archive", code=NOT_A_BUNDLE) from None
    with archive:
        files = _checked_files(archive, limits)
    top_level_package(files)
    normal = normalised_archive(files)
    return Bundle(files=files, archive=normal, digest=digest_of(normal))


def pack_folder(folder: Path) -> bytes:
    """A template package's folder as a normalised archive (links are kept, to be refused)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if SKIPPED_PARTS.intersection(relative.parts) or path.suffix == ".pyc":
                continue
            if path.is_symlink():
                info = zipfile.ZipInfo(relative.as_posix(), FIXED_TIME)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, str(path.readlink()))
            elif path.is_file():
                archive.writestr(_entry(relative.as_posix()), path.read_bytes())
    return buffer.getvalue()


def normalised_archive(files: dict[str, bytes]) -> bytes:
    """The files as a zip in name order with fixed timestamps and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(_entry(name), files[name])
    return buffer.getvalue()


def top_level_package(files: dict[str, bytes]) -> str:
    """The one folder at the top with an ``__init__.py``; refused unless there is exactly one."""
    packages = sorted(
        name.split("/")[0]
        for name in files
        if name.count("/") == 1 and name.endswith("/__init__.py")
    )
    if len(packages) != 1:
        found = ", ".join(packages) or "none"
        raise InvalidInput(
            f"a bundle holds exactly one top-level Python package (found: {found})",
            code=NOT_A_BUNDLE,
        )
    return packages[0]


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _checked_files(archive: zipfile.ZipFile, limits: Limits) -> dict[str, bytes]:
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > limits.files:
        raise _too_large(f"the bundle has {len(entries)} files, over the {limits.files} limit")
    if sum(info.file_size for info in entries) > limits.bundle_bytes:
        raise _too_large(f"the bundle unpacks to over {limits.bundle_bytes} bytes")
    files: dict[str, bytes] = {}
    for info in entries:
        name = safe_name(info)
        if info.file_size > limits.file_bytes:
            raise _too_large(
                f"{name} is {info.file_size} bytes, over the {limits.file_bytes} limit"
            )
        # Read at most one byte past the limit: a header may lie about the size.
        with archive.open(info) as member:
            content = member.read(limits.file_bytes + 1)
        if len(content) > limits.file_bytes:
            raise _too_large(f"{name} unpacks to over {limits.file_bytes} bytes")
        files[name] = content
    return files


def safe_name(info: zipfile.ZipInfo) -> str:
    """The entry's path inside the bundle, or ``bundle_unsafe_path`` if it is a link or escapes."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _unsafe(name, "is a symbolic link")
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith(("/", "\\")) or (path.parts and ":" in path.parts[0]):
        raise _unsafe(name, "is an absolute path")
    if ".." in path.parts:
        raise _unsafe(name, "leaves the bundle's folder")
    if not path.parts or any(part in ("", ".") for part in name.split("/")):
        raise _unsafe(name, "is not a plain relative path")
    return path.as_posix()


def _unsafe(name: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"bundle entry {name!r} {why}", code=UNSAFE_PATH, field="bundle", details={"entry": name}
    )


def _too_large(message: str) -> PayloadTooLarge:
    return PayloadTooLarge(message, code=TOO_LARGE, field="bundle")
