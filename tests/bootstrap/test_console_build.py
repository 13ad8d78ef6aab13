"""The console's build: made by bootstrap when the repository's frontend has none."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from datahub_platform.config import PlatformConfig

from bootstrap.console_build import ensure_console_built
from cdk_service.errors import UpstreamFailure
from tests.bootstrap.conftest import CONFIG

# Stands in for npm: records its arguments; `run build` writes dist/index.html (or fails).
FAKE_NPM = """#!/bin/sh
echo "$*" >> calls.log
if [ "$1" = run ] && [ "$2" = build ]; then
  [ -n "$FAIL_BUILD" ] && { echo "vite: type error in src/App.tsx" >&2; exit 2; }
  mkdir -p dist && echo '<!doctype html>' > dist/index.html
fi
"""


@pytest.fixture
def fake_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frontend folder and an ``npm`` on PATH that builds it."""
    tools = tmp_path / "bin"
    tools.mkdir()
    npm = tools / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    frontend = tmp_path / "frontend"
    frontend.mkdir()
    return frontend


def configured(dist: Path) -> PlatformConfig:
    return PlatformConfig.from_mapping({**CONFIG, "console_dist": str(dist)})


def test_a_missing_build_is_made_with_npm_ci_then_npm_run_build(fake_npm: Path) -> None:
    said = ensure_console_built(configured(fake_npm / "dist"), frontend=fake_npm)

    assert said == f"built in {fake_npm / 'dist'}"
    calls = (fake_npm / "calls.log").read_text().splitlines()
    assert calls == ["ci --no-audit --no-fund --loglevel=error", "run build"]


def test_a_build_that_is_there_is_used_as_it_is(fake_npm: Path) -> None:
    (fake_npm / "dist").mkdir()
    (fake_npm / "dist" / "index.html").write_text("<!doctype html>")

    said = ensure_console_built(configured(fake_npm / "dist"), frontend=fake_npm)

    assert said.startswith("deploying the build in")
    assert not (fake_npm / "calls.log").exists()


def test_a_failed_build_stops_with_npms_message(fake_npm: Path, monkeypatch) -> None:
    monkeypatch.setenv("FAIL_BUILD", "1")

    with pytest.raises(UpstreamFailure) as failed:
        ensure_console_built(configured(fake_npm / "dist"), frontend=fake_npm)

    assert failed.value.code == "console_build_failed"
    assert "type error in src/App.tsx" in failed.value.message


def test_another_folder_without_a_build_is_not_built_and_said_so(
    fake_npm: Path, tmp_path: Path
) -> None:
    said = ensure_console_built(configured(tmp_path / "elsewhere"), frontend=fake_npm)

    assert "deploying a placeholder page" in said
    assert not (fake_npm / "calls.log").exists()
