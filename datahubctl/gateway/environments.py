"""Lambda execution environments as processes: each runs one invocation at a time, as on AWS.

A function named by its module gets up to ``most`` warm environments: one can be provisioned
ahead of the first invocation, more start as invocations need them, and all are kept for the
next ones (each new process imports the handler as it starts, Lambda's init phase); when all
are busy, an invocation waits for one to be free. An environment that dies fails its
invocation, and one that runs past the timeout is stopped; the next invocation that needs one
starts another. As on AWS, what a handler keeps between
invocations (its event loop, connections, caches) is its environment's alone, and the gateway's
own work and the functions' run on different cores.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import structlog

log = structlog.get_logger("datahub.local_gateway")
STOP_SECONDS = 5.0
PROCESS = "datahubctl.gateway.environment_process"


class EnvironmentFailed(Exception):
    """The handler raised, or its environment died, during an invocation."""


class Environment:
    """One process running a function's handler, and the gateway's end of its pipe."""

    def __init__(self, module: str) -> None:
        self.connection, theirs = multiprocessing.Pipe()
        # Its own interpreter, started afresh (a fork would copy the gateway's whole heap, and
        # multiprocessing's spawn imports the program that started it, ``datahubctl`` or a
        # test run); it finds modules where this process does.
        python_path = os.pathsep.join(path for path in sys.path if path)
        self.process = subprocess.Popen(
            [sys.executable, "-m", PROCESS, module, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env={**os.environ, "PYTHONPATH": python_path},
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.broken = False  # its pipe ended: the process died, or is dying

    def alive(self) -> bool:
        """Whether its process still runs."""
        return self.process.poll() is None

    async def invoke(self, event: dict[str, Any], context: Any) -> Any:
        """The handler's answer to one event; ``EnvironmentFailed`` when it raised or died."""
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[tuple[str, Any]] = loop.create_future()

        def readable() -> None:
            loop.remove_reader(self.connection.fileno())
            if answered.done():
                return
            try:
                answered.set_result(self.connection.recv())
            except (EOFError, OSError):
                self.broken = True
                answered.set_exception(EnvironmentFailed("the environment's process ended"))

        try:
            self.connection.send((event, context))
        except OSError:  # a broken pipe: it ended since its last invocation
            self.broken = True
            raise EnvironmentFailed("the environment's process ended") from None
        loop.add_reader(self.connection.fileno(), readable)
        try:
            outcome, value = await answered
        finally:
            # Also when cancelled (the timeout): a pipe opened later may reuse the number.
            loop.remove_reader(self.connection.fileno())
        if outcome == "failed":
            raise EnvironmentFailed(value)
        return value

    def stop(self) -> None:
        """End the process: it finishes on the closed pipe, or is killed."""
        self.connection.close()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """End the process now (it ran past its timeout, or its pipe broke)."""
        self.connection.close()
        self.process.kill()
        self.process.wait()


class Environments:
    """The warm environments of one function, at most ``most`` of them busy at once."""

    def __init__(self, module: str, most: int) -> None:
        self.module = module
        self._free: list[Environment] = []
        self._slots = asyncio.Semaphore(most)
        self._all: set[Environment] = set()

    async def invoke(self, event: dict[str, Any], context: Any, timeout_seconds: float) -> Any:
        """One invocation on a free environment (started when none is), within the timeout."""
        async with self._slots:
            environment = self._free.pop() if self._free else await self._started()
            try:
                answer = await asyncio.wait_for(environment.invoke(event, context), timeout_seconds)
            except TimeoutError:
                await self._ended(environment, environment.kill)
                raise
            except EnvironmentFailed:
                if environment.broken or not environment.alive():
                    await self._ended(environment, environment.kill)
                else:
                    self._free.append(environment)  # the handler raised; the process lives on
                raise
            self._free.append(environment)
            return answer

    async def provision(self) -> None:
        """One environment started ahead of the first invocation (its init under way)."""
        if not self._all:
            self._free.append(await self._started())

    async def close(self) -> None:
        """Stop every environment."""
        environments, self._free = list(self._all), []
        self._all.clear()
        await asyncio.gather(*(asyncio.to_thread(e.stop) for e in environments))

    async def _started(self) -> Environment:
        log.info("lambda_environment_started", function=self.module)
        environment = await asyncio.to_thread(Environment, self.module)
        self._all.add(environment)
        return environment

    async def _ended(self, environment: Environment, end: Callable[[], None]) -> None:
        self._all.discard(environment)
        await asyncio.to_thread(end)
