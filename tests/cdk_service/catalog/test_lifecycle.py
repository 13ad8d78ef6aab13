"""Publish, deprecate, retire: admins only, legal transitions only, every change audited."""

from __future__ import annotations

import pytest

from cdk_service.catalog import service
from cdk_service.catalog.schemas import Constraints
from cdk_service.db.audit import audit_entries
from service_contract.errors import Conflict, Forbidden
from service_contract.identity import Identity
from stack_catalog.contract import semver_key
from tests.conftest import StubDigestRegistry

BUCKET = {"name": "bucket", "version": "1.0.0"}


async def _publish(
    registry: StubDigestRegistry, admin: Identity, constraints: Constraints | None = None
) -> None:
    await service.publish(
        registry=registry, identity=admin, constraints=constraints or Constraints(), **BUCKET
    )


async def test_publish_deprecate_retire_records_who_and_when(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    quota = Constraints(quota_per_team=2)
    published = await service.publish(registry=synced, identity=admin, constraints=quota, **BUCKET)
    assert (published.status.value, published.published_by) == ("published", "ada")
    assert published.constraints.quota_per_team == 2

    deprecated = await service.deprecate(identity=admin, **BUCKET)
    assert (deprecated.status.value, deprecated.deprecated_by) == ("deprecated", "ada")
    retired = await service.retire(identity=admin, **BUCKET)
    assert (retired.status.value, retired.retired_by) == ("retired", "ada")
    assert retired.retired_at is not None

    entries = [e for e in await audit_entries(target_id="bucket@1.0.0") if e.actor == "ada"]
    assert [(e.action, e.details.get("from"), e.details.get("to")) for e in entries] == [
        ("template_version.published", "draft", "published"),
        ("template_version.deprecated", "published", "deprecated"),
        ("template_version.retired", "deprecated", "retired"),
    ]
    assert entries[0].details["constraints"]["quota_per_team"] == 2


async def test_republishing_updates_constraints_and_reopens_deprecated_versions(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    await _publish(synced, admin)
    await service.deprecate(identity=admin, **BUCKET)

    again = await service.publish(
        registry=synced, identity=admin, constraints=Constraints(requires_approval=True), **BUCKET
    )

    assert again.status.value == "published"
    assert again.constraints.requires_approval is True
    assert again.deprecated_at is None
    updated = await service.publish(
        registry=synced, identity=admin, constraints=Constraints(default_ttl_hours=8), **BUCKET
    )
    assert updated.constraints == Constraints(default_ttl_hours=8)
    assert updated.published_at == again.published_at


async def test_retired_versions_cannot_be_published_again(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    await _publish(synced, admin)
    await service.retire(identity=admin, **BUCKET)

    with pytest.raises(Conflict) as caught:
        await _publish(synced, admin)
    assert caught.value.code == "version_retired"


@pytest.mark.parametrize(
    ("action", "status"),
    [("deprecate", "draft"), ("retire", "draft"), ("deprecate", "deprecated")],
)
async def test_illegal_transitions_name_from_and_to(
    synced: StubDigestRegistry, admin: Identity, action: str, status: str
) -> None:
    if status == "deprecated":
        await _publish(synced, admin)
        await service.deprecate(identity=admin, **BUCKET)

    with pytest.raises(Conflict) as caught:
        await getattr(service, action)(identity=admin, **BUCKET)

    target = {"deprecate": "deprecated", "retire": "retired"}[action]
    assert caught.value.code == "invalid_transition"
    assert f"from {status} to {target}" in caught.value.message


async def test_only_admins_change_the_lifecycle(
    synced: StubDigestRegistry, admin: Identity, analyst: Identity
) -> None:
    with pytest.raises(Forbidden):
        await _publish(synced, analyst)
    await _publish(synced, admin)
    for action in (service.deprecate, service.retire):
        with pytest.raises(Forbidden):
            await action(identity=analyst, **BUCKET)
    assert (await service.get_version(identity=analyst, **BUCKET)).status.value == "published"


async def test_a_version_whose_code_is_gone_cannot_be_published(
    synced: StubDigestRegistry, admin: Identity
) -> None:
    without_bucket = StubDigestRegistry([t for t in synced if t.name != "bucket"])
    await service.sync_registry(registry=without_bucket)

    with pytest.raises(Conflict) as caught:
        await _publish(without_bucket, admin)
    assert caught.value.code == "code_unavailable"


def test_versions_sort_in_semantic_version_order() -> None:
    versions = ["1.10.0", "1.2.0", "1.2.0-rc.2", "1.2.0-rc.10", "0.9.1", "1.2.0-alpha"]
    assert sorted(versions, key=semver_key) == [
        "0.9.1",
        "1.2.0-alpha",
        "1.2.0-rc.2",
        "1.2.0-rc.10",
        "1.2.0",
        "1.10.0",
    ]
