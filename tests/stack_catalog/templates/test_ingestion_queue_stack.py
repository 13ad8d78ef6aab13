"""The ingestion-queue stack: encrypted queues, a dead-letter alarm and encrypted notifications."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import (
    denies_insecure_transport,
    logical_id,
    only,
    resources,
)

PARAMS = {
    "queue_name": "orders-events",
    "max_receive_count": 7,
    "alarm_threshold_messages": 3,
    "notification_email": "data-oncall@example.com",
}


@pytest.fixture(scope="module")
def template(synth: Synth) -> dict[str, Any]:
    """The ingestion queue synthesized with an email subscription."""
    return synth("ingestion-queue", PARAMS).template


def queues(
    template: dict[str, Any],
) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """(logical id, properties) of the ingestion queue and of its dead-letter queue."""
    found = resources(template, "AWS::SQS::Queue")
    (queue_id,) = (qid for qid, q in found.items() if "RedrivePolicy" in q["Properties"])
    redrive = found[queue_id]["Properties"]["RedrivePolicy"]
    dead_letter_id = logical_id(template, redrive["deadLetterTargetArn"])
    return (
        (queue_id, found[queue_id]["Properties"]),
        (dead_letter_id, found[dead_letter_id]["Properties"]),
    )


def test_both_queues_are_encrypted_with_the_rotating_key(template: dict[str, Any]) -> None:
    ((_, queue), (_, dead_letters)) = queues(template)
    (key_id, key) = next(iter(resources(template, "AWS::KMS::Key").items()))

    assert key["Properties"]["EnableKeyRotation"] is True
    assert logical_id(template, queue["KmsMasterKeyId"]) == key_id
    assert logical_id(template, dead_letters["KmsMasterKeyId"]) == key_id


def test_messages_move_to_the_dead_letter_queue_after_the_receive_limit(
    template: dict[str, Any],
) -> None:
    ((_, queue), _) = queues(template)

    assert queue["RedrivePolicy"]["maxReceiveCount"] == 7


def test_both_queues_refuse_plain_http(template: dict[str, Any]) -> None:
    policies = {
        logical_id(template, queue_ref): policy["Properties"]["PolicyDocument"]
        for policy in resources(template, "AWS::SQS::QueuePolicy").values()
        for queue_ref in policy["Properties"]["Queues"]
    }

    assert set(policies) == set(resources(template, "AWS::SQS::Queue"))
    assert all(denies_insecure_transport(document) for document in policies.values())


def test_the_topic_is_encrypted_and_refuses_plain_http(template: dict[str, Any]) -> None:
    (key_id,) = resources(template, "AWS::KMS::Key")
    topic = only(template, "AWS::SNS::Topic")
    policy = only(template, "AWS::SNS::TopicPolicy")["PolicyDocument"]

    assert logical_id(template, topic["KmsMasterKeyId"]) == key_id
    assert denies_insecure_transport(policy)


def test_a_filling_dead_letter_queue_raises_an_alarm_on_the_topic(
    template: dict[str, Any],
) -> None:
    (_, (dead_letter_id, _)) = queues(template)
    alarm = only(template, "AWS::CloudWatch::Alarm")
    (topic_id,) = resources(template, "AWS::SNS::Topic")
    (dimension,) = alarm["Dimensions"]

    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert logical_id(template, dimension["Value"]) == dead_letter_id
    assert alarm["Threshold"] == 3
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert [logical_id(template, action) for action in alarm["AlarmActions"]] == [topic_id]


def test_cloudwatch_may_use_the_key_to_publish_alarms(template: dict[str, Any]) -> None:
    (key,) = resources(template, "AWS::KMS::Key").values()
    statements = key["Properties"]["KeyPolicy"]["Statement"]

    assert any(
        statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        and "kms:Decrypt" in statement["Action"]
        for statement in statements
    )


def test_the_email_address_is_subscribed_only_when_given(
    template: dict[str, Any], synth: Synth
) -> None:
    without_email = synth("ingestion-queue", {"queue_name": "orders-events"}).template
    subscription = only(template, "AWS::SNS::Subscription")

    assert subscription["Protocol"] == "email"
    assert subscription["Endpoint"] == "data-oncall@example.com"
    assert resources(without_email, "AWS::SNS::Subscription") == {}
