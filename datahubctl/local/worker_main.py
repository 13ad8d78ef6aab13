"""The local platform's worker start-up module: ``celery -A datahubctl.local.worker_main worker``.

As ``cdk_service.jobs.main``, with the laptop's file broker's folders when it is the broker.
"""

from __future__ import annotations

from cdk_service.jobs.app import celery_app
from cdk_service.settings import Settings
from datahubctl.local.broker import transport_options

settings = Settings()
app = celery_app(settings, broker_options=transport_options(settings))
