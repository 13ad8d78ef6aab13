"""The Lambda bundle: this repository's packages the Lambdas import, and their dependencies."""

from __future__ import annotations

from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap.bundles import (
    LambdaRuntime,
    build_lambda_bundle,
    install_command,
    pinned_requirements,
    with_bundle,
)


def test_the_bundle_holds_the_packages_without_caches_or_development_parts(
    tmp_path: Path,
) -> None:
    dependencies = tmp_path / "deps"
    (dependencies / "pydantic").mkdir(parents=True)
    (dependencies / "pydantic" / "__init__.py").write_text("")

    bundle = build_lambda_bundle(tmp_path / "bundle", dependencies=dependencies)

    assert (bundle / "api_lambdas" / "__init__.py").is_file()
    assert (bundle / "cdk_service" / "errors.py").is_file()
    assert (bundle / "stack_catalog" / "contract.py").is_file()
    assert (bundle / "pydantic" / "__init__.py").is_file()
    assert not list(bundle.rglob("__pycache__"))
    assert not (bundle / "api_lambdas" / "local_gateway").exists()

    rebuilt = build_lambda_bundle(tmp_path / "bundle")
    assert not (rebuilt / "pydantic").exists(), "a rebuild starts from an empty folder"


def test_dependencies_are_binary_wheels_for_the_lambda_runtime_at_our_versions(
    tmp_path: Path,
) -> None:
    requirements = pinned_requirements()
    command = install_command(requirements, tmp_path, LambdaRuntime("3.14", "arm64"))

    assert all("==" in requirement for requirement in requirements)
    assert any(requirement.startswith("pydantic==") for requirement in requirements)
    assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"
    assert command[command.index("--python-version") + 1] == "3.14"
    assert "--only-binary=:all:" in command
    assert command[command.index("--target") + 1] == str(tmp_path)


def test_every_lambda_left_unset_uses_the_bundle(config: PlatformConfig, tmp_path: Path) -> None:
    own = tmp_path / "own-backend.zip"
    configured = config.model_copy(
        update={"lambda_bundles": config.lambda_bundles.model_copy(update={"backend": own})}
    )

    filled = with_bundle(configured, tmp_path / "bundle")

    assert filled.lambda_bundles.backend == own
    assert filled.lambda_bundles.authorizer == tmp_path / "bundle"
    assert filled.lambda_bundles.custom_resources == tmp_path / "bundle"
