"""Monitoring: alarms on what needs a person, sent to an SNS topic that emails the operators."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.backend_api import BackendApiStack
from datahub_platform.stacks.base import PlatformStack
from datahub_platform.stacks.data import DataStack
from datahub_platform.stacks.metadata_api import MetadataApiStack
from datahub_platform.stacks.queue import QueueStack
from datahub_platform.stacks.search import SearchStack
from datahub_platform.stacks.service import ServiceStack
from stack_catalog.constructs.encryption import customer_managed_key

NAMESPACE = "DATAHUB"
# The deploy worker logs this event (cdk_service/jobs/flow.py) when a deployment fails.
DEPLOYMENT_FAILED = logs.FilterPattern.string_value("$.event", "=", "deployment_failed")
FIVE_MINUTES = cdk.Duration.minutes(5)


class MonitoringStack(PlatformStack):
    """Alarms on dead letters, API 5xx, failed deployments, Aurora and OpenSearch health."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        queues: QueueStack,
        data: DataStack,
        search: SearchStack,
        service: ServiceStack,
        backend: BackendApiStack,
        metadata: MetadataApiStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="alarms")
        key = customer_managed_key(
            self,
            "Key",
            alias=f"alias/{config.prefix}/alarms",
            purpose="Alarm notifications",
            outlives_stack=False,
        )
        for publisher in ("cloudwatch.amazonaws.com", "events.amazonaws.com"):
            key.grant_encrypt_decrypt(iam.ServicePrincipal(publisher))
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"DATAHUB {config.prefix} alarms",
            master_key=key,
            enforce_ssl=True,
        )
        self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        self._action = actions.SnsAction(self.topic)
        self.alarms: list[cloudwatch.Alarm] = []
        for name, queue in (
            ("Jobs", queues.jobs_dead_letters),
            ("Tasks", queues.tasks_dead_letters),
        ):
            self._dead_letters(name, queue)
        for name, api in (("BackendApi", backend.api), ("MetadataApi", metadata.api)):
            self._alarm(
                f"{name}ServerErrors",
                api.metric_server_error(period=FIVE_MINUTES, statistic="Sum"),
                threshold=5,
                what=f"{name} answered 5xx",
            )
        self._failed_deployments(service)
        self._failed_service_rollouts(service)
        self._database_health(data)
        self._search_health(search)
        self.publish(AlarmTopicArn=self.topic.topic_arn)

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        what: str,
        periods: int = 1,
        below: bool = False,
    ) -> None:
        comparison = (
            cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
            if below
            else cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        )
        alarm = cloudwatch.Alarm(
            self,
            name,
            metric=metric,
            alarm_description=f"DATAHUB {self.config.prefix}: {what}",
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=comparison,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)

    def _dead_letters(self, name: str, queue: sqs.IQueue) -> None:
        self._alarm(
            f"{name}DeadLetters",
            queue.metric_approximate_number_of_messages_visible(
                period=FIVE_MINUTES, statistic="Maximum"
            ),
            threshold=1,
            what=f"messages in the {name.lower()} dead-letter queue",
        )

    def _failed_deployments(self, service: ServiceStack) -> None:
        worker_logs = service.worker_logs
        filter_ = worker_logs.add_metric_filter(
            "DeploymentFailed",
            filter_pattern=DEPLOYMENT_FAILED,
            metric_namespace=NAMESPACE,
            metric_name="DeploymentsFailed",
            metric_value="1",
            default_value=0,
        )
        self._alarm(
            "DeploymentsFailed",
            filter_.metric(period=FIVE_MINUTES, statistic="Sum"),
            threshold=1,
            what="a catalog stack deployment failed",
        )

    def _failed_service_rollouts(self, service: ServiceStack) -> None:
        # A rollout of the service that its circuit breaker stopped (and rolled back) is an
        # ECS event, not a metric: EventBridge forwards it to the topic.
        events.Rule(
            self,
            "ServiceRolloutFailed",
            description=f"DATAHUB {self.config.prefix}: a rollout of the service failed",
            event_pattern=events.EventPattern(
                source=["aws.ecs"],
                detail_type=["ECS Deployment State Change"],
                detail={"eventName": ["SERVICE_DEPLOYMENT_FAILED"]},
                resources=[
                    service.web.service_arn,
                    service.workers.service_arn,
                    service.scheduler.service_arn,
                ],
            ),
            targets=[targets.SnsTopic(self.topic)],
        )

    def _database_health(self, data: DataStack) -> None:
        cluster = data.cluster
        self._alarm(
            "DatabaseCpu",
            cluster.metric_cpu_utilization(period=FIVE_MINUTES),
            threshold=90,
            periods=3,
            what="Aurora CPU above 90% for 15 minutes",
        )
        self._alarm(
            "DatabaseCapacity",
            cluster.metric("ACUUtilization", period=FIVE_MINUTES, statistic="Maximum"),
            threshold=90,
            periods=3,
            what="Aurora at over 90% of its maximum capacity for 15 minutes",
        )

    def _search_health(self, search: SearchStack) -> None:
        domain = search.domain
        minute = cdk.Duration.minutes(1)
        self._alarm(
            "SearchRed",
            domain.metric_cluster_status_red(period=minute),
            threshold=1,
            what="OpenSearch cluster status red: a primary shard is unassigned",
        )
        self._alarm(
            "SearchYellow",
            domain.metric_cluster_status_yellow(period=minute),
            threshold=1,
            periods=15,
            what="OpenSearch cluster status yellow for 15 minutes: replicas unassigned",
        )
        self._alarm(
            "SearchWritesBlocked",
            domain.metric_cluster_index_writes_blocked(period=FIVE_MINUTES),
            threshold=1,
            what="OpenSearch blocks index writes",
        )
        volume_mib = self.config.sizing.search_volume_gib * 1024
        self._alarm(
            "SearchFreeStorage",
            domain.metric_free_storage_space(period=FIVE_MINUTES, statistic="Minimum"),
            threshold=volume_mib * 0.2,
            below=True,
            what="an OpenSearch node has under 20% of its storage free",
        )
        self._alarm(
            "SearchManagerUnreachable",
            domain.metric("MasterReachableFromNode", period=minute, statistic="Minimum"),
            threshold=1,
            periods=5,
            below=True,
            what="a node could not reach the cluster manager for 5 minutes",
        )
