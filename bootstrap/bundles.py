"""The Lambda bundles built from this repository: ``api_lambdas``, the repository sources its
handlers import, and their third-party dependencies installed for the Lambda runtime.

Two bundles: one for the GraphQL, Authorizer and AWS account tasks Lambdas, which import only
the shared contract (``service_contract``) of ours; and one for the custom resources, which
migrate the database and lay out the search index, and so ship the service (``cdk_service``)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from datahub_platform.config import REPOSITORY_ROOT, LambdaBundles, PlatformConfig

from service_contract.errors import UpstreamFailure

# What the Lambdas import of this repository: their own package, the shared contract, and of
# the template catalog only its contract (the templates need aws-cdk-lib, which no Lambda has).
LAMBDA_SOURCES = (
    "api_lambdas",
    "service_contract",
    "stack_catalog/__init__.py",
    "stack_catalog/contract.py",
)
# The custom resources' bundle: the database's migrations and the search index's mapping are
# the service's (``cdk_service``), which imports the template catalog's registry.
CUSTOM_RESOURCE_SOURCES = ("api_lambdas", "service_contract", "stack_catalog", "cdk_service")
CUSTOM_RESOURCES = "custom_resources"  # api_lambdas/custom_resources: in their bundle only
# What those imports need beyond the Lambda runtime's own boto3, locked with hashes for the
# runtime at the versions the tests run on (requirements/lambda.in, compiled by scripts/lock).
LAMBDA_LOCK = REPOSITORY_ROOT / "requirements" / "lambda.txt"
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "tests", "*.md")
INSTALL_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class LambdaRuntime:
    """The runtime the platform's Lambdas run on, which binary wheels must match."""

    python_version: str = "3.14"
    architecture: str = "arm64"

    @property
    def wheel_platforms(self) -> tuple[str, ...]:
        """pip's ``--platform`` values for this runtime: Amazon Linux 2023's glibc (2.34) runs
        manylinux_2_28 wheels and the older manylinux2014 ones (scripts/lock locks for 2_28)."""
        machine = "aarch64" if self.architecture == "arm64" else "x86_64"
        return (f"manylinux_2_28_{machine}", f"manylinux2014_{machine}")


def install_command(lock: Path, target: Path, runtime: LambdaRuntime) -> list[str]:
    """pip's arguments to install the lock's binary wheels for the Lambda runtime into ``target``,
    each checked against its locked hash."""
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--target", str(target),
        *(option for platform in runtime.wheel_platforms for option in ("--platform", platform)),
        "--implementation", "cp",
        "--python-version", runtime.python_version,
        "--only-binary=:all:",
        "--no-deps",
        "--require-hashes",
        "--requirement", str(lock),
    ]  # fmt: skip


def build_lambda_bundle(
    destination: Path,
    *,
    dependencies: Path | None = None,
    source_root: Path = REPOSITORY_ROOT,
) -> Path:
    """A fresh folder with the Lambdas' repository sources and, if given, the deps; beside
    it, the custom resources' bundle (``custom_resources_bundle``), made the same way."""
    _fresh_bundle(
        destination,
        LAMBDA_SOURCES,
        dependencies=dependencies,
        source_root=source_root,
        left_out=shutil.ignore_patterns("__pycache__", "*.pyc", "tests", "*.md", CUSTOM_RESOURCES),
    )
    _fresh_bundle(
        custom_resources_bundle(destination),
        CUSTOM_RESOURCE_SOURCES,
        dependencies=dependencies,
        source_root=source_root,
        left_out=LEFT_OUT,
    )
    return destination


def custom_resources_bundle(bundle: Path) -> Path:
    """Where ``build_lambda_bundle`` puts the custom resources' bundle beside ``bundle``."""
    return bundle.with_name(f"{bundle.name}-{CUSTOM_RESOURCES.replace('_', '-')}")


def _fresh_bundle(
    destination: Path,
    sources: tuple[str, ...],
    *,
    dependencies: Path | None,
    source_root: Path,
    left_out: Callable[[str, list[str]], set[str]],
) -> None:
    if destination.exists():
        shutil.rmtree(destination)
    if dependencies is not None:
        shutil.copytree(dependencies, destination)
    for source in sources:
        if (source_root / source).is_dir():
            shutil.copytree(source_root / source, destination / source, ignore=left_out)
        else:
            (destination / source).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_root / source, destination / source)


def installed_dependencies(cache: Path, runtime: LambdaRuntime, lock: Path = LAMBDA_LOCK) -> Path:
    """The locked Lambda requirements installed for ``runtime`` under ``cache`` (once per lock)."""
    key = hashlib.sha256(repr((lock.read_bytes(), runtime)).encode()).hexdigest()[:16]
    folder = cache / key
    if folder.exists():
        return folder
    staging = cache / f".{key}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    completed = subprocess.run(
        install_command(lock, staging, runtime),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise UpstreamFailure(
            f"pip could not install the Lambda dependencies for Python {runtime.python_version} "
            f"on {runtime.architecture}: {completed.stderr.strip()[-800:]}",
            code="lambda_dependencies_failed",
        )
    staging.rename(folder)
    return folder


def with_bundle(config: PlatformConfig, bundle: Path) -> PlatformConfig:
    """The configuration with every Lambda the configuration leaves unset using ``bundle``, the
    custom resources its custom resources' bundle when ``build_lambda_bundle`` made one."""
    given = config.lambda_bundles.model_dump()
    theirs = custom_resources_bundle(bundle)
    own = {CUSTOM_RESOURCES: theirs if theirs.is_dir() else bundle}
    filled = {name: path or own.get(name, bundle) for name, path in given.items()}
    return config.model_copy(update={"lambda_bundles": LambdaBundles(**filled)})
