"""Template bundle endpoints: admins upload, list and remove bundles of template code."""

from __future__ import annotations

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.bundles import service
from cdk_service.bundles.archive import Limits
from cdk_service.bundles.schemas import BundleList, BundleSummary
from cdk_service.bundles.store import bundle_store
from cdk_service.settings import Settings

api = Api()
BUNDLES_PATH = "/v1/template-bundles"
BUNDLE_MEDIA_TYPE = "application/octet-stream"  # a zip or a wheel


def upload_limit(settings: Settings) -> int:
    """The largest upload body: the largest bundle allowed."""
    return settings.bundle_max_bytes


@api.route(
    "POST",
    BUNDLES_PATH,
    summary="Upload a template bundle (admins)",
    tag="catalog",
    raw_body=BUNDLE_MEDIA_TYPE,
    response=BundleSummary,
    status=201,
    errors=(403, 409),
)
async def upload_bundle(request: web.Request) -> BundleSummary:
    """Check a bundle (zip or wheel) in a fresh synth worker; its versions become drafts."""
    services = services_of(request)
    settings = services.settings
    return await service.upload_bundle(
        registry=services.registry,
        store=bundle_store(settings),
        identity=identity_of(request),
        data=await request.read(),
        limits=Limits(
            bundle_bytes=settings.bundle_max_bytes, file_bytes=settings.bundle_file_max_bytes
        ),
        check_timeout_seconds=settings.bundle_check_timeout_seconds,
    )


@api.route(
    "GET",
    BUNDLES_PATH,
    summary="List template bundles (admins)",
    tag="catalog",
    response=BundleList,
    errors=(403,),
)
async def list_bundles(request: web.Request) -> BundleList:
    """Every bundle with its digest, package, versions and uploader."""
    return await service.list_bundles(identity=identity_of(request))


@api.route(
    "DELETE",
    BUNDLES_PATH + "/{digest}",
    summary="Remove a bundle whose versions are unpublished drafts (admins)",
    tag="catalog",
    status=204,
    errors=(403, 404, 409),
)
async def remove_bundle(request: web.Request, digest: str) -> web.Response:
    """Remove the bundle and its draft versions."""
    await service.remove_bundle(identity=identity_of(request), digest=digest)
    return web.Response(status=204)
