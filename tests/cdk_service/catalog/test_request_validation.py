"""The catalog's checks on a new stack request, each refusal with a stable code."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_service.catalog import service
from cdk_service.catalog.schemas import Constraints
from service_contract.errors import Conflict, InvalidInput, NotFound
from service_contract.identity import Identity
from tests.conftest import StubDigestRegistry

BUCKET = {"name": "bucket", "version": "1.0.0"}


async def _validate(
    registry: StubDigestRegistry, identity: Identity, params: dict[str, Any]
) -> Any:
    return await service.validate_request(
        registry=registry, identity=identity, params=params, **BUCKET
    )


@pytest.fixture
async def published(synced: StubDigestRegistry, admin: Identity) -> StubDigestRegistry:
    """bucket@1.0.0 published, allowing only two retention periods."""
    await service.publish(
        registry=synced,
        identity=admin,
        constraints=Constraints(allowed_values={"retention_days": [30, 90]}),
        **BUCKET,
    )
    return synced


async def test_valid_params_come_back_with_defaults_filled_in(
    published: StubDigestRegistry, analyst: Identity
) -> None:
    row, params = await _validate(published, analyst, {"bucket_name": "raw-events"})

    assert (row.version, row.status.value) == ("1.0.0", "published")
    assert params == {
        "bucket_name": "raw-events",
        "storage_class": "standard",
        "retention_days": 30,
    }


@pytest.mark.parametrize(
    ("params", "field", "count"),
    [
        ({"bucket_name": "Raw_Events"}, "params.bucket_name", 1),
        ({}, "params.bucket_name", 1),
        ({"bucket_name": "raw", "storage_class": "cold", "retention_days": 0}, None, 2),
        ({"bucket_name": "raw-events", "colour": "red"}, "params.colour", 1),
    ],
)
async def test_bad_params_are_refused_naming_each_field(
    published: StubDigestRegistry,
    analyst: Identity,
    params: dict[str, Any],
    field: str | None,
    count: int,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _validate(published, analyst, params)

    error = caught.value
    assert error.code == "invalid_params"
    assert len(error.details) == count
    assert error.field == (field or error.details[0]["field"])
    assert error.field in error.message
    assert all(set(item) == {"field", "message"} for item in error.details)


async def test_values_outside_the_allowed_ones_violate_the_constraints(
    published: StubDigestRegistry, analyst: Identity
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _validate(published, analyst, {"bucket_name": "raw-events", "retention_days": 60})

    assert caught.value.code == "constraint_violation"
    assert caught.value.field == "params.retention_days"
    assert "[30, 90]" in caught.value.message


async def test_deprecated_and_retired_versions_take_no_new_requests(
    published: StubDigestRegistry, admin: Identity, analyst: Identity
) -> None:
    await service.deprecate(identity=admin, **BUCKET)
    with pytest.raises(Conflict) as caught:
        await _validate(published, analyst, {"bucket_name": "raw-events"})
    assert caught.value.code == "version_deprecated"

    await service.retire(identity=admin, **BUCKET)
    with pytest.raises(Conflict) as caught:
        await _validate(published, analyst, {"bucket_name": "raw-events"})
    assert caught.value.code == "version_retired"


async def test_drafts_are_for_admins_only(
    synced: StubDigestRegistry, admin: Identity, analyst: Identity
) -> None:
    with pytest.raises(NotFound):
        await _validate(synced, analyst, {"bucket_name": "raw-events"})

    row, _ = await _validate(synced, admin, {"bucket_name": "raw-events"})
    assert row.status.value == "draft"


async def test_a_version_without_code_cannot_be_requested(
    published: StubDigestRegistry, analyst: Identity
) -> None:
    without_bucket = StubDigestRegistry([t for t in published if t.name != "bucket"])
    with pytest.raises(Conflict) as caught:
        await _validate(without_bucket, analyst, {"bucket_name": "raw-events"})
    assert caught.value.code == "code_unavailable"
