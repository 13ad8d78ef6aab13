"""An embedded PostgreSQL in the state directory, for local runs with no database configured.

``pgserver`` ships PostgreSQL binaries in a wheel and serves them on a unix socket only. Run as
root it does not refuse: it creates a ``pgserver`` system user (``useradd``), hands it the data
directory and widens the permissions of that directory's parents so the server can reach it.
"""

from __future__ import annotations

import asyncio
import threading
import warnings
from collections.abc import Coroutine
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from cdk_service.db.admin import create_database

DATABASE = "datahub"
# pgserver also stops servers at interpreter exit; this lets a caller stop one earlier.
_started: dict[Path, Any] = {}


def _url(socket_dir: Path, database: str) -> str:
    # Tortoise (and asyncpg) take the socket directory as a ``host`` query parameter.
    return f"postgres://postgres@/{database}?{urlencode({'host': str(socket_dir)})}"


def _run(coroutine: Coroutine[Any, Any, Any]) -> None:
    """Run a coroutine to completion whether or not the caller's thread has a running loop."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread below
            errors.append(error)

    thread = threading.Thread(target=target, name="embedded-postgres-setup")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _pgserver() -> ModuleType:
    """pgserver, imported on first use: importing it creates runtime directories."""
    with warnings.catch_warnings():
        # It warns when XDG_RUNTIME_DIR is unset, which is harmless for a socket-only server.
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver


def start_embedded(state_dir: Path) -> str:
    """Start (or reuse) the server in ``state_dir/pgdata``; returns the ``datahub`` URL."""
    state_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (state_dir / "pgdata").resolve()
    server = _pgserver().get_server(pgdata, cleanup_mode="stop")
    _started[pgdata] = server
    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:
        raise RuntimeError("embedded PostgreSQL reports no unix socket")
    _run(create_database(_url(socket_dir, "postgres"), DATABASE, if_missing=True))
    return _url(socket_dir, DATABASE)


def stop_embedded(state_dir: Path) -> None:
    """Stop the server this process started in ``state_dir``; a no-op if it started none."""
    server = _started.pop((state_dir / "pgdata").resolve(), None)
    if server is not None:
        server.cleanup()
