"""Settings: the database URL composed from the parts ECS injects from the RDS secret."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
from pydantic import ValidationError
from tortoise.backends.base.config_generator import expand_db_url

from cdk_service.settings import Settings

# Every character RDS may put in a generated password that means something in a URL.
PASSWORD = "p@ss:w/rd#%?&="


@pytest.fixture
def database_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables the platform's Fargate tasks get (the first four from the secret)."""
    monkeypatch.delenv("DATAHUB_DATABASE_URL", raising=False)
    for name, value in {
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "USERNAME": "postgres",
        "PASSWORD": PASSWORD,
        "NAME": "postgres",
    }.items():
        monkeypatch.setenv(f"DATAHUB_DATABASE_{name}", value)


def test_the_parts_compose_a_url_with_the_password_quoted(database_parts) -> None:
    settings = Settings()
    assert settings.database_url == (
        "postgres://postgres:p%40ss%3Aw%2Frd%23%25%3F%26%3D@127.0.0.1:5432/postgres"
    )
    credentials = expand_db_url(settings.database_url)["credentials"]
    assert credentials["password"] == PASSWORD
    assert (credentials["host"], credentials["port"]) == ("127.0.0.1", 5432)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


@pytest.fixture
async def loopback_port(database_server_url: str) -> AsyncIterator[int]:
    """A TCP port on loopback that leads to the tests' PostgreSQL server, whose embedded form
    listens on a unix socket only (a URL composed from parts names a host and a port)."""
    parts = urlsplit(database_server_url)
    socket_dir = parse_qs(parts.query).get("host", [None])[0]
    if socket_dir is None:  # a TCP server was given: use it as it is
        yield parts.port or 5432
        return

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_unix_connection(
            f"{socket_dir}/.s.PGSQL.5432"
        )
        await asyncio.gather(_pipe(reader, server_writer), _pipe(server_reader, writer))

    server = await asyncio.start_server(forward, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()


async def test_the_composed_url_opens_the_database(
    database_parts, loopback_port: int, monkeypatch
) -> None:
    monkeypatch.setenv("DATAHUB_DATABASE_PORT", str(loopback_port))
    url = Settings().database_url
    assert url is not None
    credentials = expand_db_url(url)["credentials"]
    connection = await asyncpg.connect(**credentials)
    try:
        assert await connection.fetchval("select current_database()") == "postgres"
    finally:
        await connection.close()


def test_a_url_given_wins_over_the_parts(database_parts, monkeypatch) -> None:
    monkeypatch.setenv("DATAHUB_DATABASE_URL", "postgres://app@db.internal:5432/records")
    assert Settings().database_url == "postgres://app@db.internal:5432/records"


def test_a_host_without_its_login_is_refused_naming_what_is_missing(monkeypatch) -> None:
    monkeypatch.delenv("DATAHUB_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATAHUB_DATABASE_HOST", "db.internal")
    monkeypatch.setenv("DATAHUB_DATABASE_USERNAME", "app")
    with pytest.raises(ValidationError, match="without DATAHUB_DATABASE_PASSWORD"):
        Settings()


def test_no_database_setting_leaves_the_embedded_default(monkeypatch) -> None:
    for name in ("URL", "HOST", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"DATAHUB_DATABASE_{name}", raising=False)
    assert Settings().database_url is None


def test_the_password_never_shows_in_the_settings_repr(database_parts) -> None:
    settings = Settings()
    shown = f"{settings!r} {settings}"
    assert PASSWORD not in shown and "p%40ss" not in shown
