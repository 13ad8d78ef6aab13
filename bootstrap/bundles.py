"""The Lambda bundle built from this repository: ``api_lambdas``, the repository packages it
imports, and its third-party dependencies installed for the Lambda runtime."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from datahub_platform.config import REPOSITORY_ROOT, LambdaBundles, PlatformConfig

from cdk_service.errors import UpstreamFailure

# api_lambdas imports the service's errors, identity and signed client: they ship with it.
REPOSITORY_PACKAGES = ("api_lambdas", "cdk_service", "stack_catalog")
# What those imports need beyond the Lambda runtime's own boto3; pinned to this checkout's
# installed versions so the Lambdas run the code the tests ran.
LAMBDA_REQUIREMENTS = (
    "aiohttp",
    "ariadne",
    "graphql-core",
    "pydantic",
    "pydantic-settings",
    "PyJWT",
    "cryptography",
    "structlog",
)
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "local_gateway", "tests", "*.md")
INSTALL_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class LambdaRuntime:
    """The runtime the platform's Lambdas run on, which binary wheels must match."""

    python_version: str = "3.14"
    architecture: str = "arm64"

    @property
    def wheel_platform(self) -> str:
        """pip's ``--platform`` for this runtime."""
        machine = "aarch64" if self.architecture == "arm64" else "x86_64"
        return f"manylinux2014_{machine}"


def pinned_requirements() -> list[str]:
    """The Lambda requirements at the versions installed here."""
    return [f"{name}=={metadata.version(name)}" for name in LAMBDA_REQUIREMENTS]


def install_command(requirements: list[str], target: Path, runtime: LambdaRuntime) -> list[str]:
    """pip's arguments to install binary wheels for the Lambda runtime into ``target``."""
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--target", str(target),
        "--platform", runtime.wheel_platform,
        "--implementation", "cp",
        "--python-version", runtime.python_version,
        "--only-binary=:all:",
        *requirements,
    ]  # fmt: skip


def build_lambda_bundle(
    destination: Path,
    *,
    dependencies: Path | None = None,
    source_root: Path = REPOSITORY_ROOT,
) -> Path:
    """A fresh folder with the repository packages (sources only) and, if given, the deps."""
    if destination.exists():
        shutil.rmtree(destination)
    if dependencies is not None:
        shutil.copytree(dependencies, destination)
    for package in REPOSITORY_PACKAGES:
        shutil.copytree(source_root / package, destination / package, ignore=LEFT_OUT)
    return destination


def installed_dependencies(cache: Path, runtime: LambdaRuntime) -> Path:
    """The Lambda requirements installed for ``runtime`` under ``cache`` (once per version set)."""
    requirements = pinned_requirements()
    key = hashlib.sha256(repr((requirements, runtime)).encode()).hexdigest()[:16]
    folder = cache / key
    if folder.exists():
        return folder
    staging = cache / f".{key}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    completed = subprocess.run(
        install_command(requirements, staging, runtime),
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
    """The configuration with every Lambda the configuration leaves unset using ``bundle``."""
    given = config.lambda_bundles.model_dump()
    filled = {name: path or bundle for name, path in given.items()}
    return config.model_copy(update={"lambda_bundles": LambdaBundles(**filled)})
