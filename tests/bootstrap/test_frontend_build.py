"""Building the web console for ``datahubctl up``, with a stand-in npm that records its calls."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bootstrap.frontend_build import REPOSITORY_FRONTEND, ensure_console, is_fresh
from tests.standin_npm import CALLS, npm_calls


def touch_later(path: Path) -> None:
    """Makes ``path`` newer than anything written before."""
    later = time.time() + 5
    os.utime(path, (later, later))


def test_a_missing_build_is_made_after_installing_the_packages(frontend: Path, npm: Path):
    said: list[str] = []
    assert ensure_console(frontend, report=said.append) == frontend / "dist"
    assert npm_calls(frontend) == ["ci --no-audit --no-fund", "run build"]
    assert any("npm run build done" in line for line in said)
    assert is_fresh(frontend)


def test_a_fresh_build_is_served_as_it_is(frontend: Path, npm: Path):
    ensure_console(frontend, report=lambda _: None)
    (frontend / CALLS).unlink()
    assert ensure_console(frontend, report=lambda _: None) == frontend / "dist"
    assert npm_calls(frontend) == []


def test_a_changed_source_rebuilds_without_installing_again(frontend: Path, npm: Path):
    ensure_console(frontend, report=lambda _: None)
    (frontend / CALLS).unlink()
    touch_later(frontend / "src" / "main.tsx")
    assert not is_fresh(frontend)
    assert ensure_console(frontend, report=lambda _: None) == frontend / "dist"
    assert npm_calls(frontend) == ["run build"]


def test_a_failed_build_is_shown_and_nothing_is_served(
    frontend: Path, npm: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FAIL_BUILD", "1")
    said: list[str] = []
    assert ensure_console(frontend, report=said.append) is None
    assert any("npm run build failed (2)" in line and "TS2304" in line for line in said)
    assert said[-1] == "the web console is not served (no build)"


def test_an_older_build_is_served_when_the_new_one_fails(
    frontend: Path, npm: Path, monkeypatch: pytest.MonkeyPatch
):
    ensure_console(frontend, report=lambda _: None)
    touch_later(frontend / "src" / "main.tsx")
    monkeypatch.setenv("FAIL_BUILD", "1")
    said: list[str] = []
    assert ensure_console(frontend, report=said.append) == frontend / "dist"
    assert said[-1] == "web console: serving an older build than its sources"


def test_without_npm_the_console_is_not_served(
    frontend: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    said: list[str] = []
    assert ensure_console(frontend, report=said.append) is None
    assert said == [
        "npm is not installed: the web console cannot be built",
        "the web console is not served (no build)",
    ]


def test_without_sources_nothing_is_built(tmp_path: Path, npm: Path):
    said: list[str] = []
    assert ensure_console(tmp_path / "not-a-frontend", report=said.append) is None
    assert npm_calls(tmp_path / "not-a-frontend") == []


def test_the_console_built_by_default_is_this_repository_s():
    assert Path(__file__).resolve().parents[2] / "frontend" == REPOSITORY_FRONTEND
    assert (REPOSITORY_FRONTEND / "package.json").is_file()
