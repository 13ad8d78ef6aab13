"""The console's build before synthesis: made when the repository's frontend has none."""

from __future__ import annotations

from pathlib import Path

import pytest
from datahub_platform.config import PlatformConfig

from bootstrap.console_build import ensure_console_built
from bootstrap.messages import CONSOLE_PLACEHOLDER as PLACEHOLDER
from tests.bootstrap.conftest import CONFIG
from tests.standin_npm import BUILD_ERROR, npm_calls

pytestmark = pytest.mark.usefixtures("npm")


def built(dist: Path, frontend: Path) -> tuple[list[str], list[str]]:
    """What bootstrap said and which npm commands ran."""
    said: list[str] = []
    config = PlatformConfig.from_mapping({**CONFIG, "console_dist": str(dist)})
    ensure_console_built(config, said.append, frontend=frontend)
    return said, npm_calls(frontend)


def test_a_missing_build_is_made_then_deployed(frontend: Path) -> None:
    said, calls = built(frontend / "dist", frontend)

    assert calls == ["ci --no-audit --no-fund", "run build"]
    assert said[-1] == f"deploying the build in {frontend / 'dist'}"


def test_a_fresh_build_is_deployed_as_it_is(frontend: Path) -> None:
    (frontend / "dist").mkdir()
    (frontend / "dist" / "index.html").write_text("<!doctype html>")

    said, calls = built(frontend / "dist", frontend)

    assert calls == []
    assert said == [f"deploying the build in {frontend / 'dist'}"]


def test_a_failed_build_is_reported_and_a_placeholder_deployed(
    frontend: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIL_BUILD", "1")

    said, _ = built(frontend / "dist", frontend)

    text = "\n".join(said)
    assert "npm run build failed" in text and BUILD_ERROR in text
    assert said[-1].endswith("deploying a placeholder page with config.json")


def test_another_folder_is_never_built(frontend: Path, tmp_path: Path) -> None:
    said, calls = built(tmp_path / "elsewhere", frontend)

    assert calls == []
    assert said == [f"no build in {tmp_path / 'elsewhere'}: {PLACEHOLDER}"]
