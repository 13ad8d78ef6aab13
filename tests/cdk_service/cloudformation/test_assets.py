"""Publishing file assets to the target's asset bucket."""

from __future__ import annotations

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from service_contract.errors import InvalidInput, UpstreamFailure
from service_contract.targets import Target
from tests.cdk_service.cloudformation.conftest import ACCOUNT, REGION, Aws

CODE_ASSET = "3f1c2e4d5b6a79808f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a6978"
TEMPLATE_ASSET = "704d41ac4034eca0f1587f56002065814cb18eef5357db91485ab89e8688b833"
BUCKET = "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"


def manifest() -> dict:
    """A stack's asset manifest as CDK writes it: its template and one zipped folder."""
    destination = {
        "bucketName": BUCKET,
        "assumeRoleArn": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-file-publishing",
    }
    return {
        "version": "55.0.0",
        "files": {
            TEMPLATE_ASSET: {
                "displayName": "analytics-workspace Template",
                "source": {"path": "analytics-workspace.template.json", "packaging": "file"},
                "destinations": {"current": {**destination, "objectKey": f"{TEMPLATE_ASSET}.json"}},
            },
            CODE_ASSET: {
                "displayName": "Handler Code",
                "source": {"path": f"asset.{CODE_ASSET}", "packaging": "zip"},
                "destinations": {"current": {**destination, "objectKey": f"{CODE_ASSET}.zip"}},
            },
        },
        "dockerImages": {},
    }


class FakeAssetSource:
    """Asset bytes held in memory, counting reads."""

    def __init__(self, contents: dict[str, bytes]) -> None:
        self.contents = contents
        self.reads: list[str] = []

    def read(self, asset_id: str) -> bytes:
        self.reads.append(asset_id)
        return self.contents[asset_id]


@pytest.fixture
def asset_bucket(target: Target, aws: Aws) -> str:
    """The bootstrap asset bucket, as `cdk bootstrap` would have made it."""
    aws("s3").create_bucket(Bucket=target.asset_bucket)
    return target.asset_bucket


def test_file_assets_are_uploaded_once(
    engine: DeployEngine, target: Target, aws: Aws, asset_bucket: str
) -> None:
    source = FakeAssetSource({CODE_ASSET: b"PK zipped handler"})

    first = engine.publish_assets(target, manifest(), source)
    again = engine.publish_assets(target, manifest(), source)

    assert asset_bucket == f"cdk-hnb659fds-assets-{ACCOUNT}-{REGION}"
    assert [(a.bucket, a.key, a.uploaded) for a in first] == [
        (asset_bucket, f"{CODE_ASSET}.zip", True)
    ]
    assert [a.uploaded for a in again] == [False]
    assert source.reads == [CODE_ASSET]  # the template goes to CloudFormation directly
    body = aws("s3").get_object(Bucket=asset_bucket, Key=f"{CODE_ASSET}.zip")["Body"].read()
    assert body == b"PK zipped handler"


def test_container_images_are_refused(engine: DeployEngine, target: Target) -> None:
    with_image = {**manifest(), "dockerImages": {"abc123": {"source": {"directory": "asset.abc"}}}}

    with pytest.raises(InvalidInput) as refused:
        engine.publish_assets(target, with_image, FakeAssetSource({}))

    assert refused.value.code == "container_assets_unsupported"
    assert "container image" in refused.value.message


def test_a_target_without_an_asset_bucket_is_not_bootstrapped(
    engine: DeployEngine, target: Target
) -> None:
    with pytest.raises(UpstreamFailure) as failed:
        engine.publish_assets(target, manifest(), FakeAssetSource({CODE_ASSET: b"PK"}))

    assert failed.value.code == "target_not_bootstrapped"
