"""Which failures count as the database connection lost, and riding them out."""

from __future__ import annotations

import asyncpg
import pytest

from cdk_service.db.outage import connection_lost, riding_out_outages


def raised_in_asyncpg(error: Exception) -> Exception:
    """``error`` as if the database client raised it (its traceback through asyncpg)."""
    namespace = {"__name__": "asyncpg.connect_utils", "error": error}
    exec("def connect():\n    raise error\n", namespace)
    try:
        namespace["connect"]()  # type: ignore[operator]
    except Exception as raised:
        return raised
    raise AssertionError("not raised")


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
        raised_in_asyncpg(FileNotFoundError(2, "No such file or directory")),
        raised_in_asyncpg(ConnectionRefusedError(111, "Connection refused")),
    ],
    ids=repr,
)
def test_a_connection_gone_counts_as_lost(error: Exception) -> None:
    assert connection_lost(error)


def test_one_raised_from_it_too() -> None:
    try:
        try:
            raise asyncpg.CannotConnectNowError("the database system is shutting down")
        except Exception as lost:
            raise RuntimeError("rollback failed") from lost
    except RuntimeError as error:
        assert connection_lost(error)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.UniqueViolationError("duplicate key value"),
        asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
        ConnectionRefusedError(111, "Connection refused"),  # not from the database client
        ValueError("a bug"),
    ],
    ids=repr,
)
def test_other_failures_do_not(error: Exception) -> None:
    assert not connection_lost(error)


async def test_work_meeting_a_lost_connection_runs_again_until_it_succeeds() -> None:
    tries: list[int] = []

    async def work() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise asyncpg.ConnectionDoesNotExistError("connection was closed")
        return "done"

    assert await riding_out_outages(work, within_seconds=5, first_seconds=0.01) == "done"
    assert len(tries) == 3


async def test_other_failures_and_a_long_outage_are_raised() -> None:
    async def failing() -> None:
        raise ValueError("a bug")

    async def away() -> None:
        raise asyncpg.CannotConnectNowError("the database system is starting up")

    with pytest.raises(ValueError):
        await riding_out_outages(failing, within_seconds=5)
    with pytest.raises(asyncpg.CannotConnectNowError):
        await riding_out_outages(away, within_seconds=0.05, first_seconds=0.01)
