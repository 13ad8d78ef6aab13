"""The Lambda bundles: this repository's sources the Lambdas import, and their dependencies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks import functions

from bootstrap.bundles import (
    CUSTOM_RESOURCES,
    LAMBDA_LOCK,
    LambdaRuntime,
    build_lambda_bundle,
    custom_resources_bundle,
    install_command,
    with_bundle,
)
from scripts.check_lock import canonical, locked

# What the Lambda runtime provides itself (Python 3.14's managed runtime bundles boto3).
LAMBDA_RUNTIME_PACKAGES = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six"}
# Imported when installed, not needed: structlog's console renderer uses rich (and its pygments).
OPTIONAL = {"rich", "pygments"}
OURS = (
    "api_lambdas",
    "bootstrap",
    "cdk_service",
    "datahub_platform",
    "datahubctl",
    "service_contract",
    "stack_catalog",
)
HANDLER_OF = {h.module: h for h in vars(functions).values() if isinstance(h, functions.Handler)}
HANDLERS = sorted(HANDLER_OF)
# Run in a fresh interpreter: import every handler, then name the distribution of every
# third-party module that got loaded (extension-made modules such as cython_runtime have none).
IMPORTED_DISTRIBUTIONS = """
import importlib, json, sys
from importlib import metadata
handlers, ours = sys.argv[1].split(","), set(sys.argv[2].split(","))
for module in handlers:
    importlib.import_module(module)
owners = metadata.packages_distributions()
top = {name.partition(".")[0] for name in list(sys.modules) if not name.startswith("_")}
third_party = top - set(sys.stdlib_module_names) - ours
print(json.dumps(sorted({d for m in third_party for d in owners.get(m, [])})))
"""
# Run in a fresh interpreter in a bundle's folder (first on sys.path): import the handler, then
# name every module of ours that came from anywhere else (this repository, installed editable).
IMPORTED_FROM_ELSEWHERE = """
import importlib, json, os, sys
handler, ours = sys.argv[1], set(sys.argv[2].split(","))
importlib.import_module(handler)
here = os.getcwd() + os.sep
print(json.dumps(sorted(
    name for name, module in sys.modules.items()
    if name.partition(".")[0] in ours
    and not (getattr(module, "__file__", None) or "").startswith(here)
)))
"""


def test_the_bundle_holds_the_packages_without_caches_or_development_parts(
    tmp_path: Path,
) -> None:
    dependencies = tmp_path / "deps"
    (dependencies / "pydantic").mkdir(parents=True)
    (dependencies / "pydantic" / "__init__.py").write_text("")

    bundle = build_lambda_bundle(tmp_path / "bundle", dependencies=dependencies)

    assert (bundle / "api_lambdas" / "__init__.py").is_file()
    assert (bundle / "service_contract" / "errors.py").is_file()
    assert (bundle / "stack_catalog" / "contract.py").is_file()
    assert (bundle / "pydantic" / "__init__.py").is_file()
    assert not list(bundle.rglob("__pycache__"))
    assert sorted(p.name for p in bundle.iterdir()) == [
        "api_lambdas", "pydantic", "service_contract", "stack_catalog"
    ], "the service, the command line and bootstrap stay out"  # fmt: skip
    assert sorted(p.name for p in (bundle / "stack_catalog").iterdir()) == [
        "__init__.py", "contract.py"
    ], "the templates need aws-cdk-lib, which no Lambda has"  # fmt: skip
    assert not (bundle / "api_lambdas" / CUSTOM_RESOURCES).exists(), "in their own bundle"

    theirs = custom_resources_bundle(bundle)
    assert (theirs / "api_lambdas" / CUSTOM_RESOURCES / "migrations.py").is_file()
    assert (theirs / "cdk_service" / "db" / "migrations").is_dir()
    assert (theirs / "pydantic" / "__init__.py").is_file()
    assert not (theirs / "datahubctl").exists()

    rebuilt = build_lambda_bundle(tmp_path / "bundle")
    assert not (rebuilt / "pydantic").exists(), "a rebuild starts from an empty folder"


def test_dependencies_are_the_locked_binary_wheels_for_the_lambda_runtime(
    tmp_path: Path,
) -> None:
    command = install_command(LAMBDA_LOCK, tmp_path, LambdaRuntime("3.14", "arm64"))

    assert command[command.index("--requirement") + 1] == str(LAMBDA_LOCK)
    assert {"--require-hashes", "--no-deps", "--only-binary=:all:"} <= set(command)
    platforms = [command[i + 1] for i, option in enumerate(command) if option == "--platform"]
    assert platforms == ["manylinux_2_28_aarch64", "manylinux2014_aarch64"]
    assert command[command.index("--python-version") + 1] == "3.14"
    assert command[command.index("--target") + 1] == str(tmp_path)


def test_the_lambda_lock_holds_the_service_locks_versions() -> None:
    service = locked(LAMBDA_LOCK.with_name("service.txt"))
    lambdas = locked(LAMBDA_LOCK)

    assert "pydantic" in lambdas
    assert {name: service.get(name) for name in lambdas} == lambdas


def test_every_package_a_handler_imports_is_in_the_lambda_lock() -> None:
    # orjson (the GraphQL answers) and opensearch-py (the search index set-up) were imported
    # by handlers but missing from the bundle: those Lambdas would fail at their first import.
    found = subprocess.run(
        [sys.executable, "-c", IMPORTED_DISTRIBUTIONS, ",".join(HANDLERS), ",".join(OURS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = {canonical(name) for name in json.loads(found.stdout)}

    missing = imported - set(locked(LAMBDA_LOCK)) - LAMBDA_RUNTIME_PACKAGES - OPTIONAL
    assert len(HANDLERS) >= 7
    assert not missing, f"add to requirements/lambda.in and run scripts/lock: {sorted(missing)}"


def test_every_handler_imports_only_what_its_bundle_holds(tmp_path: Path) -> None:
    bundle = build_lambda_bundle(tmp_path / "bundle")

    for module, handler in HANDLER_OF.items():
        folder = custom_resources_bundle(bundle) if handler.bundle == CUSTOM_RESOURCES else bundle
        found = subprocess.run(
            [sys.executable, "-c", IMPORTED_FROM_ELSEWHERE, module, ",".join(OURS)],
            capture_output=True, text=True, check=True, cwd=folder,
        )  # fmt: skip

        assert json.loads(found.stdout) == [], f"{module} imports these from outside its bundle"
    assert len(HANDLER_OF) >= 7


def test_every_lambda_left_unset_uses_the_bundle(config: PlatformConfig, tmp_path: Path) -> None:
    own = tmp_path / "own-backend.zip"
    configured = config.model_copy(
        update={"lambda_bundles": config.lambda_bundles.model_copy(update={"backend": own})}
    )

    filled = with_bundle(configured, tmp_path / "bundle")

    assert filled.lambda_bundles.backend == own
    assert filled.lambda_bundles.authorizer == tmp_path / "bundle"
    assert filled.lambda_bundles.custom_resources == tmp_path / "bundle", "none built beside it"

    built = build_lambda_bundle(tmp_path / "bundle")
    assert with_bundle(configured, built).lambda_bundles.custom_resources == (
        custom_resources_bundle(built)
    )
