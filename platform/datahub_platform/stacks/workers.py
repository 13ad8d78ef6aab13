"""AWS Worker: the Lambda that runs short AWS SDK tasks taken from its SQS queue."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_lambda_event_sources as event_sources
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.functions import AWS_WORKER
from datahub_platform.stacks.network import NetworkStack
from datahub_platform.stacks.queue import QueueStack
from datahub_platform.stacks.service import ServiceStack

TASK_TIMEOUT = cdk.Duration.minutes(1)
BATCH_SIZE = 5
MAX_CONCURRENCY = 10


class WorkersStack(PlatformStack):
    """The AWS Worker Lambda and its queue trigger (failed tasks go to the dead-letter queue)."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        queues: QueueStack,
        service: ServiceStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="AWS Worker Lambda")
        self.function = service.client_function(
            self,
            "AwsWorker",
            network=network,
            handler=AWS_WORKER,
            description="Short AWS SDK tasks queued by the service",
            timeout=TASK_TIMEOUT,
        )
        self.function.add_event_source(
            event_sources.SqsEventSource(
                queues.tasks,
                batch_size=BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=MAX_CONCURRENCY,
            )
        )
