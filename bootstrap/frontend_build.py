"""The web console for ``datahubctl up``: built with npm when its build is missing or stale.

The gateway serves ``frontend/dist`` when it exists; this makes sure it is there and newer than
the sources it is built from. Without npm, or when the build fails, an older build is served as
it is, and with none ``up`` runs without the console.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import structlog

log = structlog.get_logger("datahub.console")
REPOSITORY_FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
BUILD = "dist"
# What the build reads: a change to any of these makes the build stale.
SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")
TSCONFIG = "tsconfig.json"
NPM_TIMEOUT_SECONDS = 600.0
FAILURE_LINES = 20

Report = Callable[[str], None]


def ensure_console(frontend_dir: Path, *, report: Report | None = None) -> Path | None:
    """The console's build, made first when missing or older than its sources; ``None`` when
    there is none to serve (no sources, no npm, or the build failed: ``report`` says why)."""
    say = report or (lambda line: log.info(line))
    build = frontend_dir / BUILD
    if is_fresh(frontend_dir) or not (frontend_dir / "package.json").is_file():
        return _served(build, say)
    npm = shutil.which("npm")
    if npm is None:
        say("npm is not installed: the web console cannot be built")
        return _served(build, say)
    steps = [["run", "build"]]
    if not (frontend_dir / "node_modules").is_dir():
        steps.insert(0, ["ci", "--no-audit", "--no-fund"])
    if all(_run(npm, step, frontend_dir, say) for step in steps):
        return build
    return _served(build, say)


def _served(build: Path, say: Report) -> Path | None:
    """``build`` if there is one (fresh or not), else ``None``, saying which."""
    if (build / "index.html").is_file():
        if not is_fresh(build.parent):
            say("web console: serving an older build than its sources")
        return build
    say("the web console is not served (no build)")
    return None


def is_fresh(frontend_dir: Path) -> bool:
    """Whether the build exists and is newer than every source file."""
    index = frontend_dir / BUILD / "index.html"
    if not index.is_file():
        return False
    built_at = index.stat().st_mtime
    return all(path.stat().st_mtime <= built_at for path in _sources(frontend_dir))


def _sources(frontend_dir: Path) -> Iterator[Path]:
    for name in (*SOURCES, TSCONFIG):
        path = frontend_dir / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (child for child in path.rglob("*") if child.is_file())


def _run(npm: str, arguments: list[str], frontend_dir: Path, say: Report) -> bool:
    """One npm command in ``frontend_dir``, its output kept and shown only when it fails."""
    command = " ".join(["npm", *arguments])
    say(f"web console: {command} ...")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [npm, *arguments],
            cwd=frontend_dir,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        say(f"web console: {command} took over {NPM_TIMEOUT_SECONDS:.0f} s and was stopped")
        return False
    seconds = time.monotonic() - started
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()[-FAILURE_LINES:]
        say(f"web console: {command} failed ({done.returncode}):\n" + "\n".join(output))
        return False
    say(f"web console: {command} done in {seconds:.1f} s")
    return True
