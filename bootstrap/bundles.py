"""The Lambda bundle built from this repository: the ``api_lambdas`` package, ready to zip."""

from __future__ import annotations

import shutil
from pathlib import Path

from datahub_platform.config import REPOSITORY_ROOT, LambdaBundles, PlatformConfig

LAMBDA_PACKAGE = "api_lambdas"
# Development-only parts of the package that no deployed Lambda imports.
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "local_gateway", "tests", "*.md")


def build_lambda_bundle(destination: Path, source: Path | None = None) -> Path:
    """A fresh folder whose root holds the ``api_lambdas`` package (sources only)."""
    package = source or REPOSITORY_ROOT / LAMBDA_PACKAGE
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(package, destination / LAMBDA_PACKAGE, ignore=LEFT_OUT)
    return destination


def with_bundle(config: PlatformConfig, bundle: Path) -> PlatformConfig:
    """The configuration with every Lambda the configuration leaves unset using ``bundle``."""
    given = config.lambda_bundles.model_dump()
    filled = {name: path or bundle for name, path in given.items()}
    return config.model_copy(update={"lambda_bundles": LambdaBundles(**filled)})
