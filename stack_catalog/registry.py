"""Discovers catalog templates: the built-ins and any package declaring ``datahub.templates``."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

from stack_catalog.contract import Template

ENTRY_POINT_GROUP = "datahub.templates"
BUILTIN_MODULES = (
    "stack_catalog.templates.data_environment",
    "stack_catalog.templates.data_environment_v2",
    "stack_catalog.templates.dataset",
    "stack_catalog.templates.dataset_v2",
    "stack_catalog.templates.ingestion_queue",
)


class RegistryError(Exception):
    """Two templates claim the same name and version, or an entry point is not a template."""


def code_digest(template: Template) -> str:
    """SHA-256 over the source files of the package that defines the template's stack."""
    module_name = template.stack.partition(":")[0]
    package = module_name.rpartition(".")[0] or module_name
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RegistryError(f"cannot locate the code of template {template.name}")
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def as_templates(value: object, origin: str) -> Iterator[Template]:
    """Accepts a template, an iterable of templates, or a module exposing ``TEMPLATES``."""
    if isinstance(value, Template):
        yield value
        return
    value = getattr(value, "TEMPLATES", value)
    if isinstance(value, Template):
        yield value
        return
    if not isinstance(value, Iterable):
        raise RegistryError(f"{origin} does not provide datahub templates")
    for item in value:
        if not isinstance(item, Template):
            raise RegistryError(f"{origin} provides {item!r}, which is not a Template")
        yield item


def _discovered() -> Iterator[tuple[str, Template]]:
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        yield from ((module_name, t) for t in as_templates(module, module_name))
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        origin = f"entry point {entry.name} ({entry.value})"
        yield from ((origin, t) for t in as_templates(entry.load(), origin))


class Registry:
    """The templates known to this process's code, keyed by (name, version)."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self._templates: dict[tuple[str, str], Template] = {}
        for template in templates:
            if template.key in self._templates and self._templates[template.key] is not template:
                raise RegistryError(
                    f"template {template.name} {template.version} is declared twice"
                )
            self._templates[template.key] = template
        self._digests: dict[tuple[str, str], str] = {}

    @classmethod
    def discover(cls) -> Registry:
        """Built-in templates plus every installed ``datahub.templates`` entry point."""
        seen: dict[tuple[str, str], str] = {}
        templates = []
        for origin, template in _discovered():
            if template.key in seen and seen[template.key] != origin:
                raise RegistryError(
                    f"template {template.name} {template.version} is declared by both "
                    f"{seen[template.key]} and {origin}"
                )
            if template.key not in seen:
                seen[template.key] = origin
                templates.append(template)
        return cls(templates)

    def __iter__(self) -> Iterator[Template]:
        return iter(sorted(self._templates.values(), key=lambda t: t.key))

    def __len__(self) -> int:
        return len(self._templates)

    def get(self, name: str, version: str) -> Template | None:
        """The template version, or None when this code does not have it."""
        return self._templates.get((name, version))

    def digest(self, name: str, version: str) -> str:
        """The code digest of a template version (computed once per process)."""
        key = (name, version)
        if key not in self._digests:
            self._digests[key] = code_digest(self._templates[key])
        return self._digests[key]
