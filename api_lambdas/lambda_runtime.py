"""What every Lambda shares: settings built once per cold start, and async handlers run sync.

A warm Lambda container runs its invocations one after another on one thread; the event loop
is kept from one to the next, and so is what lives on it (the service's keep-alive
connections). The local gateway runs invocations on several threads: each has a loop of its
own, all closed by ``close_event_loops`` when the gateway stops.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog

from api_lambdas.settings import LambdaSettings
from service_contract.logging import configure_logging

AsyncHandler = Callable[[dict[str, Any], Any], Coroutine[Any, Any, dict[str, Any]]]
T = TypeVar("T")
log = structlog.get_logger(__name__)
_THREAD = threading.local()
_LOOPS: list[KeptLoop] = []
_LOOPS_LOCK = threading.Lock()


@dataclass
class KeptLoop:
    """One thread's event loop and the resources kept on it between invocations."""

    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    resources: dict[str, Any] = field(default_factory=dict)
    closers: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)
    busy: threading.Lock = field(default_factory=threading.Lock)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def __post_init__(self) -> None:
        # The loop's own tasks, kept as they are made: ``asyncio.all_tasks`` would walk every
        # task of every thread's loop and of the gateway's after each invocation.
        self.loop.set_task_factory(self._task)

    def _task(
        self, loop: asyncio.AbstractEventLoop, work: Any, **options: Any
    ) -> asyncio.Task[Any]:
        task = asyncio.Task(work, loop=loop, **options)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``work`` to completion; what it left running is cancelled, as ``asyncio.run`` does."""
        try:
            return self.loop.run_until_complete(work)
        finally:
            leftovers = [task for task in self.tasks if not task.done()]
            for task in leftovers:
                task.cancel()
            if leftovers:
                self.loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))

    def close(self) -> None:
        """Close the kept resources, then the loop."""
        for closer in self.closers:
            self.run(_logged(closer))
        self.run(self.loop.shutdown_asyncgens())
        self.run(self.loop.shutdown_default_executor())
        self.loop.close()


async def _logged(closer: Callable[[], Awaitable[Any]]) -> None:
    try:
        await closer()
    except Exception:  # closing is best effort: the next one still gets its turn
        log.exception("kept_resource_close_failed")


def once(make: Callable[[], T]) -> Callable[[], T]:
    """``make()`` run by the first call only, the others wait for it and share its result.

    ``functools.cache`` lets every thread that misses build its own: with the gateway's 16
    threads, 16 schemas built at once on a cold start, their CPU billed to the first requests.
    """
    lock = threading.Lock()
    made: list[T] = []

    @functools.wraps(make)
    def get() -> T:
        if not made:
            with lock:
                if not made:
                    made.append(make())
        return made[0]

    return get


@functools.cache
def lambda_settings() -> LambdaSettings:
    """The settings of this Lambda process, read from the environment on first use."""
    return LambdaSettings()


@once
def configure_lambda_logs() -> None:
    """Logs as the service writes them, set up by the process's first invocation: JSON lines
    with plain-text tracebacks. Unset, structlog prints each frame's locals with a traceback,
    and an event's ``Authorization`` header is one of them. A process that set up its own
    logs (the local gateway running handlers on its threads, a test run) keeps them."""
    if not structlog.is_configured():
        settings = lambda_settings()
        configure_logging(settings.log_level, json=settings.log_json)


def _kept_loop() -> KeptLoop:
    kept: KeptLoop | None = getattr(_THREAD, "kept", None)
    if kept is None or kept.loop.is_closed():
        kept = _THREAD.kept = KeptLoop()
        with _LOOPS_LOCK:
            _LOOPS.append(kept)
    return kept


def kept_resource(
    name: str, make: Callable[[], T], close: Callable[[T], Awaitable[Any]]
) -> T | None:
    """A resource kept on the running loop between invocations, made at its first use.

    None when the running loop is not a Lambda thread's (a test awaiting a handler directly):
    the caller then makes one for the call and closes it.
    """
    kept: KeptLoop | None = getattr(_THREAD, "kept", None)
    if kept is None or kept.loop is not asyncio.get_running_loop():
        return None
    if name not in kept.resources:
        value = kept.resources[name] = make()
        kept.closers.append(lambda: close(value))
    resource: T = kept.resources[name]
    return resource


def close_event_loops() -> None:
    """Close the loops of the threads that ran handlers, and what was kept on them.

    A loop busy with an invocation is left alone (its thread closes nothing: the process is
    ending, or it runs its next invocation on the same loop).
    """
    with _LOOPS_LOCK:
        loops = list(_LOOPS)
        _LOOPS.clear()
    for kept in loops:
        if not kept.busy.acquire(blocking=False):
            continue
        try:
            if not kept.loop.is_closed():
                kept.close()
        finally:
            kept.busy.release()


def synchronous(handle: AsyncHandler) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda entry point for an async handler, run on this thread's kept event loop."""

    @functools.wraps(handle)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        configure_lambda_logs()
        while True:
            kept = _kept_loop()
            with kept.busy:
                if not kept.loop.is_closed():  # not closed by ``close_event_loops`` meanwhile
                    return kept.run(handle(event, context))

    return handler
