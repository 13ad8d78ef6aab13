"""Monitoring: alarms on dead letters, API 5xx, failed deployments, Aurora and OpenSearch."""

from __future__ import annotations

from tests.platform.references import mentioned


def alarms(platform) -> dict[str, dict]:
    found = platform.resources("Monitoring", "AWS::CloudWatch::Alarm")
    return {k: a["Properties"] for k, a in found.items()}


def test_every_alarm_notifies_the_topic_which_emails_the_operators(platform) -> None:
    topics = platform.resources("Monitoring", "AWS::SNS::Topic")
    ((topic_id, topic),) = topics.items()
    keys = platform.resources("Monitoring", "AWS::KMS::Key")
    assert mentioned(topic["Properties"]["KmsMasterKeyId"], keys) == set(keys)
    (subscription,) = platform.resources("Monitoring", "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == platform.config.alarm_email
    for name, alarm in alarms(platform).items():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}], name
        assert alarm["OKActions"] == [{"Ref": topic_id}], name


def test_cloudwatch_may_use_the_topic_key(platform) -> None:
    (key,) = platform.resources("Monitoring", "AWS::KMS::Key").values()
    principals = [s.get("Principal") for s in key["Properties"]["KeyPolicy"]["Statement"]]
    assert {"Service": "cloudwatch.amazonaws.com"} in principals


def test_dead_letter_queues_of_jobs_and_tasks_raise_alarms(platform) -> None:
    queues = {k for k in platform.resources("Queue", "AWS::SQS::Queue") if "DeadLetters" in k}
    watched = set()
    for alarm in alarms(platform).values():
        if alarm.get("MetricName") == "ApproximateNumberOfMessagesVisible":
            watched |= mentioned(alarm["Dimensions"], queues)
            assert alarm["Threshold"] == 1
    assert watched == queues


def test_both_apis_alarm_on_5xx(platform) -> None:
    names = {
        d["Value"]
        for alarm in alarms(platform).values()
        if alarm.get("MetricName") == "5XXError"
        for d in alarm["Dimensions"]
        if d["Name"] == "ApiName"
    }
    assert names == {"dh-test-backendapi", "dh-test-metadataapi"}


def test_failed_deployments_raise_an_alarm_from_the_workers_log_event(platform) -> None:
    filters = platform.resources("Service", "AWS::Logs::MetricFilter").values()
    (metric_filter,) = filters
    props = metric_filter["Properties"]
    assert props["FilterPattern"] == '{ $.event = "deployment_failed" }'
    worker_logs = {
        k
        for k in platform.resources("Service", "AWS::Logs::LogGroup")
        if k.startswith("WorkersLogs")
    }
    assert mentioned(props["LogGroupName"], worker_logs) == worker_logs
    (transformation,) = props["MetricTransformations"]
    failed = [
        a
        for a in alarms(platform).values()
        if a.get("MetricName") == transformation["MetricName"]
        and a.get("Namespace") == transformation["MetricNamespace"]
    ]
    assert len(failed) == 1


def test_aurora_and_opensearch_health_are_watched(platform) -> None:
    by_namespace: dict[str, set[str]] = {}
    for alarm in alarms(platform).values():
        by_namespace.setdefault(alarm.get("Namespace", ""), set()).add(alarm.get("MetricName"))
    assert {"CPUUtilization", "ACUUtilization"} <= by_namespace["AWS/RDS"]
    assert {
        "ClusterStatus.red",
        "ClusterStatus.yellow",
        "ClusterIndexWritesBlocked",
        "FreeStorageSpace",
        "MasterReachableFromNode",
    } <= by_namespace["AWS/ES"]


def test_a_service_rollout_stopped_by_its_circuit_breaker_is_sent_to_the_topic(platform) -> None:
    (rule,) = platform.resources("Monitoring", "AWS::Events::Rule").values()
    props = rule["Properties"]
    assert props["EventPattern"]["detail"] == {"eventName": ["SERVICE_DEPLOYMENT_FAILED"]}
    services = platform.resources("Service", "AWS::ECS::Service")
    assert mentioned(props["EventPattern"]["resources"], services) == set(services)
    topics = platform.resources("Monitoring", "AWS::SNS::Topic")
    (target,) = props["Targets"]
    assert mentioned(target["Arn"], topics) == set(topics)
    (policy,) = platform.resources("Monitoring", "AWS::SNS::TopicPolicy").values()
    publishers = [
        s["Principal"]
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    assert {"Service": "events.amazonaws.com"} in publishers
