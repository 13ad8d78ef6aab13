"""Bounds of the internal API's inputs that its callers check too (the Lambdas, before a call).

A plain module, importing only the error hierarchy, so that a Lambda can import it cheaply.
"""

from __future__ import annotations

import re

from service_contract.errors import InvalidInput

# An Idempotency-Key header: 1 to 128 printable ASCII characters, no spaces (its column's size);
# check with fullmatch (``$`` alone also admits a trailing newline).
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
# Search text (GET /v1/search's q), in characters.
SEARCH_TEXT_MAX = 512


def checked_idempotency_key(key: str | None, *, field: str) -> str | None:
    """``key``, if given, when it is 1 to 128 printable ASCII characters; ``field`` names it
    as the caller sent it (a header, a GraphQL argument)."""
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidInput(
            f"{field} must be 1 to 128 printable ASCII characters without spaces",
            code="invalid_idempotency_key",
            field=field,
        )
    return key
