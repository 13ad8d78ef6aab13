"""Lambda execution environments: a process per environment, warm between invocations, at
most so many at once, replaced when one dies or runs past its timeout."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.gateway.app import FunctionModule, Functions, GatewayConfig
from datahubctl.gateway.environments import EnvironmentFailed, Environments
from datahubctl.gateway.events import LambdaContext, Stage
from datahubctl.gateway.running import running_gateway
from datahubctl.gateway.sigv4 import IamPrincipal
from tests.datahubctl.gateway.conftest import sigv4_headers

HANDLER = "tests.datahubctl.gateway.environment_handler"


@asynccontextmanager
async def _environments(most: int) -> AsyncIterator[Environments]:
    environments = Environments(HANDLER, most=most)
    try:
        yield environments
    finally:
        await environments.close()


def _context(timeout_seconds: float = 30.0) -> LambdaContext:
    return LambdaContext("backend", timeout_seconds, Stage())


async def _invoke(
    environments: Environments, body: str = "", timeout_seconds: float = 30.0
) -> dict[str, Any]:
    answer = await environments.invoke({"body": body}, _context(timeout_seconds), timeout_seconds)
    return json.loads(answer["body"])


async def test_an_environment_is_a_process_of_its_own_kept_warm() -> None:
    async with _environments(most=2) as environments:
        first = await _invoke(environments)
        second = await _invoke(environments)
    assert first["pid"] != os.getpid()
    assert second["pid"] == first["pid"]
    assert (first["invocations"], second["invocations"]) == (1, 2)
    assert first["function"] == "backend" and 0 < first["remaining_ms"] <= 30_000


async def test_no_more_environments_run_at_once_than_allowed() -> None:
    async with _environments(most=2) as environments:
        answers = await asyncio.gather(*(_invoke(environments, "sleep 0.3") for _ in range(6)))
    pids = [answer["pid"] for answer in answers]
    assert len(set(pids)) == 2  # six invocations, two environments, each used three times
    assert sorted(answer["invocations"] for answer in answers) == [1, 1, 2, 2, 3, 3]


async def test_a_handler_that_raises_fails_its_invocation_and_its_environment_stays() -> None:
    async with _environments(most=1) as environments:
        before = await _invoke(environments)
        with pytest.raises(EnvironmentFailed, match="RuntimeError"):
            await _invoke(environments, "raise")
        after = await _invoke(environments)
    assert after["pid"] == before["pid"]


async def test_an_environment_that_dies_or_times_out_is_replaced() -> None:
    async with _environments(most=1) as environments:
        first = await _invoke(environments)
        with pytest.raises(EnvironmentFailed, match="ended"):
            await _invoke(environments, "die")
        second = await _invoke(environments)
        with pytest.raises(TimeoutError):
            await _invoke(environments, "sleep 30", timeout_seconds=0.5)
        third = await _invoke(environments)
    assert len({first["pid"], second["pid"], third["pid"]}) == 3
    assert third["invocations"] == 1  # a cold start


async def test_a_ctrl_c_in_the_terminal_is_the_gateways_to_handle() -> None:
    async with _environments(most=1) as environments:
        before = await _invoke(environments)
        os.kill(before["pid"], signal.SIGINT)  # as a terminal's Ctrl-C reaches its group
        await asyncio.sleep(0.2)
        after = await _invoke(environments)
    assert after["pid"] == before["pid"] and after["invocations"] == 2


async def test_a_provisioned_environment_has_run_its_init_before_the_first_invocation() -> None:
    async with _environments(most=2) as environments:
        await environments.provision()
        await asyncio.sleep(1.0)  # the init (the handler's import) runs meanwhile
        asked_at = time.time()
        first = await _invoke(environments)
    assert first["imported_at"] < asked_at and first["invocations"] == 1


async def test_a_handler_that_cannot_be_imported_fails_every_invocation_with_why() -> None:
    environments = Environments("tests.datahubctl.gateway.no_such_handler", most=1)
    try:
        for _ in range(2):
            with pytest.raises(EnvironmentFailed, match="ModuleNotFoundError"):
                await _invoke(environments)
    finally:
        await environments.close()


async def test_closing_stops_every_environment() -> None:
    environments = Environments(HANDLER, most=2)
    answers = await asyncio.gather(*(_invoke(environments, "sleep 0.2") for _ in range(2)))
    await environments.close()
    for answer in answers:
        with pytest.raises(ProcessLookupError):
            os.kill(answer["pid"], 0)


async def test_through_the_gateway_a_function_runs_in_its_environments(
    lambda_settings: LambdaSettings, pipeline: IamPrincipal
) -> None:
    functions = Functions(
        Authorizer(lambda_settings), FunctionModule(HANDLER), FunctionModule(HANDLER)
    )
    config = GatewayConfig(principals={pipeline.access_key_id: pipeline}, lambda_environments=1)
    async with running_gateway(functions, config) as url, aiohttp.ClientSession() as http:
        target = f"{url}/metadata/graphql"

        async def call(body: bytes) -> tuple[int, str]:
            key, secret = pipeline.access_key_id, pipeline.secret_access_key
            headers = sigv4_headers(target, body, key, secret)
            async with http.post(target, data=body, headers=headers) as response:
                return response.status, await response.text()

        provisioned = _environment_processes()
        assert len(provisioned) == 1  # started with the gateway, before any request
        status, answer = await call(b"")
        assert status == 200 and json.loads(answer)["pid"] == provisioned[0]
        status, answer = await call(b"raise")
        assert status == 502
        assert "secret detail" not in answer and "RuntimeError" not in answer
        status, answer = await call(b"")
        assert status == 200 and json.loads(answer)["invocations"] == 3  # the same, still warm


def _environment_processes() -> list[int]:
    """The ids of this process's children that are Lambda environments."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if parent == os.getpid() and b"environment_process" in command:
            found.append(int(stat.parent.name))
    return found
