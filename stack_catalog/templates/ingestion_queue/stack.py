"""The ingestion-queue stack: encrypted queue, dead-letter queue, alarm and notification topic."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stack_catalog.constructs.encryption import customer_managed_key
from stack_catalog.constructs.published_outputs import publish_outputs
from stack_catalog.contract import DeployContext
from stack_catalog.templates.ingestion_queue import OUTPUTS, LongPollingParams, Params

# What CloudWatch needs on the key to publish alarms to a topic encrypted with it.
ALARM_PUBLISHING_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")


class IngestionQueueStack(cdk.Stack):
    """An ingestion queue; everything it builds comes from its params and context."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        params: Params,
        context: DeployContext,
        **stack_kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **stack_kwargs)
        qualified_name = f"{context.team}-{params.queue_name}"
        self.key = customer_managed_key(
            self,
            "QueueKey",
            alias=f"alias/datahub/{context.team}/queues/{params.queue_name}",
            purpose=f"Encrypts messages and notifications of ingestion queue {qualified_name}",
            outlives_stack=False,
        )
        self.dead_letters = self._queue(
            "DeadLetterQueue", retention_days=params.dead_letter_retention_days
        )
        self.queue = self._queue(
            "Queue",
            retention_days=params.message_retention_days,
            visibility_timeout=cdk.Duration.seconds(params.visibility_timeout_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letters, max_receive_count=params.max_receive_count
            ),
            **_long_polling(params),
        )
        self.topic = self._notification_topic(params, qualified_name)
        self._dead_letter_alarm(params, qualified_name)
        publish_outputs(
            self,
            documented=OUTPUTS,
            values=self._output_values(),
            parameter_path=f"/datahub/{context.team}/queues/{params.queue_name}",
        )

    def _queue(self, construct_id: str, *, retention_days: int, **queue_props: Any) -> sqs.Queue:
        return sqs.Queue(
            self,
            construct_id,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
            **queue_props,
        )

    def _notification_topic(self, params: Params, qualified_name: str) -> sns.Topic:
        topic = sns.Topic(
            self,
            "Notifications",
            display_name=f"DATAHUB {qualified_name} ingestion alarms",
            master_key=self.key,
            enforce_ssl=True,
        )
        if params.notification_email:
            topic.add_subscription(subscriptions.EmailSubscription(params.notification_email))
        _allow_alarm_publishing(self.key)
        return topic

    def _dead_letter_alarm(self, params: Params, qualified_name: str) -> cloudwatch.Alarm:
        depth = self.dead_letters.metric_approximate_number_of_messages_visible(
            period=cdk.Duration.minutes(1), statistic=cloudwatch.Stats.MAXIMUM
        )
        alarm = cloudwatch.Alarm(
            self,
            "DeadLetterAlarm",
            alarm_description=f"Messages of ingestion queue {qualified_name} are failing "
            "and waiting in its dead-letter queue",
            metric=depth,
            threshold=params.alarm_threshold_messages,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cloudwatch_actions.SnsAction(self.topic))
        return alarm

    def _output_values(self) -> dict[str, str]:
        return {
            "QueueUrl": self.queue.queue_url,
            "QueueArn": self.queue.queue_arn,
            "DeadLetterQueueUrl": self.dead_letters.queue_url,
            "NotificationTopicArn": self.topic.topic_arn,
            "KmsKeyArn": self.key.key_arn,
        }


def _long_polling(params: Params) -> dict[str, Any]:
    """The receive wait of versions that long-poll (1.1.0 on); none before, as 1.0.0 built."""
    if not isinstance(params, LongPollingParams):
        return {}
    return {"receive_message_wait_time": cdk.Duration.seconds(params.receive_wait_seconds)}


def _allow_alarm_publishing(key: kms.IKey) -> None:
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=list(ALARM_PUBLISHING_KEY_ACTIONS),
            resources=["*"],
        )
    )
