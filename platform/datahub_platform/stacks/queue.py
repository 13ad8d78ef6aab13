"""Queue: SQS under the platform's key, each queue with a dead-letter queue."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import PlatformStack
from stack_catalog.constructs.encryption import customer_managed_key

MAX_RECEIVES = 5
DEAD_LETTER_RETENTION = cdk.Duration.days(14)


class QueueStack(PlatformStack):
    """The job queue between the service and its workers, and the AWS Worker Lambda's queue."""

    def __init__(self, scope: Construct, stack_id: str, *, config: PlatformConfig) -> None:
        super().__init__(scope, stack_id, config=config, description="queues")
        self.key = customer_managed_key(
            self,
            "Key",
            alias=f"alias/{config.prefix}/queues",
            purpose="SQS messages of the service's jobs and the AWS Worker's tasks",
            outlives_stack=False,
        )
        # Visibility covers the longest job: a deployment step under a worker's lease.
        self.jobs, self.jobs_dead_letters = self._queue_pair("Jobs", cdk.Duration.minutes(15))
        # Six times the AWS Worker Lambda's timeout, as Lambda's SQS trigger asks.
        self.tasks, self.tasks_dead_letters = self._queue_pair("Tasks", cdk.Duration.minutes(6))

    def _queue_pair(self, name: str, visibility: cdk.Duration) -> tuple[sqs.Queue, sqs.Queue]:
        dead_letters = sqs.Queue(
            self,
            f"{name}DeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )
        queue = sqs.Queue(
            self,
            name,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            visibility_timeout=visibility,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letters, max_receive_count=MAX_RECEIVES
            ),
        )
        return queue, dead_letters
