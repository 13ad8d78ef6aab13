"""The worker's start-up module: ``celery -A cdk_service.worker.main worker``.

Settings are read here, once, when the worker process starts; nothing else reads them.
"""

from __future__ import annotations

from cdk_service.settings import Settings
from cdk_service.worker.app import celery_app

app = celery_app(Settings())
