"""Constraints: checked against the version's schema, and shown as the effective schema."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cdk_service.catalog import service
from cdk_service.catalog.schemas import Constraints
from service_contract.errors import InvalidInput
from service_contract.identity import Identity
from tests.conftest import StubDigestRegistry


async def _publish(
    registry: StubDigestRegistry, admin: Identity, allowed: dict[str, list[Any]]
) -> Any:
    return await service.publish(
        registry=registry,
        identity=admin,
        name="bucket",
        version="1.0.0",
        constraints=Constraints(allowed_values=allowed),
    )


@pytest.mark.parametrize(
    ("allowed", "field", "words"),
    [
        ({"colour": ["red"]}, "colour", "not a parameter"),
        ({"bucket_name": ["ok-name", "Bad_Name"]}, "bucket_name", "'Bad_Name'"),
        ({"storage_class": ["standard", "glacier"]}, "storage_class", "'glacier'"),
        ({"retention_days": [30, 400]}, "retention_days", "400"),
        ({"retention_days": ["thirty"]}, "retention_days", "'thirty'"),
    ],
)
async def test_invalid_allowed_values_name_the_parameter(
    synced: StubDigestRegistry,
    admin: Identity,
    allowed: dict[str, list[Any]],
    field: str,
    words: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _publish(synced, admin, allowed)

    assert caught.value.code == "invalid_constraints"
    assert caught.value.field == f"constraints.allowed_values.{field}"
    assert words in caught.value.message
    detail = await service.get_version(identity=admin, name="bucket", version="1.0.0")
    assert detail.status.value == "draft"


async def test_allowed_values_become_enums_in_the_effective_schema(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    detail = await _publish(
        synced, admin, {"storage_class": ["infrequent", "archive"], "retention_days": [30, 90]}
    )

    properties = detail.json_schema["properties"]
    assert properties["storage_class"]["enum"] == ["infrequent", "archive"]
    assert "default" not in properties["storage_class"]  # 'standard' is no longer allowed
    assert "storage_class" in detail.json_schema["required"]
    assert properties["retention_days"] == {**properties["retention_days"], "enum": [30, 90]}
    assert properties["retention_days"]["default"] == 30


def test_constraints_reject_empty_lists_and_non_positive_numbers() -> None:
    for bad in (
        {"allowed_values": {"retention_days": []}},
        {"quota_per_team": 0},
        {"default_ttl_hours": -1},
        {"unknown": True},
    ):
        with pytest.raises(ValidationError):
            Constraints.model_validate(bad)
