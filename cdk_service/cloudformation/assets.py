"""File assets: publish a synthesized stack's files to the target's asset bucket."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from pydantic import BaseModel, Field

from service_contract.aws_errors import aws_call
from service_contract.errors import InvalidInput, NotFound, UpstreamFailure
from service_contract.targets import Target


class AssetSource(Protocol):
    """Where the packaged bytes of file assets come from once the synth folder is gone."""

    def read(self, asset_id: str) -> bytes:
        """The bytes to upload for a file asset (already zipped for a directory)."""
        ...


class PublishedAsset(BaseModel):
    """One file asset at one destination."""

    asset_id: str
    bucket: str
    key: str
    uploaded: bool = Field(description="False when the object was there already (content keys)")


def file_assets(manifest: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The manifest's file assets to publish, refusing container images.

    The stack's own template is left out: the engine hands it to CloudFormation itself.
    """
    images = manifest.get("dockerImages") or {}
    if images:
        raise InvalidInput(
            f"the stack needs {len(images)} container image asset(s) "
            f"({', '.join(sorted(images))[:200]}); DATAHUB deploys file assets only, so "
            "templates must reference images already in a registry",
            code="container_assets_unsupported",
        )
    for asset_id, asset in (manifest.get("files") or {}).items():
        if not is_stack_template(asset):
            yield asset_id, asset


def is_stack_template(asset: Mapping[str, Any]) -> bool:
    """Whether a file asset is the stack's own template (nested stack templates are not)."""
    path = str(asset.get("source", {}).get("path", ""))
    return path.endswith(".template.json") and "/" not in path and ".nested." not in path


def publish_file_assets(
    s3: Any, target: Target, manifest: Mapping[str, Any], source: AssetSource
) -> list[PublishedAsset]:
    """Upload each file asset to each of its destinations, skipping objects already there."""
    return [
        _publish(s3, target, asset_id, destination, source)
        for asset_id, asset in file_assets(manifest)
        for destination in (asset.get("destinations") or {}).values()
    ]


def resolve_placeholders(text: str, target: Target) -> str:
    """Replace the ``${AWS::...}`` placeholders CDK leaves in asset destinations."""
    return (
        text.replace("${AWS::AccountId}", target.account)
        .replace("${AWS::Region}", target.region)
        .replace("${AWS::Partition}", target.partition)
    )


def _publish(
    s3: Any, target: Target, asset_id: str, destination: Mapping[str, Any], source: AssetSource
) -> PublishedAsset:
    bucket = resolve_placeholders(destination["bucketName"], target)
    key = resolve_placeholders(destination["objectKey"], target)
    if _exists(s3, bucket, key):
        return PublishedAsset(asset_id=asset_id, bucket=bucket, key=key, uploaded=False)
    body = source.read(asset_id)
    try:
        aws_call(s3, "put_object", Bucket=bucket, Key=key, Body=body)
    except NotFound as error:
        raise UpstreamFailure(
            f"asset bucket {bucket} does not exist in account {target.account} "
            f"({target.region}): the target account is not bootstrapped",
            code="target_not_bootstrapped",
        ) from error
    return PublishedAsset(asset_id=asset_id, bucket=bucket, key=key, uploaded=True)


def _exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        aws_call(s3, "head_object", Bucket=bucket, Key=key)
    except NotFound:
        return False
    return True
