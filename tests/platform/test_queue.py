"""Queue: SQS under the platform's key, each working queue with a dead-letter queue, TLS only."""

from __future__ import annotations

from datahub_platform.stacks.queue import MAX_RECEIVES


def test_every_queue_is_encrypted_with_the_platform_key(platform) -> None:
    key_id = next(iter(platform.resources("Queue", "AWS::KMS::Key")))
    queues = platform.resources("Queue", "AWS::SQS::Queue")
    assert len(queues) == 4
    for queue in queues.values():
        assert queue["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}


def test_the_job_and_task_queues_send_repeated_failures_to_dead_letter_queues(platform) -> None:
    queues = platform.resources("Queue", "AWS::SQS::Queue")
    working = {k: q for k, q in queues.items() if "DeadLetters" not in k}
    assert {k.rstrip("0123456789ABCDEF") for k in working} == {"Jobs", "Tasks"}
    for name, queue in working.items():
        redrive = queue["Properties"]["RedrivePolicy"]
        target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert target.startswith(f"{name.rstrip('0123456789ABCDEF')}DeadLetters")
        assert redrive["maxReceiveCount"] == MAX_RECEIVES


def test_queues_refuse_requests_without_tls(platform) -> None:
    policies = platform.resources("Queue", "AWS::SQS::QueuePolicy").values()
    covered = set()
    for policy in policies:
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny":
                assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                covered |= {ref["Ref"] for ref in policy["Properties"]["Queues"]}
    assert covered == set(platform.resources("Queue", "AWS::SQS::Queue"))
