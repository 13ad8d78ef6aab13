"""A celery broker that needs no server: kombu's filesystem transport in the state directory.

``datahubctl up`` uses it unless ``DATAHUB_BROKER_URL`` is set (Redis in tests, SQS on AWS).
Producers write each message as a file in ``state_dir/queue/messages``; a worker takes it from
there and deletes it once acknowledged, so messages waiting when the platform stops are
delivered when it starts again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cdk_service.settings import Settings

FILESYSTEM_BROKER = "filesystem://"


def local_broker_url() -> str:
    """The URL that selects the filesystem transport."""
    return FILESYSTEM_BROKER


def queue_folder(state_dir: Path) -> Path:
    """Where the messages wait."""
    return state_dir.resolve() / "queue" / "messages"


def transport_options(settings: Settings) -> dict[str, Any]:
    """Celery's ``broker_transport_options`` for the settings' broker (none but the local one)."""
    if not settings.broker_url.startswith(FILESYSTEM_BROKER):
        return {}
    folder = queue_folder(settings.state_dir)
    control = folder.parent / "control"  # the exchange tables; kombu's default is the cwd
    for path in (folder, control):
        path.mkdir(parents=True, exist_ok=True)
    # One folder in and out: every producer and worker of this state directory shares it.
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(control),
        "store_processed": False,
    }
