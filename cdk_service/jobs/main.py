"""The worker's start-up module: ``celery -A cdk_service.jobs.main worker``.

Settings are read here, once, when the worker process starts; nothing else reads them.
"""

from __future__ import annotations

from cdk_service.jobs.app import celery_app
from cdk_service.settings import Settings

app = celery_app(Settings())
