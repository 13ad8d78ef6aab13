"""Bounds of the internal API's inputs that its callers check too (the Lambdas, before a call).

A plain module, importing nothing of the service, so that a Lambda can import it cheaply.
"""

from __future__ import annotations

import re

# An Idempotency-Key header: 1 to 128 printable ASCII characters, no spaces (its column's size);
# check with fullmatch (``$`` alone also admits a trailing newline).
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
# Search text (GET /v1/search's q), in characters.
SEARCH_TEXT_MAX = 512
