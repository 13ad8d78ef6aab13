"""Opaque cursors: a position in a newest-first listing that new rows cannot shift."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from service_contract.errors import InvalidInput


def encode_cursor(created_at: datetime, row_id: UUID) -> str:
    """The cursor just past a row."""
    raw = json.dumps([created_at.isoformat(), str(row_id)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position a cursor names; ``invalid_cursor`` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, row_id = json.loads(raw)
        position = datetime.fromisoformat(created_at), UUID(row_id)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidInput(
            "the cursor is not one this service gave out", code="invalid_cursor", field="cursor"
        ) from error
    if position[0].tzinfo is None:
        raise InvalidInput("the cursor has no time zone", code="invalid_cursor", field="cursor")
    return position
