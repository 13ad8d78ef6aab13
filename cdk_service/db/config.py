"""Tortoise configuration and the process-wide database connection."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext, get_current_context

MODELS_APP = "models"
MODEL_MODULES = ("cdk_service.db.models", "aerich.models")


async def keep_session(connection: Any) -> None:
    """What a connection back in the pool needs beyond asyncpg's own rollback of an open
    transaction: nothing. The code takes no session-wide locks (only ``pg_advisory_xact_lock``),
    sets nothing but ``SET LOCAL``, listens to nothing and keeps no cursors open, so asyncpg's
    default reset (unlock all, close all, unlisten, reset all) would only add a round trip to
    every query made outside a transaction."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Tortoise config for ``database_url``: our models plus aerich's migration record."""
    connection = expand_db_url(database_url)
    if connection["engine"] == "tortoise.backends.asyncpg":
        connection["credentials"]["reset"] = keep_session
    return {
        "connections": {"default": connection},
        "apps": {
            MODELS_APP: {"models": list(MODEL_MODULES), "default_connection": "default"},
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str) -> bool:
    """Connect Tortoise for the whole process; False when it was already open (then a no-op).

    The context is the global fallback and is not bound to the opening task, so every task
    (aiohttp handlers, test fixtures, celery task loops) sees it, and any of them may close it.
    """
    current = get_current_context()
    if current is not None and current.inited:
        return False
    # Current only while initialising (Tortoise needs that); afterwards reached as the global.
    with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    return True


async def close_database() -> None:
    """Close the process's connections (safe to call when nothing is open)."""
    current = get_current_context()
    if current is not None:
        await current.close_connections()
