"""The process of one Lambda execution environment: ``python -m`` this module, the handler's
module, and the number of the socket to the gateway.

It imports only what the handler does (a cold start), not the program that started it, and
answers invocations one at a time until the gateway hangs up.
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
    """Invocations in, answers out: ``("answer", value)`` or ``("failed", traceback)``."""
    handler: Callable[[Any, Any], Any] | None = None
    while True:
        try:
            event, context = connection.recv()
        except EOFError:
            close_event_loops()  # what the handler kept on its loop (its service connections)
            return
        try:
            if handler is None:
                handler = importlib.import_module(module).handler
                # What the cold start loaded stays out of the full collections, which would
                # otherwise walk it all every few hundred invocations (a latency spike each).
                gc.collect()
                gc.freeze()
            answer: tuple[str, Any] = ("answer", handler(event, context))
        except Exception:
            answer = ("failed", traceback.format_exc())
        connection.send(answer)


if __name__ == "__main__":
    # The gateway ends it (closing the pipe, or killing it); a Ctrl-C in the terminal of
    # ``datahubctl up`` is the gateway's to handle, not a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(sys.argv[2])), sys.argv[1])
