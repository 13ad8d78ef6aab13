"""The process of one Lambda execution environment: ``python -m`` this module, the handler's
module, and the number of the socket to the gateway.

It imports only what the handler does, not the program that started it, and does so as soon
as it starts (Lambda's init phase, before the first invocation); then it answers invocations
one at a time until the gateway hangs up.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from api_lambdas.lambda_runtime import close_event_loops


def serve(connection: Connection, module: str) -> None:
    """The init phase, then invocations in, answers out: ``("answer", value)`` or
    ``("failed", traceback)``."""
    handler, failure = initialized(module)
    while True:
        try:
            event, context = connection.recv()
        except EOFError:
            close_event_loops()  # what the handler kept on its loop (its service connections)
            return
        answer: tuple[str, Any] = ("failed", failure)
        if handler is not None:
            try:
                answer = ("answer", handler(event, context))
            except Exception:
                answer = ("failed", traceback.format_exc())
        connection.send(answer)


def initialized(module: str) -> tuple[Callable[[Any, Any], Any] | None, str]:
    """The handler, imported before the first invocation as Lambda's init phase does it; or
    None and the traceback that fails every invocation."""
    try:
        handler: Callable[[Any, Any], Any] = importlib.import_module(module).handler
    except Exception:
        return None, traceback.format_exc()
    # What the init loaded stays out of the full collections, which would otherwise walk it
    # all every few hundred invocations (a latency spike each).
    gc.collect()
    gc.freeze()
    return handler, ""


if __name__ == "__main__":
    # The gateway ends it (closing the pipe, or killing it); a Ctrl-C in the terminal of
    # ``datahubctl up`` is the gateway's to handle, not a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(sys.argv[2])), sys.argv[1])
