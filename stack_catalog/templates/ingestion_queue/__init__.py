"""The ingestion-queue template: an encrypted queue with a dead-letter queue and an alarm."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from stack_catalog.contract import Template, TemplateParams
from stack_catalog.templates.parameters import ResourceName

EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"

OUTPUTS = {
    "QueueUrl": "URL of the ingestion queue producers send to",
    "QueueArn": "ARN of the ingestion queue",
    "DeadLetterQueueUrl": "URL of the dead-letter queue receiving messages that kept failing",
    "NotificationTopicArn": "ARN of the SNS topic notified when the dead-letter queue fills",
    "KmsKeyArn": "ARN of the customer managed KMS key encrypting the queues and the topic",
}


class Params(TemplateParams):
    """What a team chooses when it requests an ingestion queue."""

    model_config = ConfigDict(title="Ingestion queue parameters")

    queue_name: ResourceName = Field(examples=["orders-events"])
    visibility_timeout_seconds: int = Field(
        default=300,
        ge=0,
        le=43200,
        description="Seconds a received message stays hidden from other consumers",
    )
    message_retention_days: int = Field(
        default=4, ge=1, le=14, description="Days an unprocessed message is kept"
    )
    max_receive_count: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Receives before a message moves to the dead-letter queue",
    )
    dead_letter_retention_days: int = Field(
        default=14, ge=1, le=14, description="Days a message is kept in the dead-letter queue"
    )
    alarm_threshold_messages: int = Field(
        default=1,
        ge=1,
        le=100000,
        description="Messages waiting in the dead-letter queue that raise the alarm",
    )
    notification_email: str | None = Field(
        default=None,
        max_length=254,
        pattern=EMAIL_PATTERN,
        description="Email address subscribed to alarm notifications (it must confirm); "
        "empty means no subscription",
        examples=["data-oncall@example.com"],
    )


class LongPollingParams(Params):
    """1.1.0: consumers long-poll the queue by default (fewer empty receives, lower cost)."""

    model_config = ConfigDict(title="Ingestion queue parameters")

    receive_wait_seconds: int = Field(
        default=20,
        ge=0,
        le=20,
        description="Seconds a receive call waits for messages to arrive (long polling); "
        "0 answers at once",
    )


DESCRIPTION = (
    "An SQS queue encrypted with a customer managed key, with a dead-letter queue, TLS-only "
    "policies and a CloudWatch alarm on dead-letter depth that notifies an encrypted SNS "
    "topic. Outputs are also published as SSM parameters under "
    "/datahub/<team>/queues/<queue_name>/."
)
STACK = "stack_catalog.templates.ingestion_queue.stack:IngestionQueueStack"

TEMPLATES = [
    Template(
        name="ingestion-queue",
        version="1.0.0",
        title="Ingestion queue",
        description=DESCRIPTION,
        params=Params,
        stack=STACK,
        outputs=OUTPUTS,
    ),
    Template(
        name="ingestion-queue",
        version="1.1.0",
        title="Ingestion queue",
        description=f"{DESCRIPTION} Since 1.1.0 the queue long-polls: a receive waits up to "
        "receive_wait_seconds (20 by default) for messages instead of answering empty.",
        params=LongPollingParams,
        stack=STACK,
        outputs=OUTPUTS,
    ),
]
