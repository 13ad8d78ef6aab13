"""Drift detection: clearly reported as unsupported where the endpoint cannot do it."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_service.cloudformation.drift import DriftUnsupported, detection_result
from cdk_service.cloudformation.engine import DeployEngine
from service_contract.targets import Target
from tests.cdk_service.cloudformation.conftest import Aws
from tests.cdk_service.cloudformation.templates import QUEUE, workspace

STACK = "analytics-workspace"


@pytest.fixture
def deployed(engine: DeployEngine, target: Target) -> None:
    ref = engine.prepare(target, stack_name=STACK, deployment_id="d1", template=workspace())
    engine.execute(target, ref)


@pytest.mark.usefixtures("deployed")
def test_an_endpoint_without_drift_detection_says_so(engine: DeployEngine, target: Target) -> None:
    # moto 5.2 does not implement DetectStackDrift: it answers with an HTML 500 page.
    with pytest.raises(DriftUnsupported) as unsupported:
        engine.detect_drift(target, STACK)

    assert unsupported.value.code == "drift_unsupported"
    assert "cannot detect drift" in unsupported.value.message


@pytest.mark.usefixtures("deployed")
def test_a_queue_changed_by_hand_is_reported_as_drifted(
    engine: DeployEngine, target: Target, aws: Aws
) -> None:
    sqs = aws("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "600"})

    try:
        report = engine.detect_drift(target, STACK)
    except DriftUnsupported as unsupported:
        pytest.skip(f"moto does not implement drift detection: {unsupported.message[:120]}")

    assert report.stack_drift_status == "DRIFTED"
    assert [d.logical_id for d in report.drifted] == ["Ingest"]


class DriftedCloudFormation:
    """What CloudFormation answers once it has found a queue's timeout changed by hand."""

    def describe_stack_drift_detection_status(self, StackDriftDetectionId: str) -> dict[str, Any]:
        return {"DetectionStatus": "DETECTION_COMPLETE", "StackDriftStatus": "DRIFTED"}

    def describe_stack_resource_drifts(self, **arguments: Any) -> dict[str, Any]:
        assert arguments["StackResourceDriftStatusFilters"] == ["MODIFIED", "DELETED"]
        difference = {
            "PropertyPath": "/VisibilityTimeout",
            "ExpectedValue": "30",
            "ActualValue": "600",
            "DifferenceType": "NOT_EQUAL",
        }
        drift = {
            "LogicalResourceId": "Ingest",
            "ResourceType": "AWS::SQS::Queue",
            "StackResourceDriftStatus": "MODIFIED",
            "PropertyDifferences": [difference],
        }
        return {"StackResourceDrifts": [drift]}


def test_a_drift_report_names_the_changed_property() -> None:
    report = detection_result(DriftedCloudFormation(), STACK, "detection-1")

    assert report is not None
    (queue,) = report.drifted
    (difference,) = queue.differences
    assert (queue.logical_id, difference.path, difference.actual) == (
        "Ingest",
        "/VisibilityTimeout",
        "600",
    )
