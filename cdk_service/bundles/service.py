"""Uploading, listing and removing template bundles: admins add templates to a running service."""

from __future__ import annotations

import importlib.util

from cdk_service.bundles import repository
from cdk_service.bundles.archive import Bundle, Limits, read_bundle
from cdk_service.bundles.checking import CheckedTemplate, CheckReport, check_bundle
from cdk_service.bundles.imports import check_imports
from cdk_service.bundles.schemas import BundleList, BundleSummary
from cdk_service.bundles.store import BundleStore
from cdk_service.catalog import repository as catalog
from cdk_service.catalog.access import require_admin
from cdk_service.db.audit import record_audit
from cdk_service.db.models import TemplateBundle, VersionStatus
from cdk_service.db.transactions import transaction
from service_contract.errors import Conflict, NotFound
from service_contract.identity import Identity
from stack_catalog.registry import Registry

NAME_TAKEN = "bundle_name_taken"
VERSION_CONFLICT = "bundle_version_conflict"


async def upload_bundle(
    *,
    registry: Registry,
    store: BundleStore,
    identity: Identity,
    data: bytes,
    limits: Limits,
    check_timeout_seconds: float,
) -> BundleSummary:
    """Check a bundle as publishing will, store it by digest, and add its versions as drafts.

    Uploading the same bundle again answers with the bundle already held.
    """
    require_admin(identity, "upload template bundles")
    bundle = read_bundle(data, limits=limits)
    check_package_name(bundle.package)
    check_imports(bundle)
    held = await repository.get_bundle(bundle.digest)
    if held is not None:
        return BundleSummary.of(held)
    report = await check_bundle(bundle, timeout_seconds=check_timeout_seconds)
    if (refusal := report.refusal()) is not None:
        raise refusal
    check_builtin_versions(registry, report)
    await store.put(bundle.digest, bundle.archive)
    async with transaction():
        # One catalog writer at a time (the start-up sync takes the same lock): two uploads of
        # one bundle, or of one version, then meet in order instead of in a unique index.
        await catalog.lock_for_sync()
        row = await repository.get_bundle(bundle.digest) or await _record(bundle, report, identity)
    return BundleSummary.of(row)


async def list_bundles(*, identity: Identity) -> BundleList:
    """Every uploaded bundle (admins only)."""
    require_admin(identity, "list template bundles")
    return BundleList(bundles=[BundleSummary.of(row) for row in await repository.list_bundles()])


async def remove_bundle(*, identity: Identity, digest: str) -> None:
    """Remove a bundle whose versions are all drafts and that no stack uses."""
    require_admin(identity, "remove template bundles")
    async with transaction():
        row = await repository.get_bundle(digest)
        if row is None:
            raise NotFound(f"there is no bundle {digest[:12]}", code="bundle_not_found")
        versions = await repository.versions_from(digest)
        open_versions = [v for v in versions if v.status is not VersionStatus.DRAFT]
        if open_versions or await repository.stacks_on(digest):
            raise Conflict(
                f"bundle {digest[:12]} has versions that were published or stacks that use it; "
                "retire its versions instead",
                code="bundle_in_use",
            )
        await repository.delete_bundle(row)
        await _audit(identity, "bundle.removed", digest, {"versions": row.versions})


def check_package_name(package: str) -> None:
    """``bundle_name_taken`` when the package would shadow a module the service has."""
    if importlib.util.find_spec(package) is not None:
        raise Conflict(
            f"package name {package} is taken by a module of the service; rename the package",
            code=NAME_TAKEN,
            field="bundle",
            details={"package": package},
        )


def check_builtin_versions(registry: Registry, report: CheckReport) -> None:
    """``bundle_name_taken`` when a template version is one the image already provides."""
    for template in report.templates:
        if registry.get(template.name, template.version) is not None:
            raise Conflict(
                f"{template.name} {template.version} is a built-in template version; "
                "a bundle may add other versions of it, not replace this one",
                code=NAME_TAKEN,
                field="bundle",
                details={"template": template.name, "version": template.version},
            )


async def _record(bundle: Bundle, report: CheckReport, identity: Identity) -> TemplateBundle:
    for template in report.templates:
        await _save_version(template, bundle.digest)
    keys = [f"{t.name}@{t.version}" for t in report.templates]
    row = await repository.create_bundle(
        digest=bundle.digest,
        package=bundle.package,
        size=len(bundle.archive),
        versions=keys,
        findings=[finding for t in report.templates for finding in t.findings],
        uploaded_by=identity.user,
    )
    await _audit(identity, "bundle.uploaded", bundle.digest, {"versions": keys})
    return row


async def _save_version(template: CheckedTemplate, digest: str) -> None:
    """A draft version row pointing at the bundle, unless another code holds the version."""
    row = await catalog.get_version(template.name, template.version, for_update=True)
    values = {
        "title": template.title,
        "description": template.description,
        "params_schema": template.params_schema,
        "outputs": template.outputs,
        "code_digest": digest,
        "bundle_digest": digest,
        "code_available": True,
    }
    if row is None:
        parent = await repository.template_for_bundle(
            template.name, template.title, template.description
        )
        await catalog.create_version(parent, version=template.version, **values)
        return
    # A draft of an earlier bundle may be replaced; anything else keeps its code.
    if row.status is not VersionStatus.DRAFT or row.bundle_digest is None:
        raise Conflict(
            f"{template.name} {template.version} is already {row.status.value} with other code "
            f"({row.code_digest[:12]}); upload it as a new version",
            code=VERSION_CONFLICT,
            field="bundle",
            details={"template": template.name, "version": template.version},
        )
    await catalog.save_version(row, previous_code_digest=row.code_digest, **values)


async def _audit(identity: Identity, action: str, digest: str, details: dict[str, object]) -> None:
    await record_audit(
        actor=identity.user,
        action=action,
        target_kind="template_bundle",
        target_id=digest,
        details=dict(details),
    )
