"""A stand-in npm and a never-built console, for the tests of what builds the web console.

``datahubctl up`` (``bootstrap.frontend_build``) and bootstrap (``bootstrap.console_build``)
build the console the same way; their tests share these. Registered for every test package
from ``tests/conftest.py``; nothing here is autouse.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CALLS = "calls.log"
BUILD_ERROR = "src/App.tsx(3,1): error TS2304: Cannot find name 'x'."
# Records its arguments in calls.log where it runs; `ci` installs (node_modules); `run build`
# writes dist/index.html, or fails as the type check does when FAIL_BUILD is set.
STANDIN_NPM = f"""#!/bin/sh
echo "$*" >> {CALLS}
if [ "$1" = ci ]; then mkdir -p node_modules; fi
if [ "$1" = run ] && [ "$2" = build ]; then
  [ -n "$FAIL_BUILD" ] && {{ echo "{BUILD_ERROR}" >&2; exit 2; }}
  mkdir -p dist && echo '<!doctype html>' > dist/index.html
fi
"""


@pytest.fixture
def frontend(tmp_path: Path) -> Path:
    """A console's sources (``package.json``, ``src/``), never built."""
    folder = tmp_path / "frontend"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "main.tsx").write_text("export {};")
    (folder / "package.json").write_text("{}")
    return folder


@pytest.fixture
def npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in npm, first on PATH (``FAIL_BUILD=1`` in the environment fails its build)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    script = tools / "npm"
    script.write_text(STANDIN_NPM)
    script.chmod(0o755)
    monkeypatch.delenv("FAIL_BUILD", raising=False)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return script


def npm_calls(folder: Path) -> list[str]:
    """The npm commands run in ``folder`` so far, e.g. ``["ci --no-audit --no-fund"]``."""
    path = folder / CALLS
    return path.read_text().splitlines() if path.exists() else []
