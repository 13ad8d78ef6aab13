"""A built-in catalog template, synthesized for real, deployed to moto."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.synthesis.models import SynthRequest, SynthResult
from service_contract.targets import Target
from stack_catalog.contract import DeployContext
from stack_catalog.registry import Registry
from tests.cdk_service.cloudformation.conftest import ACCOUNT, REGION, Aws

synthesizer = pytest.importorskip("cdk_service.synthesis.synthesizer")
if shutil.which("node") is None:
    pytest.skip("jsii needs Node.js to synthesize", allow_module_level=True)

STACK = "analytics-orders-queue"
PARAMETER_PATH = "/datahub/analytics/queues/orders"
# moto warns as it skips the queue and topic policies and the alarm; the test asserts the skip.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


@pytest.fixture(scope="module")
def ingestion_queue(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The ingestion-queue template synthesized in this process (about 3 s to warm jsii)."""
    request = SynthRequest(
        template="ingestion-queue",
        version="1.0.0",
        code_digest=Registry.discover().digest("ingestion-queue", "1.0.0"),
        params={"queue_name": "orders", "max_receive_count": 3},
        context=DeployContext(account=ACCOUNT, region=REGION, team="analytics", stack_name=STACK),
    )
    result: SynthResult = synthesizer.synthesize(request, Path(tmp_path_factory.mktemp("cdk.out")))
    return result


class NoAssetsExpected:
    """An asset source for a stack whose only file asset is its own template."""

    def read(self, asset_id: str) -> bytes:
        raise AssertionError(f"asset {asset_id} should not be read")


def test_a_synthesized_ingestion_queue_is_deployed(
    engine: DeployEngine, target: Target, aws: Aws, ingestion_queue: SynthResult
) -> None:
    # As synthesized, tags included: moto runs with datahubctl.local.moto's patch.
    template = ingestion_queue.template

    assert engine.publish_assets(target, ingestion_queue.asset_manifest, NoAssetsExpected()) == []
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=template)
    preview = engine.preview(target, ref, template)
    assert {r.action for r in preview.diff.resources} == {"add"}
    assert len(preview.changes) == len(template["Resources"])
    engine.execute(target, ref)

    assert engine.status(target, STACK).outcome == "succeeded"
    sqs = aws("sqs")
    queues = {url.rsplit("/", 1)[1]: url for url in sqs.list_queues()["QueueUrls"]}
    assert len(queues) == 2
    ingest_url = aws("ssm").get_parameter(Name=f"{PARAMETER_PATH}/queue-url")["Parameter"]["Value"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=queues[ingest_url.rsplit("/", 1)[1]], AttributeNames=["All"]
    )["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["maxReceiveCount"] == 3
    dead_letter_url = aws("ssm").get_parameter(Name=f"{PARAMETER_PATH}/dead-letter-queue-url")
    assert redrive["deadLetterTargetArn"].endswith(
        dead_letter_url["Parameter"]["Value"].rsplit("/", 1)[1]
    )
    key_arn = aws("ssm").get_parameter(Name=f"{PARAMETER_PATH}/kms-key-arn")["Parameter"]["Value"]
    assert attributes["KmsMasterKeyId"] == key_arn
    key_tags = aws("kms").list_resource_tags(KeyId=key_arn)["Tags"]
    assert {"TagKey": "datahub:team", "TagValue": "analytics"} in key_tags
    topics = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"]]
    assert (
        aws("ssm").get_parameter(Name=f"{PARAMETER_PATH}/notification-topic-arn")["Parameter"][
            "Value"
        ]
        in topics
    )

    # moto skips these resource types silently; CloudFormation would create them.
    assert aws("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert "Policy" not in attributes
