"""Loading a bundle's templates in a synth worker: verified by digest, imported under an alias.

The bundle is unpacked into a folder of its own and imported once under its package's name;
its modules are then moved in ``sys.modules`` under ``datahub_bundle_<digest>.<package>``, so
two versions of one package live side by side and a bundle can never shadow a built-in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import io
import os
import pkgutil
import shutil
import sys
import tempfile
import threading
import types
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cdk_service.bundles.archive import top_level_package
from service_contract.errors import Conflict, InvalidInput, NotFound
from stack_catalog.contract import Template
from stack_catalog.registry import Registry, as_templates

BUNDLE_DIR_VARIABLE = "TEMPLATE_BUNDLE_DIR"
IMPORT_FAILED = "bundle_import_failed"
ALIAS_PREFIX = "datahub_bundle_"
_lock = threading.Lock()
_loaded: dict[str, BundleRegistry] = {}


class BundleRegistry(Registry):
    """The templates of one bundle; their code digest is the bundle's."""

    def __init__(
        self, templates: Iterable[Template], *, digest: str, examples: Mapping[str, Any]
    ) -> None:
        super().__init__(templates)
        self.bundle_digest = digest
        self.examples = dict(examples)

    def digest(self, name: str, version: str) -> str:
        """Every template of a bundle has the bundle's digest as its code digest."""
        return self.bundle_digest

    def example_params(self, template: Template) -> Mapping[str, Any] | None:
        """The example params the bundle gives for a template (by ``name@version`` or name)."""
        found = self.examples.get(f"{template.name}@{template.version}")
        return found if found is not None else self.examples.get(template.name)


def archive_path(digest: str, folder: Path | None = None) -> Path:
    """Where a worker finds a fetched bundle's archive."""
    root = folder if folder is not None else Path(os.environ[BUNDLE_DIR_VARIABLE])
    return root / f"{digest}.zip"


def bundle_registry(digest: str) -> BundleRegistry:
    """The bundle's templates, loaded once per process from the fetched archive."""
    with _lock:
        if digest not in _loaded:
            unpacked = Path(tempfile.gettempdir()) / "bundles"
            _loaded[digest] = load_bundle(archive_path(digest), digest, unpacked)
        return _loaded[digest]


def load_bundle(archive: Path, digest: str, unpack_root: Path) -> BundleRegistry:
    """Verify the archive's digest, unpack it into ``unpack_root/<digest>`` and import it."""
    try:
        data = archive.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            f"bundle {digest[:12]} is not on this worker", code="bundle_not_found"
        ) from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise Conflict(
            f"bundle {digest[:12]} does not match its digest: refused", code="bundle_corrupt"
        )
    folder = _unpacked(data, unpack_root / digest)
    package = top_level_package({p.relative_to(folder).as_posix(): b"" for p in _files(folder)})
    alias = f"{ALIAS_PREFIX}{digest[:32]}"
    module = _import_aliased(folder, package, alias)
    try:
        templates = [
            dataclasses.replace(t, stack=f"{alias}.{t.stack}")
            for t in as_templates(module, f"bundle {package}")
        ]
    except Exception as error:
        raise _import_failed(package, error) from error
    for template in templates:
        if not template.stack.startswith(f"{alias}.{package}"):
            raise InvalidInput(
                f"template {template.name} names stack {template.stack}, outside {package}",
                code=IMPORT_FAILED,
            )
    examples = getattr(module, "EXAMPLE_PARAMS", {})
    return BundleRegistry(templates, digest=digest, examples=examples)


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def _unpacked(data: bytes, folder: Path) -> Path:
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="unpacking-", dir=folder.parent))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(staging)  # names were checked at upload; the digest proves it
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not folder.is_dir():
            raise
    return folder


def _import_aliased(folder: Path, package: str, alias: str) -> types.ModuleType:
    """Import ``package`` from ``folder`` with all its modules, then move them under ``alias``."""
    if alias in sys.modules:
        return sys.modules[f"{alias}.{package}"]
    if package in sys.modules or importlib.util.find_spec(package) is not None:
        raise Conflict(
            f"bundle package {package} collides with a module the worker has",
            code="bundle_name_taken",
        )
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            importlib.import_module(info.name)
    except Exception as error:
        raise _import_failed(package, error) from error
    finally:
        sys.path.remove(str(folder))
        sys.path_importer_cache.pop(str(folder), None)
        own = [name for name in sys.modules if name == package or name.startswith(f"{package}.")]
        moved = {name: sys.modules.pop(name) for name in own}
    parent = types.ModuleType(alias)
    parent.__path__ = []
    sys.modules[alias] = parent
    for name, loaded in moved.items():
        sys.modules[f"{alias}.{name}"] = loaded
    return module


def _import_failed(package: str, error: Exception) -> InvalidInput:
    return InvalidInput(
        f"bundle package {package} fails to import: {type(error).__name__}: {error}",
        code=IMPORT_FAILED,
        field="bundle",
    )
