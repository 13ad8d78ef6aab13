"""A Lambda handler for the execution environment tests: it says which process ran it and how
many invocations that process has run, and can fail, hang or die on request."""

from __future__ import annotations

import json
import os
import time
from typing import Any

INVOCATIONS = [0]
IMPORTED_AT = time.time()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answers as a proxy integration; ``event["body"]`` says how to behave."""
    INVOCATIONS[0] += 1
    asked = event.get("body") or ""
    if asked == "raise":
        raise RuntimeError("secret detail from inside the handler")
    if asked == "die":
        os._exit(3)
    if asked.startswith("sleep "):
        time.sleep(float(asked.split()[1]))
    seen = {
        "pid": os.getpid(),
        "invocations": INVOCATIONS[0],
        "function": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "imported_at": IMPORTED_AT,
    }
    return {"statusCode": 200, "body": json.dumps(seen)}
