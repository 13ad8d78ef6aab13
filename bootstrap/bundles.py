"""The Lambda bundle built from this repository: ``api_lambdas``, the repository packages it
imports, and its third-party dependencies installed for the Lambda runtime."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from datahub_platform.config import REPOSITORY_ROOT, LambdaBundles, PlatformConfig

from cdk_service.errors import UpstreamFailure

# api_lambdas imports the service's errors, identity and signed client: they ship with it.
REPOSITORY_PACKAGES = ("api_lambdas", "cdk_service", "stack_catalog")
# What those imports need beyond the Lambda runtime's own boto3, locked with hashes for the
# runtime at the versions the tests run on (requirements/lambda.in, compiled by scripts/lock).
LAMBDA_LOCK = REPOSITORY_ROOT / "requirements" / "lambda.txt"
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "local_gateway", "tests", "*.md")
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
    """A fresh folder with the repository packages (sources only) and, if given, the deps."""
    if destination.exists():
        shutil.rmtree(destination)
    if dependencies is not None:
        shutil.copytree(dependencies, destination)
    for package in REPOSITORY_PACKAGES:
        shutil.copytree(source_root / package, destination / package, ignore=LEFT_OUT)
    return destination


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
    """The configuration with every Lambda the configuration leaves unset using ``bundle``."""
    given = config.lambda_bundles.model_dump()
    filled = {name: path or bundle for name, path in given.items()}
    return config.model_copy(update={"lambda_bundles": LambdaBundles(**filled)})
