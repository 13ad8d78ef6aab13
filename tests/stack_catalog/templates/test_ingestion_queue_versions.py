"""ingestion-queue 1.1.0: the queue long-polls; 1.0.0 is built as it always was."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_service.synthesis.synthesizer import parse_params
from service_contract.errors import InvalidInput
from stack_catalog.registry import Registry
from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import resources

PARAMS = {"queue_name": "orders-events"}


def ingestion_queue(template: dict[str, Any]) -> dict[str, Any]:
    """The properties of the queue that has a dead-letter queue."""
    (queue,) = (
        q["Properties"]
        for q in resources(template, "AWS::SQS::Queue").values()
        if "RedrivePolicy" in q["Properties"]
    )
    return queue


def test_1_1_0_long_polls_for_20_seconds_by_default(synth: Synth) -> None:
    result = synth("ingestion-queue", PARAMS, version="1.1.0")

    assert ingestion_queue(result.template)["ReceiveMessageWaitTimeSeconds"] == 20
    assert [f for f in result.findings if f.level == "error"] == []


def test_the_receive_wait_is_a_parameter(synth: Synth) -> None:
    template = synth("ingestion-queue", {**PARAMS, "receive_wait_seconds": 5}, version="1.1.0")

    assert ingestion_queue(template.template)["ReceiveMessageWaitTimeSeconds"] == 5


def test_1_0_0_still_answers_receives_at_once(synth: Synth) -> None:
    template = synth("ingestion-queue", PARAMS).template

    assert "ReceiveMessageWaitTimeSeconds" not in ingestion_queue(template)


def test_both_versions_publish_the_same_outputs(synth: Synth) -> None:
    old = synth("ingestion-queue", PARAMS).template["Outputs"]
    new = synth("ingestion-queue", PARAMS, version="1.1.0").template["Outputs"]

    assert set(old) == set(new)


@pytest.mark.parametrize("wait", [-1, 21])
def test_a_wait_beyond_what_sqs_allows_is_refused(wait: int) -> None:
    template = Registry.discover().get("ingestion-queue", "1.1.0")
    assert template is not None

    with pytest.raises(InvalidInput) as refused:
        parse_params(template, {**PARAMS, "receive_wait_seconds": wait})

    assert refused.value.details[0]["field"] == "receive_wait_seconds"
