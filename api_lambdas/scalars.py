"""The JSON and DateTime scalars shared by the GraphQL schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ariadne import ScalarType

from service_contract.errors import InvalidInput

json_scalar = ScalarType("JSON")
datetime_scalar = ScalarType("DateTime")


@json_scalar.serializer
def serialize_json(value: Any) -> Any:
    """JSON values go out as they are."""
    return value


@datetime_scalar.serializer
def serialize_datetime(value: Any) -> str:
    """Datetimes go out in ISO 8601; the service's strings already are."""
    return value.isoformat() if isinstance(value, datetime) else str(value)


@datetime_scalar.value_parser
def parse_datetime(value: Any) -> datetime:
    """An ISO 8601 string with a time zone."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidInput("a DateTime is ISO 8601 with a time zone", code="invalid_datetime")
    return parsed
