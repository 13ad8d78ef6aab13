"""The console's build before synthesis: made when the repository's frontend has none."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from datahub_platform.config import PlatformConfig

from bootstrap.console_build import PLACEHOLDER, ensure_console_built
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
def frontend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frontend folder with sources, and an ``npm`` on PATH that builds it."""
    tools = tmp_path / "bin"
    tools.mkdir()
    npm = tools / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    folder = tmp_path / "frontend"
    (folder / "src").mkdir(parents=True)
    (folder / "package.json").write_text("{}")
    (folder / "src" / "main.tsx").write_text("export {}")
    return folder


def built(dist: Path, frontend: Path) -> tuple[list[str], list[str]]:
    """What bootstrap said and which npm commands ran."""
    said: list[str] = []
    config = PlatformConfig.from_mapping({**CONFIG, "console_dist": str(dist)})
    ensure_console_built(config, said.append, frontend=frontend)
    log = frontend / "calls.log"
    return said, log.read_text().splitlines() if log.exists() else []


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
    assert "npm run build failed" in text and "type error in src/App.tsx" in text
    assert said[-1].endswith("deploying a placeholder page with config.json")


def test_another_folder_is_never_built(frontend: Path, tmp_path: Path) -> None:
    said, calls = built(tmp_path / "elsewhere", frontend)

    assert calls == []
    assert said == [f"no build in {tmp_path / 'elsewhere'}: {PLACEHOLDER}"]
