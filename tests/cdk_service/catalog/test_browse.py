"""Who sees what: teams see published and deprecated versions; admins see everything."""

from __future__ import annotations

import pytest

from cdk_service.catalog import service
from cdk_service.catalog.schemas import Constraints
from service_contract.errors import NotFound
from service_contract.identity import Identity
from tests.conftest import StubDigestRegistry


async def _publish(registry: StubDigestRegistry, admin: Identity, name: str, version: str) -> None:
    await service.publish(
        registry=registry, identity=admin, name=name, version=version, constraints=Constraints()
    )


async def test_teams_see_nothing_until_a_version_is_published(
    synced: StubDigestRegistry, admin: Identity, analyst: Identity
) -> None:
    assert await service.list_templates(identity=analyst) == []
    with pytest.raises(NotFound) as caught:
        await service.get_template(identity=analyst, name="bucket")
    assert caught.value.code == "template_not_found"
    with pytest.raises(NotFound) as caught:
        await service.get_version(identity=analyst, name="bucket", version="1.0.0")
    assert caught.value.code == "template_not_found"

    await _publish(synced, admin, "bucket", "1.0.0")

    [summary] = await service.list_templates(identity=analyst)
    assert (summary.name, summary.versions, summary.latest_published) == (
        "bucket",
        ["1.0.0"],
        "1.0.0",
    )


async def test_drafts_and_retired_versions_are_hidden_from_teams(
    synced: StubDigestRegistry, admin: Identity, analyst: Identity
) -> None:
    await _publish(synced, admin, "bucket", "1.0.0")
    await _publish(synced, admin, "queue", "0.1.0")
    await service.retire(identity=admin, name="queue", version="0.1.0")

    detail = await service.get_template(identity=analyst, name="bucket")
    assert [v.version for v in detail.versions] == ["1.0.0"]
    with pytest.raises(NotFound) as caught:
        await service.get_version(identity=analyst, name="bucket", version="1.1.0")
    assert caught.value.code == "version_not_found"
    with pytest.raises(NotFound) as caught:
        await service.get_template(identity=analyst, name="queue")
    assert caught.value.code == "template_not_found"
    assert [t.name for t in await service.list_templates(identity=analyst)] == ["bucket"]


async def test_admins_see_every_version_newest_first(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    await _publish(synced, admin, "bucket", "1.0.0")

    summaries = await service.list_templates(identity=admin)
    assert [(s.name, s.versions) for s in summaries] == [
        ("bucket", ["1.1.0", "1.0.0"]),
        ("queue", ["0.1.0"]),
    ]
    detail = await service.get_template(identity=admin, name="bucket")
    assert [(v.version, v.status.value) for v in detail.versions] == [
        ("1.1.0", "draft"),
        ("1.0.0", "published"),
    ]
    draft = await service.get_version(identity=admin, name="bucket", version="1.1.0")
    assert draft.status.value == "draft"
    assert draft.json_schema["properties"]["retention_days"]["maximum"] == 365


async def test_unknown_names_have_stable_codes(synced: StubDigestRegistry, admin: Identity) -> None:
    with pytest.raises(NotFound) as caught:
        await service.get_template(identity=admin, name="nope")
    assert caught.value.code == "template_not_found"
    with pytest.raises(NotFound) as caught:
        await service.get_version(identity=admin, name="bucket", version="9.9.9")
    assert caught.value.code == "version_not_found"
