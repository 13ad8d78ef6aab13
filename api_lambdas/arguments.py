"""Checks of the GraphQL arguments the service receives in a URL or a header.

The service reads a request line of at most 8190 bytes, and aiohttp's client refuses a header
holding a control character: an argument that would break either is refused here, with a
stable code naming it. A text argument of at most ``most`` characters also takes at most
``3 * most`` bytes in the URL (every ASCII character fits: ``%`` is ``%25``), so fewer fit of
the characters outside ASCII; the bounds together keep a URL well under the service's limit.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus, urlencode

from service_contract.errors import InvalidInput
from service_contract.limits import SEARCH_TEXT_MAX, checked_idempotency_key

MAX_TEXT = 256  # a filter: team, status, template
MAX_SEARCH_TEXT = SEARCH_TEXT_MAX  # the service's own bound (``SearchParams.q``)
MAX_FACETS_TEXT = 1000  # every facet's values, comma-joined
MAX_CURSOR = 1024
# Every cursor this API gives out is URL-safe base64 (event cursors: digits).
CURSOR = re.compile(rf"[A-Za-z0-9_=-]{{1,{MAX_CURSOR}}}")
# A request line: method, target, version; the service's aiohttp stops at 8190 bytes.
MAX_REQUEST_TARGET = 8000


def bounded(value: str | None, field: str, *, most: int = MAX_TEXT) -> str | None:
    """``value`` checked to be at most ``most`` characters, and ``3 * most`` bytes in a URL."""
    if value is not None and (len(value) > most or len(quote_plus(value)) > 3 * most):
        raise InvalidInput(
            f"{field} is too long: at most {most} characters (fewer outside ASCII)",
            code="argument_too_long",
            field=field,
        )
    return value


def cursor(value: str | None, field: str = "after") -> str | None:
    """``value`` checked to look like a cursor this API gave out (the service judges the rest)."""
    if value is not None and not CURSOR.fullmatch(value):
        raise InvalidInput(
            "the cursor is not one this API gave out", code="invalid_cursor", field=field
        )
    return value


def idempotency_key(value: str | None) -> str | None:
    """The ``idempotencyKey`` argument checked by the service's own rule, before it becomes a
    header (aiohttp's client refuses one holding a control character)."""
    return checked_idempotency_key(value, field="idempotencyKey")


def within_request_line(path: str, query: dict[str, str]) -> None:
    """Refuse a call whose URL would not fit in the service's request line (the bounds above
    keep every URL well inside it: this is the backstop)."""
    if len(path) + 1 + len(urlencode(query)) > MAX_REQUEST_TARGET:
        raise InvalidInput(
            "the arguments are too long together for one request", code="argument_too_long"
        )
