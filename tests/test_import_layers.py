"""The layers hold: every import-linter contract in pyproject.toml is kept (as .ci/run checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = 6
PACKAGES = (
    "stack_catalog",
    "service_contract",
    "cdk_service",
    "api_lambdas",
    "bootstrap",
    "datahubctl",
    "platform/datahub_platform",
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the packages under ``root`` (first on the path), without its cache."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root, capture_output=True, text=True, check=False, timeout=120,
        env={"PATH": "", "PYTHONPATH": f"{root}:{root / 'platform'}"},
    )  # fmt: skip


def test_every_contract_is_kept() -> None:
    checked = lint_imports(REPOSITORY)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Contracts: {CONTRACTS} kept, 0 broken." in checked.stdout


@pytest.mark.parametrize(
    ("module", "arrow", "broken"),
    [
        ("cdk_service/runtime.py", "import datahubctl.cli", "imports the laptop's datahubctl"),
        ("api_lambdas/backend/handler.py", "import cdk_service.settings", "only the shared"),
        ("service_contract/errors.py", "import cdk_service.settings", "imports nothing of ours"),
        ("stack_catalog/contract.py", "import service_contract.errors", "imports none of ours"),
        ("cdk_service/settings.py", "import cdk_service.runtime", "No cycles"),
    ],
)
def test_a_forbidden_arrow_breaks_a_contract(
    tmp_path: Path, module: str, arrow: str, broken: str
) -> None:
    copy = tmp_path / "repository"
    for package in PACKAGES:
        (copy / package).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-r", str(REPOSITORY / package), str(copy / package)], check=True)
    (copy / "pyproject.toml").write_bytes((REPOSITORY / "pyproject.toml").read_bytes())
    source = copy / module
    source.write_text(f"{source.read_text()}\n{arrow}  # noqa\n")

    checked = lint_imports(copy)

    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "BROKEN" in checked.stdout
    assert broken in checked.stdout.split("Broken contracts", 1)[1]
