"""The one error hierarchy that domain services raise; entry points translate it to responses.

Every error carries a stable machine-readable ``code`` and a human ``message``; ``field`` names
the input at fault where there is one, and ``details`` holds structured extras (for example the
policy findings that rejected a synth).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

UNKNOWN_PARAM = "is not a parameter of this template"


class DatahubError(Exception):
    """Base of every error a user may see."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        """The error as the API shows it."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(DatahubError):
    """The thing asked for does not exist (or the caller may not know that it does)."""

    code = "not_found"


class Conflict(DatahubError):
    """The request clashes with the current state."""

    code = "conflict"


class Forbidden(DatahubError):
    """The caller is known but may not do this."""

    code = "forbidden"


class Unauthenticated(DatahubError):
    """The caller could not be identified (missing, bad or stale signature)."""

    code = "unauthenticated"


class InvalidInput(DatahubError):
    """The request is malformed or fails validation."""

    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    """The request body is over the configured limit."""

    code = "payload_too_large"


class UpstreamFailure(DatahubError):
    """A dependency (AWS, the synth pool, the database) failed to do its part."""

    code = "upstream_failure"


class Unavailable(UpstreamFailure):
    """The service cannot take the request right now (pool not warm, shutting down)."""

    code = "unavailable"


class Busy(Unavailable):
    """Too much work is waiting already; the caller should retry after ``retry_after`` s."""

    code = "busy"

    def __init__(self, message: str, *, retry_after: int = 1, code: str | None = None) -> None:
        super().__init__(message, code=code, details={"retry_after_seconds": retry_after})
        self.retry_after = retry_after


class PolicyViolation(InvalidInput):
    """A synth produced error-level policy (cdk-nag) findings; ``details`` lists them."""

    code = "policy_violation"


# pydantic writes an enum member in a message as its repr: <DeploymentKind.UPDATE: 'update'>.
ENUM_REPR = re.compile(r"<\w+\.\w+: ('[^']*')>")


def _plain(message: str) -> str:
    """A validation message with enum members written as their values."""
    return ENUM_REPR.sub(r"\1", message)


def invalid_input(
    error: ValidationError,
    *,
    code: str,
    what: str,
    prefix: tuple[str, ...] = (),
    unknown: str = "is not a known field",
) -> InvalidInput:
    """An ``InvalidInput`` naming every bad field of a pydantic validation failure.

    ``prefix`` places the fields inside the request body (``params.bucket_name``); ``unknown``
    is what is said of a field the model does not have.
    """
    problems = [
        {
            "field": ".".join([*prefix, *(str(part) for part in item["loc"])]) or what,
            "message": unknown if item["type"] == "extra_forbidden" else _plain(item["msg"]),
        }
        for item in error.errors()
    ]
    named = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return InvalidInput(
        f"invalid {what}: {named}{more}", code=code, field=problems[0]["field"], details=problems
    )
