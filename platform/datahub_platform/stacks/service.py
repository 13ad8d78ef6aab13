"""CDK service: the web API and the workers on Fargate from one image, behind an internal ALB."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.grants import grant_secret_read
from datahub_platform.service_tls import ServiceTls
from datahub_platform.stacks.base import PlatformStack, retained_log_group
from datahub_platform.stacks.data import DATABASE_NAME, DataStack
from datahub_platform.stacks.functions import DEFAULT_TIMEOUT, Handler, platform_function
from datahub_platform.stacks.image_build import ServiceImageBuild
from datahub_platform.stacks.network import (
    COMPUTE_SUBNETS,
    LOAD_BALANCER_PORT,
    SERVICE_PORT,
    NetworkStack,
    fixed_group,
)
from datahub_platform.stacks.queue import QueueStack
from datahub_platform.stacks.search import SearchStack
from stack_catalog.constructs.acknowledgements import acknowledge, acknowledge_wildcard_resource
from stack_catalog.constructs.buckets import AccessLogBucket, DataBucket, Lifecycle
from stack_catalog.constructs.encryption import customer_managed_key

ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[a-z0-9._/-]+)(:(?P<tag>[\w.-]+)|@(?P<digest>sha256:[0-9a-f]{64}))$"
)
# Target accounts' deploy roles, which the workers assume to deploy catalog stacks.
TARGET_DEPLOY_ROLES = "arn:aws:iam::*:role/cdk-*-deploy-role-*"
WEB_COMMAND = ["datahubctl", "serve"]
DATABASE_SECRET_FIELDS = ("host", "port", "username", "password")
# The database reaches the tasks in parts (the rotated secret's fields and the name); the
# service's settings compose DATAHUB_DATABASE_URL from them.
DATABASE_PARTS = frozenset(
    {"DATAHUB_DATABASE_NAME", *(f"DATAHUB_DATABASE_{f.upper()}" for f in DATABASE_SECRET_FIELDS)}
)
WORKER_COMMAND = ["datahubctl", "worker"]
# celery beat: sends the resumer and the expiry sweep to the workers; exactly one runs.
SCHEDULER_COMMAND = ["datahubctl", "scheduler"]
SCHEDULER_CPU, SCHEDULER_MEMORY_MIB = 256, 512
# jsii unpacks aws-cdk-lib (tens of MB, thousands of files) into its package cache when a synth
# worker warms up; on a task volume of its own the unpacked copy serves every later worker of
# the task (they are recycled) instead of being unpacked again, whatever the image's user,
# HOME or root file system.
JSII_PACKAGE_CACHE_VOLUME = "jsii-package-cache"
JSII_PACKAGE_CACHE_PATH = "/var/cache/datahub/jsii"
# Uploaded template bundles, content-addressed: where cdk_service/bundles/store.py keeps them.
BUNDLE_KEY_PREFIX = "template-bundles/"
# Bundle objects are never overwritten with other content (the key is the digest); a version
# made noncurrent by the same bundle uploaded again is kept this long.
BUNDLE_NONCURRENT_VERSION_DAYS = 30


class ServiceStack(PlatformStack):
    """The system of record: ``datahubctl serve`` and ``datahubctl worker`` tasks."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        network: NetworkStack,
        data: DataStack,
        search: SearchStack,
        queues: QueueStack,
    ) -> None:
        super().__init__(scope, stack_id, config=config, description="CDK service on Fargate")
        sizing = config.sizing
        groups = network.security_groups
        self.service_key_key = customer_managed_key(
            self,
            "ServiceKeyEncryption",
            alias=f"alias/{config.prefix}/service",
            purpose="The service's signing key secret",
            outlives_stack=False,
        )
        self.service_key = secretsmanager.Secret(
            self,
            "ServiceKey",
            description="HMAC key that signs requests to the service",
            encryption_key=self.service_key_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        acknowledge(
            self.service_key,
            "AwsSolutions-SMG4",
            "The service key is a shared HMAC key read by the service and the Lambdas at start; "
            "rotating it needs both sides to accept two keys during the switch, which the "
            "signature check does not do yet. It never leaves Secrets Manager and the tasks.",
        )
        self.cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=network.vpc,
            container_insights_v2=ecs.ContainerInsights.ENABLED,
        )
        image, self.image_uri, built = self._image(config, network)
        # The service's access log bucket: the load balancer's logs and the bundle bucket's.
        self.access_logs = AccessLogBucket(
            self, "LoadBalancerLogs", retention_days=sizing.log_retention_days
        )
        self.bundles_key, self.bundles = self._bundle_bucket(config)
        self.log_groups: dict[str, logs.LogGroup] = {}
        # Named as cdk_service/settings.py reads them; the database as DATAHUB_DATABASE_* parts.
        environment = {
            "DATAHUB_HOST": "0.0.0.0",
            "DATAHUB_PORT": str(SERVICE_PORT),
            "DATAHUB_LOG_JSON": "true",
            "DATAHUB_MIGRATE_ON_START": "false",  # the Setup stack's custom resource migrates
            "DATAHUB_DATABASE_NAME": DATABASE_NAME,
            "DATAHUB_SEARCH_URL": f"https://{search.domain.domain_endpoint}",
            "DATAHUB_SEARCH_AUTH": "sigv4",
            "DATAHUB_SEARCH_REGION": config.region,
            # Celery on SQS (kombu's transport): the job queue by name, in the task's region,
            # with the task role's credentials.
            "DATAHUB_BROKER_URL": "sqs://",
            "DATAHUB_WORKER_QUEUE": queues.jobs.queue_name,
            "DATAHUB_DEFAULT_ACCOUNT": config.account,
            "DATAHUB_DEFAULT_REGION": config.region,
            "AWS_REGION": config.region,
            "AWS_DEFAULT_REGION": config.region,  # the region boto3 and kombu's SQS look for
        }
        # Imported by ARN: the execution role's read grant is written below, on its side.
        database = secretsmanager.Secret.from_secret_complete_arn(
            self, "DatabaseSecret", data.secret.secret_arn
        )
        secrets = {
            "DATAHUB_SERVICE_KEY": ecs.Secret.from_secrets_manager(self.service_key),
            **{
                f"DATAHUB_DATABASE_{field.upper()}": ecs.Secret.from_secrets_manager(
                    database, field
                )
                for field in DATABASE_SECRET_FIELDS
            },
        }
        # The web tasks store uploaded bundles, the web and worker tasks' synth workers load
        # them by digest; the scheduler (celery beat) loads none.
        with_bundles = {**environment, "DATAHUB_BUNDLE_BUCKET": self.bundles.bucket_name}
        self.web = self._fargate_service(
            "Web",
            image=image,
            command=WEB_COMMAND,
            cpu=sizing.service_cpu,
            memory=sizing.service_memory_mib,
            environment=with_bundles,
            secrets=secrets,
            security_group=fixed_group(self, groups.service),
            desired=sizing.service_tasks,
        )
        self.workers = self._fargate_service(
            "Workers",
            image=image,
            command=WORKER_COMMAND,
            cpu=sizing.worker_cpu,
            memory=sizing.worker_memory_mib,
            environment=with_bundles,
            secrets=secrets,
            security_group=fixed_group(self, groups.workers),
            desired=sizing.worker_min_tasks,
        )
        self.scheduler = self._fargate_service(
            "Scheduler",
            image=image,
            command=SCHEDULER_COMMAND,
            cpu=SCHEDULER_CPU,
            memory=SCHEDULER_MEMORY_MIB,
            environment=environment,
            secrets=secrets,
            security_group=fixed_group(self, groups.workers),
            desired=1,
            # The old scheduler stops before the new one starts: never two sending sweeps.
            healthy_percent=(0, 100),
        )
        self.tls = ServiceTls(self, "Tls", config=config, vpc=network.vpc)
        self.load_balancer = self._internal_load_balancer(network)
        self.url = f"https://{self.tls.domain_name}"
        for service in (self.web, self.workers, self.scheduler):
            task = service.task_definition
            assert task.execution_role is not None
            if built is not None:
                built.repository.grant_pull(task.execution_role)
            grant_secret_read(task.execution_role, data.secret, data.key)
            acknowledge(
                task.execution_role,
                "AwsSolutions-IAM5[Resource::*]",
                "ecr:GetAuthorizationToken has no resource-level permissions; image pulls are "
                "limited to the service's repository by the statement next to it.",
            )
        for service in (self.web, self.workers):
            self._grant_queues_and_search(service.task_definition.task_role, queues, search)
        self._grant_job_queue_sending(self.scheduler.task_definition.task_role, queues)
        self._grant_target_deploy_roles(self.workers.task_definition.task_role)
        self._grant_bundles(self.web.task_definition.task_role, write=True)
        self._grant_bundles(self.workers.task_definition.task_role, write=False)
        self._scale_workers_on_queue_depth(queues)
        self._scale_web_on_load()
        self.publish(ServiceUrl=self.url, ServiceImage=self.image_uri)

    def client_function(
        self,
        scope: Construct,
        construct_id: str,
        *,
        network: NetworkStack,
        handler: Handler,
        description: str,
        environment: dict[str, str] | None = None,
        timeout: cdk.Duration = DEFAULT_TIMEOUT,
    ) -> lambda_.Function:
        """A Lambda in ``scope`` that signs its calls to this service with the service key."""
        function = platform_function(
            scope,
            construct_id,
            config=self.config,
            handler=handler,
            vpc=network.vpc,
            security_group=network.security_groups.api_functions,
            description=description,
            environment={
                "DATAHUB_SERVICE_URL": self.url,
                "DATAHUB_SERVICE_KEY_SECRET_ARN": self.service_key.secret_arn,
                **self.tls.client_environment,
                **(environment or {}),
            },
            timeout=timeout,
        )
        grant_secret_read(function, self.service_key, self.service_key_key)
        return function

    def _image(
        self, config: PlatformConfig, network: NetworkStack
    ) -> tuple[ecs.ContainerImage, str, ServiceImageBuild | None]:
        """The configured image, or the one CodeBuild builds in the account; its URI."""
        if config.service_image is not None:
            return service_image(self, config.service_image), config.service_image, None
        key = customer_managed_key(
            self,
            "ImageBuildKey",
            alias=f"alias/{config.prefix}/service-image-build",
            purpose="The service image build's artifacts and cache",
            outlives_stack=False,
        )
        built = ServiceImageBuild(
            self,
            "ImageBuild",
            prefix=config.prefix,
            key=key,
            log_days=config.sizing.log_retention_days,
            vpc=network.vpc,
            security_group=fixed_group(self, network.security_groups.setup_functions),
        )
        return ecs.ContainerImage.from_registry(built.image_uri), built.image_uri, built

    @property
    def worker_logs(self) -> logs.LogGroup:
        """Where the worker tasks log (deployment outcomes among them)."""
        return self.log_groups["Workers"]

    def _fargate_service(
        self,
        name: str,
        *,
        image: ecs.ContainerImage,
        command: list[str],
        cpu: int,
        memory: int,
        environment: dict[str, str],
        secrets: dict[str, ecs.Secret],
        security_group: ec2.ISecurityGroup,
        desired: int,
        healthy_percent: tuple[int, int] = (100, 200),
    ) -> ecs.FargateService:
        log_group = retained_log_group(
            self, f"{name}Logs", days=self.config.sizing.log_retention_days
        )
        self.log_groups[name] = log_group
        task = ecs.FargateTaskDefinition(
            self,
            f"{name}Task",
            cpu=cpu,
            memory_limit_mib=memory,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        task.add_volume(name=JSII_PACKAGE_CACHE_VOLUME)  # Fargate's ephemeral task storage
        container = task.add_container(
            "Service",
            image=image,
            command=command,
            environment={**environment, "JSII_RUNTIME_PACKAGE_CACHE_ROOT": JSII_PACKAGE_CACHE_PATH},
            secrets=secrets,
            port_mappings=[ecs.PortMapping(container_port=SERVICE_PORT)] if name == "Web" else None,
            readonly_root_filesystem=False,
            # An init process as PID 1 reaps what a kill orphans: the synth pool SIGKILLs a
            # worker's process group, and node children re-parented to PID 1 would otherwise
            # stay as zombies.
            linux_parameters=ecs.LinuxParameters(
                self, f"{name}LinuxParameters", init_process_enabled=True
            ),
            logging=ecs.LogDrivers.aws_logs(stream_prefix=name.lower(), log_group=log_group),
        )
        container.add_mount_points(
            ecs.MountPoint(
                source_volume=JSII_PACKAGE_CACHE_VOLUME,
                container_path=JSII_PACKAGE_CACHE_PATH,
                read_only=False,
            )
        )
        acknowledge(
            task,
            "AwsSolutions-ECS2",
            "The environment holds only non-secret configuration (ports, endpoints, queue URL, "
            "region); every secret (database credentials, service key) is injected from "
            "Secrets Manager by the ECS agent.",
        )
        service = ecs.FargateService(
            self,
            name,
            cluster=self.cluster,
            task_definition=task,
            desired_count=desired,
            vpc_subnets=COMPUTE_SUBNETS,
            assign_public_ip=False,
            security_groups=[security_group],
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            min_healthy_percent=healthy_percent[0],
            max_healthy_percent=healthy_percent[1],
            enable_execute_command=False,
        )
        return service

    def _internal_load_balancer(self, network: NetworkStack) -> elb.ApplicationLoadBalancer:
        balancer = elb.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=network.vpc,
            internet_facing=False,
            vpc_subnets=COMPUTE_SUBNETS,
            security_group=fixed_group(self, network.security_groups.load_balancer),
            drop_invalid_header_fields=True,
            deletion_protection=True,
        )
        balancer.log_access_logs(self.access_logs.bucket, prefix="service")
        listener = balancer.add_listener(
            "Https",
            port=LOAD_BALANCER_PORT,
            protocol=elb.ApplicationProtocol.HTTPS,
            certificates=[self.tls.certificate],
            ssl_policy=elb.SslPolicy.RECOMMENDED_TLS,
            open=False,
        )
        self.tls.point_at(balancer)
        self.web_targets = listener.add_targets(
            "Web",
            port=SERVICE_PORT,
            protocol=elb.ApplicationProtocol.HTTP,
            targets=[self.web],
            health_check=elb.HealthCheck(path="/healthz", healthy_http_codes="200"),
            deregistration_delay=cdk.Duration.seconds(30),
        )
        return balancer

    def _bundle_bucket(self, config: PlatformConfig) -> tuple[kms.Key, s3.Bucket]:
        """The template bundles' bucket and its key, both kept when the stack goes: catalog
        versions and the stacks made from them name bundles by digest."""
        key = customer_managed_key(
            self,
            "BundlesKey",
            alias=f"alias/{config.prefix}/template-bundles",
            purpose="Uploaded template bundles",
            outlives_stack=True,
        )
        bundles = DataBucket(
            self,
            "Bundles",
            key=key,
            access_logs=self.access_logs,
            lifecycle=Lifecycle(
                noncurrent_version_expiry_days=BUNDLE_NONCURRENT_VERSION_DAYS,
                incomplete_upload_expiry_days=1,
            ),
        )
        return key, bundles.bucket

    def _grant_bundles(self, role: iam.IRole, *, write: bool) -> None:
        """Read (and, for the web tasks, write) bundle objects, and the key to do it with.

        Removing a bundle deletes only its catalog rows (``cdk_service/bundles/service.py``),
        never its object, so no role may delete objects."""
        objects = self.bundles.arn_for_objects(f"{BUNDLE_KEY_PREFIX}*")
        s3_actions = ["s3:GetObject", *(["s3:PutObject"] if write else [])]
        # SSE-KMS: a write asks the key for a data key, a read has it decrypt one.
        kms_actions = ["kms:Decrypt", *(["kms:GenerateDataKey"] if write else [])]
        role.add_to_principal_policy(iam.PolicyStatement(actions=s3_actions, resources=[objects]))
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=kms_actions, resources=[self.bundles_key.key_arn])
        )
        acknowledge_wildcard_resource(
            role,
            objects,
            "The bundle objects are named by their digest, known only once uploaded; the grant "
            "covers the bundle prefix of the platform's bundle bucket alone.",
        )

    def _grant_job_queue_sending(self, role: iam.IRole, queues: QueueStack) -> None:
        queues.jobs.grant_send_messages(role)
        # kombu's SQS transport finds the job queue's URL by listing the region's queues.
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["sqs:ListQueues"], resources=["*"])
        )
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "sqs:ListQueues has no resource-level permissions and returns only queue URLs; "
            "celery's SQS transport lists them to find the job queue by name. Sending and "
            "receiving stay limited to the platform's queues.",
        )
        for action in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Action::{action}]",
                "Sending to a queue under a customer managed key needs data keys from that one "
                "key; the statement's resource is the queue key alone.",
            )

    def _grant_queues_and_search(
        self, role: iam.IRole, queues: QueueStack, search: SearchStack
    ) -> None:
        self._grant_job_queue_sending(role, queues)
        queues.jobs.grant_consume_messages(role)
        queues.tasks.grant_send_messages(role)
        # Signed requests as the task role; which indexes it may touch is fine-grained access
        # control's mapping, made by the index set-up.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[f"es:ESHttp{verb}" for verb in ("Get", "Head", "Post", "Put", "Delete")],
                resources=[search.domain_paths_arn],
            )
        )
        acknowledge_wildcard_resource(
            role,
            search.domain_paths_arn,
            "The paths of the platform's own search domain (its HTTP API's index and document "
            "paths are not known in advance); fine-grained access control limits the indexes.",
        )

    def _grant_target_deploy_roles(self, role: iam.IRole) -> None:
        policy = iam.Policy(
            self,
            "TargetDeployPolicy",
            statements=[
                iam.PolicyStatement(actions=["sts:AssumeRole"], resources=[TARGET_DEPLOY_ROLES])
            ],
        )
        role.attach_inline_policy(policy)
        acknowledge_wildcard_resource(
            policy,
            TARGET_DEPLOY_ROLES,
            "Catalog stacks deploy into target accounts registered at run time; the workers may "
            "only assume those accounts' CDK deploy roles, whose own trust policies name this "
            "account.",
        )

    def _scale_web_on_load(self) -> None:
        sizing = self.config.sizing
        scaling = self.web.auto_scale_task_count(
            min_capacity=sizing.service_tasks, max_capacity=sizing.service_max_tasks
        )
        scaling.scale_on_cpu_utilization(
            "Cpu", target_utilization_percent=sizing.service_cpu_target_percent
        )
        scaling.scale_on_request_count(
            "Requests",
            requests_per_target=sizing.service_requests_per_task,
            target_group=self.web_targets,
        )

    def _scale_workers_on_queue_depth(self, queues: QueueStack) -> None:
        sizing = self.config.sizing
        scaling = self.workers.auto_scale_task_count(
            min_capacity=sizing.worker_min_tasks, max_capacity=sizing.worker_max_tasks
        )
        per_worker = sizing.jobs_per_worker
        scaling.scale_on_metric(
            "QueueDepth",
            metric=queues.jobs.metric_approximate_number_of_messages_visible(
                period=cdk.Duration.minutes(1), statistic="Maximum"
            ),
            scaling_steps=[
                autoscaling.ScalingInterval(upper=0, change=-1),
                autoscaling.ScalingInterval(lower=per_worker, change=+1),
                autoscaling.ScalingInterval(lower=per_worker * 4, change=+3),
            ],
            adjustment_type=autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
            cooldown=cdk.Duration.minutes(2),
        )


def service_image(scope: Construct, uri: str) -> ecs.ContainerImage:
    """The service image: from its ECR repository (pull rights granted) or any registry."""
    match = ECR_IMAGE.match(uri)
    if match is None:
        return ecs.ContainerImage.from_registry(uri)
    stack = cdk.Stack.of(scope)
    repository = ecr.Repository.from_repository_attributes(
        scope,
        "ServiceRepository",
        repository_arn=stack.format_arn(
            service="ecr",
            account=match["account"],
            region=match["region"],
            resource="repository",
            resource_name=match["repository"],
        ),
        repository_name=match["repository"],
    )
    return ecs.ContainerImage.from_ecr_repository(repository, tag=match["tag"] or match["digest"])
