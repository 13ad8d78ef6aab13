"""What a bundle imports, against what the service's environment provides.

A bundle runs in the service's image, so it may import only the standard library, itself, and
the distributions the service installs (its own requirements, followed transitively). Checked
statically: nothing of the bundle runs here.
"""

from __future__ import annotations

import ast
import re
import sys
from email.parser import HeaderParser
from functools import cache
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from cdk_service.bundles.archive import Bundle
from service_contract.errors import InvalidInput

MISSING_PACKAGES = "bundle_missing_packages"
SERVICE_DISTRIBUTION = "datahub-platform"
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalised(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def provided_distributions() -> frozenset[str]:
    """The service's distribution and everything it requires, transitively."""
    seen: set[str] = set()
    pending = [SERVICE_DISTRIBUTION]
    while pending:
        name = normalised(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = requires(name) or []
        except PackageNotFoundError:
            continue
        for requirement in requirements:
            # Extras are left out: the image has a few (celery[redis,sqs]), none a template needs,
            # and a package's test or docs extras are not installed at all.
            if "extra ==" in requirement:
                continue
            if match := REQUIREMENT_NAME.match(requirement):
                pending.append(match.group(1))
    return frozenset(seen)


@cache
def provided_modules() -> frozenset[str]:
    """Top-level module names a bundle may import: the standard library and the provided ones."""
    provided = provided_distributions()
    installed = {
        module
        for module, distributions in packages_distributions().items()
        if any(normalised(d) in provided for d in distributions)
    }
    return frozenset(installed | set(sys.stdlib_module_names))


def imported_modules(source: str) -> set[str]:
    """Top-level names of the absolute imports in one Python file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def declared_requirements(bundle: Bundle) -> set[str]:
    """The ``Requires-Dist`` names of a wheel's metadata (none for a plain folder)."""
    names: set[str] = set()
    for path, content in bundle.files.items():
        if path.count("/") == 1 and path.endswith(".dist-info/METADATA"):
            headers = HeaderParser().parsestr(content.decode("utf-8", "replace"))
            for requirement in headers.get_all("Requires-Dist") or []:
                if "extra ==" not in requirement and (m := REQUIREMENT_NAME.match(requirement)):
                    names.add(m.group(1))
    return names


def check_imports(bundle: Bundle) -> None:
    """Raise ``bundle_missing_packages`` naming what the bundle needs that the image lacks."""
    package = bundle.package
    imported: set[str] = set()
    for path, content in bundle.files.items():
        if path.startswith(f"{package}/") and path.endswith(".py"):
            try:
                imported |= imported_modules(content.decode())
            except (SyntaxError, UnicodeDecodeError, ValueError) as error:
                raise InvalidInput(
                    f"{path} is not valid Python: {error}",
                    code="bundle_import_failed",
                    field="bundle",
                ) from None
    modules = provided_modules()
    missing = sorted(name for name in imported - {package} if name not in modules)
    provided = provided_distributions()
    missing += sorted(
        name for name in declared_requirements(bundle) if normalised(name) not in provided
    )
    if missing:
        raise InvalidInput(
            f"the bundle needs packages the service does not provide: {', '.join(missing)}",
            code=MISSING_PACKAGES,
            field="bundle",
            details={"missing": missing},
        )
