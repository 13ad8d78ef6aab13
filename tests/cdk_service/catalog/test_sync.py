"""Registry sync: every code version gets a row, and code changes are kept for admins."""

from __future__ import annotations

import asyncio

from cdk_service.catalog import repository, service
from cdk_service.db.audit import audit_entries
from cdk_service.db.models import Template, TemplateVersion, VersionStatus
from service_contract.identity import Identity
from tests.conftest import StubDigestRegistry, code_templates


async def test_new_versions_are_registered_as_drafts_with_their_digest(
    db: str, test_registry: StubDigestRegistry
) -> None:
    report = await service.sync_registry(registry=test_registry)

    assert report.registered == ["bucket@1.0.0", "bucket@1.1.0", "queue@0.1.0"]
    row = await TemplateVersion.get(template__name="bucket", version="1.1.0")
    assert row.status is VersionStatus.DRAFT
    assert row.code_digest == test_registry.digest("bucket", "1.1.0")
    assert row.params_schema["properties"]["bucket_name"]["pattern"]
    assert row.outputs == {"BucketArn": "ARN of the bucket"}
    assert (await Template.get(name="bucket")).description == "An S3 bucket, with outputs"
    actions = [entry.action for entry in await audit_entries(target_kind="template_version")]
    assert actions == ["template_version.registered"] * 3


async def test_a_second_sync_changes_nothing(db: str, test_registry: StubDigestRegistry) -> None:
    await service.sync_registry(registry=test_registry)
    before = await TemplateVersion.get(template__name="queue", version="0.1.0")

    report = await service.sync_registry(registry=test_registry)

    assert report.registered == report.code_changed == report.unavailable == []
    after = await TemplateVersion.get(template__name="queue", version="0.1.0")
    assert after.updated_at == before.updated_at
    assert len(await audit_entries()) == 3


async def test_code_changed_under_an_unchanged_version_is_flagged_and_audited(
    db: str, test_registry: StubDigestRegistry, admin: Identity
) -> None:
    await service.sync_registry(registry=test_registry)
    old_digest = test_registry.digest("bucket", "1.0.0")
    changed = StubDigestRegistry(code_templates(), digests={"bucket@1.0.0": "b" * 64})

    report = await service.sync_registry(registry=changed)

    assert report.code_changed == ["bucket@1.0.0"]
    detail = await service.get_version(identity=admin, name="bucket", version="1.0.0")
    assert detail.code_digest == "b" * 64
    assert detail.code_changed.changed is True
    assert detail.code_changed.previous_digest == old_digest
    assert detail.code_changed.changed_at is not None
    entries = await audit_entries(target_id="bucket@1.0.0")
    assert [e.action for e in entries] == [
        "template_version.registered",
        "template_version.code_changed",
    ]
    assert entries[-1].actor == "system"
    assert entries[-1].details == {"previous_digest": old_digest, "digest": "b" * 64}


async def test_versions_gone_from_the_code_stay_but_are_flagged_unavailable(
    db: str, test_registry: StubDigestRegistry, admin: Identity
) -> None:
    await service.sync_registry(registry=test_registry)
    without_queue = StubDigestRegistry([t for t in code_templates() if t.name != "queue"])

    report = await service.sync_registry(registry=without_queue)

    assert report.unavailable == ["queue@0.1.0"]
    detail = await service.get_version(identity=admin, name="queue", version="0.1.0")
    assert detail.code_available is False
    await service.sync_registry(registry=test_registry)
    detail = await service.get_version(identity=admin, name="queue", version="0.1.0")
    assert detail.code_available is True


async def test_concurrent_service_starts_sync_once(
    db: str, test_registry: StubDigestRegistry
) -> None:
    first, second = await asyncio.gather(
        service.sync_registry(registry=test_registry),
        service.sync_registry(registry=test_registry),
    )

    assert sorted([len(first.registered), len(second.registered)]) == [0, 3]
    assert await TemplateVersion.all().count() == 3


async def test_versions_from_bundles_are_left_to_their_bundles(db, test_registry) -> None:
    await service.sync_registry(registry=test_registry)
    bucket = await TemplateVersion.get(template__name="bucket", version="1.1.0").prefetch_related(
        "template"
    )
    await TemplateVersion.create(
        template=bucket.template,
        version="3.0.0",
        title="Bucket",
        description="from a bundle",
        params_schema={},
        code_digest="b" * 64,
        bundle_digest="b" * 64,
    )
    await repository.save_version(bucket, bundle_digest="c" * 64, code_digest="c" * 64)

    report = await service.sync_registry(registry=test_registry)

    assert "bucket@3.0.0" not in report.unavailable  # not in the image's code, and that is fine
    assert "bucket@1.1.0" not in report.code_changed  # a bundle holds it now, not the image
    kept = await TemplateVersion.get(template__name="bucket", version="3.0.0")
    assert kept.code_available and kept.bundle_digest == "b" * 64
    held = await TemplateVersion.get(template__name="bucket", version="1.1.0")
    assert held.code_digest == "c" * 64
