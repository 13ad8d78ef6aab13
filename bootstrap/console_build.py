"""The web console's build, made by bootstrap when the configured folder holds none.

The Console stack copies ``console_dist`` as it finds it at synth; without a build it deploys a
placeholder page. Bootstrap builds the repository's console (``npm ci`` then ``npm run build``
in ``frontend/``) when that is the folder configured and it has no ``index.html``; a build
that is there is used as it is.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from datahub_platform.config import REPOSITORY_ROOT, PlatformConfig

from cdk_service.errors import UpstreamFailure

FRONTEND = REPOSITORY_ROOT / "frontend"
NPM_STEPS = (("ci", "--no-audit", "--no-fund", "--loglevel=error"), ("run", "build"))
BUILD_TIMEOUT_SECONDS = 900


def ensure_console_built(config: PlatformConfig, frontend: Path = FRONTEND) -> str:
    """Build the console when the configuration's folder has none; what was done, in words."""
    dist = config.console_dist
    if config.console_built:
        return f"deploying the build in {dist}"
    if dist.resolve() != (frontend / "dist").resolve():
        return f"{dist} holds no build and is not {frontend}'s: deploying a placeholder page"
    npm = shutil.which("npm")
    if npm is None:
        return f"npm is not installed, so {frontend} was not built: deploying a placeholder page"
    for step in NPM_STEPS:
        completed = subprocess.run(
            [npm, *step],
            cwd=frontend,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            said = (completed.stderr.strip() or completed.stdout.strip())[-800:]
            raise UpstreamFailure(
                f"npm {' '.join(step)} failed in {frontend}: {said}", code="console_build_failed"
            )
    if not config.console_built:
        raise UpstreamFailure(
            f"npm run build in {frontend} left no index.html in {dist}",
            code="console_build_failed",
        )
    return f"built in {dist}"
