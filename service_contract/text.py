"""Text no field can hold: NUL (PostgreSQL refuses it) and unpaired surrogates (not UTF-8)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from service_contract.errors import InvalidInput

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(data: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if isinstance(data, str):
        if UNSTORABLE.search(data):
            yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _unstorable(key, (*path, str(key)))
            yield from _unstorable(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _unstorable(item, (*path, str(index)))


def refuse_unstorable_text(data: Any, *, location: str) -> None:
    """Raise ``invalid_text``, naming the field, when any text in ``data`` (keys included)
    holds a NUL character or an unpaired surrogate; ``location`` names ``data`` as a whole."""
    found = next(_unstorable(data, ()), None)
    if found is not None:
        field = ".".join(found) or location
        raise InvalidInput(
            f"{field} holds a NUL character or an unpaired surrogate, which no text may hold",
            code="invalid_text",
            field=field,
        )
