"""CDK service: web and workers on Fargate from one image, internal ALB, queue-depth scaling."""

from __future__ import annotations

from aws_cdk import assertions
from datahub_platform.stacks.service import SCHEDULER_COMMAND, WEB_COMMAND, WORKER_COMMAND


def containers(platform) -> dict[str, dict]:
    tasks = platform.resources("Service", "AWS::ECS::TaskDefinition")
    by_command = {}
    for task in tasks.values():
        (container,) = task["Properties"]["ContainerDefinitions"]
        by_command[" ".join(container["Command"])] = container
    return by_command


def test_web_workers_and_scheduler_run_on_fargate_from_the_image_built_by_digest(platform) -> None:
    found = containers(platform)
    commands = (WEB_COMMAND, WORKER_COMMAND, SCHEDULER_COMMAND)
    assert set(found) == {" ".join(command) for command in commands}
    images = {str(container["Image"]) for container in found.values()}
    assert len(images) == 1, "one image for both"
    image = next(iter(images))
    (built,) = platform.resources("Service", "Custom::ServiceImage")
    assert f"'@', {{'Fn::GetAtt': ['{built}', 'Digest']}}" in image
    template = platform.template("Service")
    template.resource_count_is("AWS::ECS::Service", 3)
    template.all_resources_properties("AWS::ECS::Service", {"LaunchType": "FARGATE"})
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]},
    )


def test_every_task_runs_an_init_process_that_reaps_what_a_kill_orphans(platform) -> None:
    for container in containers(platform).values():
        assert container["LinuxParameters"]["InitProcessEnabled"] is True


def test_jsii_keeps_its_package_cache_on_a_writable_task_volume(platform) -> None:
    tasks = platform.resources("Service", "AWS::ECS::TaskDefinition").values()
    assert len(tasks) == 3
    for task in tasks:
        (container,) = task["Properties"]["ContainerDefinitions"]
        environment = {v["Name"]: v["Value"] for v in container["Environment"]}
        root = environment["JSII_RUNTIME_PACKAGE_CACHE_ROOT"]
        (mount,) = [m for m in container["MountPoints"] if m["ContainerPath"] == root]
        assert mount["ReadOnly"] is False
        volumes = {volume["Name"]: volume for volume in task["Properties"]["Volumes"]}
        # No host path, no EFS: the task's own ephemeral storage, which lives as long as it.
        assert volumes[mount["SourceVolume"]] == {"Name": mount["SourceVolume"]}


def test_secrets_reach_the_tasks_from_secrets_manager_never_as_plain_environment(platform) -> None:
    for container in containers(platform).values():
        names = {variable["Name"] for variable in container["Environment"]}
        assert not {name for name in names if "PASSWORD" in name or name.endswith("SERVICE_KEY")}
        secrets = {secret["Name"]: secret["ValueFrom"] for secret in container["Secrets"]}
        assert set(secrets) == {
            "DATAHUB_SERVICE_KEY",
            "DATAHUB_DATABASE_HOST",
            "DATAHUB_DATABASE_PORT",
            "DATAHUB_DATABASE_USERNAME",
            "DATAHUB_DATABASE_PASSWORD",
        }
        assert ":password::" in str(secrets["DATAHUB_DATABASE_PASSWORD"])


def test_the_load_balancer_is_internal_and_forwards_only_to_the_web_tasks(platform) -> None:
    template = platform.template("Service")
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 1)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Scheme": "internal",
            "Type": "application",
            "LoadBalancerAttributes": assertions.Match.array_with(
                [{"Key": "access_logs.s3.enabled", "Value": "true"}]
            ),
        },
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"HealthCheckPath": "/healthz", "Port": 8080, "TargetType": "ip"},
    )
    services = platform.resources("Service", "AWS::ECS::Service")
    balanced = [k for k, s in services.items() if s["Properties"].get("LoadBalancers")]
    assert len(balanced) == 1 and balanced[0].startswith("Web")


def test_workers_scale_on_the_job_queue_depth(platform) -> None:
    sizing = platform.config.sizing
    template = platform.template("Service")
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {"MinCapacity": sizing.worker_min_tasks, "MaxCapacity": sizing.worker_max_tasks},
    )
    alarms = platform.resources("Service", "AWS::CloudWatch::Alarm").values()
    scaling_alarms = [
        a["Properties"] for a in alarms if "scaling" in a["Properties"]["AlarmDescription"]
    ]
    assert len(scaling_alarms) == 2
    for alarm in scaling_alarms:
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Namespace"] == "AWS/SQS"
        assert "Jobs" in str(alarm["Dimensions"])
    upper = next(a for a in scaling_alarms if a["ComparisonOperator"].startswith("Greater"))
    assert upper["Threshold"] == sizing.jobs_per_worker
    services = platform.resources("Service", "AWS::ECS::Service")
    targets = platform.resources("Service", "AWS::ApplicationAutoScaling::ScalableTarget")
    (target,) = [t for k, t in targets.items() if k.startswith("Workers")]
    scaled = [k for k in services if k in str(target["Properties"]["ResourceId"])]
    assert len(scaled) == 1 and scaled[0].startswith("Workers")


def test_deployments_roll_back_on_failure(platform) -> None:
    for service in platform.resources("Service", "AWS::ECS::Service").values():
        breaker = service["Properties"]["DeploymentConfiguration"]["DeploymentCircuitBreaker"]
        assert breaker == {"Enable": True, "Rollback": True}


def policy_statements(platform, role_prefix: str) -> list[dict]:
    roles = {
        k for k in platform.resources("Service", "AWS::IAM::Role") if k.startswith(role_prefix)
    }
    return [
        statement
        for policy in platform.resources("Service", "AWS::IAM::Policy").values()
        if roles & {role["Ref"] for role in policy["Properties"]["Roles"]}
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_only_the_workers_may_assume_target_accounts_deploy_roles(platform) -> None:
    def assumes(prefix: str) -> list:
        return [
            s["Resource"]
            for s in policy_statements(platform, prefix)
            if s["Action"] == "sts:AssumeRole"
        ]

    assert assumes("WorkersTaskTaskRole") == ["arn:aws:iam::*:role/cdk-*-deploy-role-*"]
    assert assumes("WebTaskTaskRole") == []


def test_tasks_sign_search_requests_as_themselves_on_the_platform_domain_only(platform) -> None:
    for prefix in ("WebTaskTaskRole", "WorkersTaskTaskRole"):
        search = [s for s in policy_statements(platform, prefix) if "es:ESHttpGet" in s["Action"]]
        assert len(search) == 1
        assert "domain/dh-test-search/*" in str(search[0]["Resource"])


def test_every_setting_passed_to_the_tasks_is_one_the_service_reads(platform) -> None:
    from datahub_platform.stacks.service import DATABASE_PARTS

    from cdk_service.settings import Settings

    known = {f"DATAHUB_{name.upper()}" for name in Settings.model_fields}
    for container in containers(platform).values():
        passed = {v["Name"] for v in container["Environment"]} | {
            s["Name"] for s in container["Secrets"]
        }
        assert passed >= DATABASE_PARTS
        assert {name for name in passed if name.startswith("DATAHUB_")} - known == set()


def test_the_tasks_settings_connect_to_the_cluster_from_the_injected_secret(
    platform, monkeypatch
) -> None:
    from datahub_platform.stacks.data import DATABASE_NAME

    from cdk_service.settings import Settings

    injected = {
        "DATAHUB_DATABASE_HOST": "cluster.eu-west-1.rds.amazonaws.com",
        "DATAHUB_DATABASE_PORT": "5432",
        "DATAHUB_DATABASE_USERNAME": "datahub",
        "DATAHUB_DATABASE_PASSWORD": "rotated/p@ss",
        "DATAHUB_SERVICE_KEY": "k" * 64,
    }
    for container in containers(platform).values():
        with monkeypatch.context() as env:
            env.delenv("DATAHUB_DATABASE_URL", raising=False)
            for variable in container["Environment"]:
                if isinstance(variable["Value"], str):  # tokens are resolved by CloudFormation
                    env.setenv(variable["Name"], variable["Value"])
            for secret in container["Secrets"]:
                env.setenv(secret["Name"], injected[secret["Name"]])
            assert Settings().database_url == (
                "postgres://datahub:rotated%2Fp%40ss@cluster.eu-west-1.rds.amazonaws.com:5432/"
                + DATABASE_NAME
            )


def test_one_scheduler_runs_and_a_rollout_never_runs_two(platform) -> None:
    services = platform.resources("Service", "AWS::ECS::Service")
    (scheduler,) = [s["Properties"] for k, s in services.items() if k.startswith("Scheduler")]
    assert scheduler["DesiredCount"] == 1
    rollout = scheduler["DeploymentConfiguration"]
    assert (rollout["MinimumHealthyPercent"], rollout["MaximumPercent"]) == (0, 100)
    statements = policy_statements(platform, "SchedulerTaskTaskRole")
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert "sqs:SendMessage" in actions and "sqs:ListQueues" in actions
    assert "sqs:ReceiveMessage" not in actions, "it sends the sweeps; the workers run them"
    assert "sts:AssumeRole" not in actions
