"""The web console's build before the platform is synthesized, made as ``datahubctl up`` makes it.

The Console stack copies ``console_dist`` as it finds it at synth, and deploys a placeholder
page without a build. When ``console_dist`` is the repository's ``frontend/dist``, bootstrap
first builds it if it is missing or older than its sources (``bootstrap.frontend_build``:
``npm ci`` when needed, ``npm run build``); each step and a failure are reported, and a failed
build leaves the older one, if any, to be deployed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap import messages
from bootstrap.frontend_build import REPOSITORY_FRONTEND, ensure_console


def ensure_console_built(
    config: PlatformConfig, report: Callable[[str], None], frontend: Path = REPOSITORY_FRONTEND
) -> None:
    """Build the repository's console when it is missing or stale; say what is deployed."""
    dist = config.console_dist
    if dist.resolve() == (frontend / "dist").resolve():
        ensure_console(frontend, report=report)
    if config.console_built:
        report(messages.console_build_deployed(dist))
    else:
        report(messages.no_console_build(dist))
