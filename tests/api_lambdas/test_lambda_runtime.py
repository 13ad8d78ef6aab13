"""Async handlers run synchronously on a loop kept per thread, with resources kept on it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from api_lambdas.lambda_runtime import close_event_loops, kept_resource, once, synchronous


class Resource:
    """Something a handler keeps between invocations, and whether it was closed."""

    def __init__(self) -> None:
        self.closed = False

    async def close(self) -> None:
        self.closed = True


async def loop_and_resource(event: dict[str, Any], context: Any) -> dict[str, Any]:
    resource = kept_resource("test", Resource, Resource.close)
    return {"loop": asyncio.get_running_loop(), "resource": resource}


handler = synchronous(loop_and_resource)


def on_another_thread() -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: answers.append(handler({}, None)))
    thread.start()
    thread.join()
    return answers[0]


def test_invocations_on_one_thread_share_a_loop_and_what_is_kept_on_it():
    first, second = handler({}, None), handler({}, None)
    assert first["loop"] is second["loop"] and not first["loop"].is_running()
    assert first["resource"] is second["resource"]

    elsewhere = on_another_thread()
    assert elsewhere["loop"] is not first["loop"]
    assert elsewhere["resource"] is not first["resource"]


def test_what_an_invocation_leaves_running_is_cancelled_at_its_end():
    started: list[asyncio.Task[None]] = []

    async def leaves_a_task(event: dict[str, Any], context: Any) -> dict[str, Any]:
        started.append(asyncio.ensure_future(asyncio.sleep(60)))
        return {}

    synchronous(leaves_a_task)({}, None)
    assert started[0].cancelled()


def test_closing_the_loops_closes_what_was_kept_and_the_next_invocation_starts_afresh():
    before = handler({}, None)
    close_event_loops()
    assert before["resource"].closed and before["loop"].is_closed()

    after = handler({}, None)
    assert after["loop"] is not before["loop"] and not after["resource"].closed


async def test_a_handler_awaited_on_a_loop_of_its_own_keeps_nothing():
    assert (await loop_and_resource({}, None))["resource"] is None


def test_a_value_made_once_is_made_by_one_thread_however_many_ask_at_the_start():
    made: list[object] = []
    release = threading.Event()

    @once
    def schema() -> object:
        made.append(object())
        release.wait()
        return made[-1]

    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(schema())) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # time for the others to ask while the first is still making it
    release.set()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and answers == made * 8
