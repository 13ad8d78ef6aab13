"""The service's celery app on the broker settings the platform gives its tasks, on moto's SQS."""

from __future__ import annotations

import json

import boto3
import pytest
from kombu.asynchronous import Hub, set_event_loop

from tests.platform.test_service import containers


@pytest.fixture
def sqs_on_moto(fake_credentials, fresh_moto, moto_url, monkeypatch):
    """boto3 (and so kombu's SQS transport) pointed at moto."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)


def plain_environment(container: dict) -> dict[str, str]:
    """The container's variables whose values are known at synth (not tokens)."""
    return {
        variable["Name"]: variable["Value"]
        for variable in container["Environment"]
        if isinstance(variable["Value"], str)
    }


def test_the_tasks_run_celery_on_sqs_in_the_platform_region(platform) -> None:
    for container in containers(platform).values():
        environment = plain_environment(container)
        assert environment["DATAHUB_BROKER_URL"] == "sqs://"
        assert environment["AWS_DEFAULT_REGION"] == platform.config.region
        queue_name = next(v for v in container["Environment"] if v["Name"].endswith("QUEUE"))
        assert "Jobs" in json.dumps(queue_name["Value"]), "the platform's job queue, by name"


def test_the_tasks_may_list_queues_which_kombu_needs_to_find_the_job_queue(platform) -> None:
    from tests.platform.test_service import policy_statements

    for prefix in ("WebTaskTaskRole", "WorkersTaskTaskRole"):
        listing = [
            s for s in policy_statements(platform, prefix) if s["Action"] == "sqs:ListQueues"
        ]
        assert [s["Resource"] for s in listing] == ["*"]


def test_a_deploy_task_queued_with_those_settings_lands_on_the_existing_job_queue(
    platform, sqs_on_moto, monkeypatch
) -> None:
    from cdk_service.jobs.app import celery_app
    from cdk_service.jobs.tasks import deploy
    from cdk_service.settings import Settings

    region = platform.config.region
    sqs = boto3.client("sqs", region_name=region)
    queue_url = sqs.create_queue(QueueName="dh-test-Jobs1A2B3C")["QueueUrl"]
    (web,) = [c for c in containers(platform).values() if c["Command"][-1] == "serve"]
    for name, value in plain_environment(web).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATAHUB_WORKER_QUEUE", "dh-test-Jobs1A2B3C")  # a token in the template

    app = celery_app(Settings())
    app.tasks[deploy.name].delay("0b7c2b1e-5a4e-4d7f-9b0e-000000000001")

    received = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    assert len(received) == 1
    assert sqs.list_queues()["QueueUrls"] == [queue_url], "no queue created beside it"
    # The consuming side, as a worker reads: kombu's event loop (the hub) and its async client.
    sqs.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=received[0]["ReceiptHandle"], VisibilityTimeout=0
    )
    hub = Hub()
    set_event_loop(hub)
    try:
        with app.connection_for_read() as connection:
            got = connection.SimpleQueue("dh-test-Jobs1A2B3C", no_ack=True).get(timeout=5)
    finally:
        set_event_loop(None)
        hub.close()
    assert got.headers["task"] == deploy.name
    assert got.headers["argsrepr"] == "('0b7c2b1e-5a4e-4d7f-9b0e-000000000001',)"
