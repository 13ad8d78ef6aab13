"""The one typed configuration of the base platform, loaded from a YAML or JSON file."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from service_contract.errors import InvalidInput, invalid_input
from service_contract.targets import CDK_QUALIFIER
from stack_catalog.contract import ACCOUNT_PATTERN, REGION_PATTERN

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
EDGE_REGION = "us-east-1"
# A minor release RDS still creates clusters with (cfn-lint's W3690 names deprecated ones; the
# suite lints the Data stack, so the next deprecation fails a test before a deployment).
AURORA_ENGINE_VERSION = "16.13"
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]


class Frozen(BaseModel):
    """A configuration section: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Sizing(Frozen):
    """How big each part of the platform is."""

    availability_zones: int = Field(default=2, ge=2, le=3)
    nat_gateways: int = Field(default=1, ge=1, le=3)
    aurora_min_capacity: float = Field(default=0.5, ge=0.5, le=256, description="ACUs")
    aurora_max_capacity: float = Field(default=4, ge=1, le=256, description="ACUs")
    aurora_readers: int = Field(default=1, ge=0, le=15)
    aurora_engine_version: str = Field(
        default=AURORA_ENGINE_VERSION,
        pattern=r"^1[6-9]\.\d{1,2}$",
        description="Aurora PostgreSQL minor release (major 16 or later); one RDS still offers",
    )
    backup_retention_days: int = Field(default=14, ge=1, le=35)
    search_instance_type: str = "r6g.large.search"
    search_data_nodes: int = Field(default=2, ge=2, le=20, description="Spread over two zones")
    search_master_instance_type: str = "m6g.large.search"
    search_master_nodes: int = Field(
        default=3, description="Dedicated cluster manager nodes; 0 lets data nodes elect one"
    )
    search_volume_gib: int = Field(default=20, ge=10, le=3072)
    service_cpu: int = Field(default=512, description="Fargate CPU units of one web task")
    service_memory_mib: int = 1024
    service_tasks: int = Field(default=2, ge=1, le=20, description="Fewest web tasks")
    service_max_tasks: int = Field(default=6, ge=1, le=50, description="Most web tasks")
    service_cpu_target_percent: int = Field(
        default=60, ge=10, le=90, description="Web tasks' CPU the scaling keeps them near"
    )
    service_requests_per_task: int = Field(
        default=3000, ge=10, description="Load balancer requests per web task a minute"
    )
    worker_cpu: int = 1024
    worker_memory_mib: int = 2048
    worker_min_tasks: int = Field(default=1, ge=0, le=100)
    worker_max_tasks: int = Field(default=4, ge=1, le=100)
    jobs_per_worker: int = Field(
        default=5, ge=1, description="Visible jobs on the queue per worker task before scaling out"
    )
    lambda_memory_mib: int = Field(default=512, ge=128, le=10240)
    api_requests_per_five_minutes: int = Field(
        default=2000, ge=100, description="WAF rate limit per client IP address"
    )
    api_requests_per_second: int = Field(
        default=100, ge=1, description="API Gateway stage throttle, across all callers"
    )
    api_burst: int = Field(default=200, ge=1, description="API Gateway stage burst")
    log_retention_days: int = Field(default=90, description="One of CloudWatch Logs' periods")

    @model_validator(mode="after")
    def _data_nodes_fill_every_zone(self) -> Sizing:
        if self.search_data_nodes % self.availability_zones:
            raise ValueError(
                "search_data_nodes must be a multiple of availability_zones: zone awareness "
                "spreads the data nodes evenly over the zones"
            )
        return self

    @model_validator(mode="after")
    def _web_tasks_range(self) -> Sizing:
        if self.service_max_tasks < self.service_tasks:
            raise ValueError("service_max_tasks must be at least service_tasks")
        return self

    @field_validator("log_retention_days")
    @classmethod
    def _log_retention_period(cls, days: int) -> int:
        if days not in LOG_RETENTION_DAYS:
            raise ValueError(f"must be one of {', '.join(map(str, LOG_RETENTION_DAYS))}")
        return days

    @field_validator("search_master_nodes")
    @classmethod
    def _odd_master_count(cls, count: int) -> int:
        if count not in (0, 3, 5):
            raise ValueError("must be 0, 3 or 5: a cluster manager quorum needs an odd count")
        return count


class CustomDomain(Frozen):
    """A domain of our own for the frontend, with its ACM certificate (issued in us-east-1)."""

    name: str = Field(max_length=253, pattern=r"^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")
    certificate_arn: str = Field(
        pattern=rf"^arn:aws[a-z-]*:acm:{EDGE_REGION}:\d{{12}}:certificate/",
        description="CloudFront only takes certificates issued in us-east-1",
    )


class ServiceCertificate(Frozen):
    """The internal load balancer's own TLS certificate: an ACM certificate of the home region
    for the name the Lambdas call the service by (a private zone in the VPC resolves it)."""

    domain_name: str = Field(max_length=253, pattern=r"^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")
    certificate_arn: str = Field(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/")


class LambdaBundles(Frozen):
    """Where each Lambda's code is: a directory or .zip holding the ``api_lambdas`` package.

    Unset, a Lambda uses this repository's ``api_lambdas`` sources without their third-party
    dependencies: enough to synthesize and inspect, not to run. Bootstrap sets built bundles.
    """

    backend: Path | None = None
    authorizer: Path | None = None
    metadata: Path | None = None
    aws_worker: Path | None = None
    custom_resources: Path | None = None


class PlatformConfig(Frozen):
    """Everything that varies between installations of the base platform."""

    prefix: str = Field(
        pattern=r"^[a-z][a-z0-9-]{1,18}[a-z0-9]$",
        description="Starts every stack and resource name; lower case, 3 to 20 characters",
    )
    account: str = Field(pattern=ACCOUNT_PATTERN)
    region: str = Field(pattern=REGION_PATTERN)
    sizing: Sizing = Sizing()
    allowed_ip_ranges: Annotated[list[str], Field(min_length=1)] = Field(
        description="CIDR ranges the WAF lets reach the frontend and the Backend API"
    )
    custom_domain: CustomDomain | None = None
    console_origin: str | None = Field(
        default=None,
        pattern=r"^https://[a-z0-9.-]+(:\d+)?$",
        description="The origin the web console is served from, whose pages may read the "
        "Backend API's answers (CORS): CloudFront's https://<id>.cloudfront.net, the "
        "FrontendUrl output of the first install. Unset: https://<custom_domain.name>, or "
        "without a custom domain any origin (no credentials are ever allowed)",
    )
    alarm_email: Email
    service_image: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9.-]+(:\d+)?/[a-z0-9._/-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$",
        description="Container image URI of cdk_service (web and workers); unset: CodeBuild "
        "builds it in the account from this repository's Dockerfile",
    )
    service_certificate: ServiceCertificate | None = Field(
        default=None,
        description="TLS certificate of the internal load balancer; unset: a private CA of the "
        "platform issues one for service.<prefix>.internal",
    )
    lambda_bundles: LambdaBundles = LambdaBundles()
    console_dist: Path = Field(
        default=REPOSITORY_ROOT / "frontend" / "dist",
        description="The built web console (npm run build in frontend/); without its "
        "index.html a placeholder page is deployed with config.json",
    )
    toolkit_qualifier: str = Field(
        default=CDK_QUALIFIER,
        pattern=r"^[a-z0-9]{1,10}$",
        description="Qualifier of the bootstrap toolkit (asset bucket and roles) the stacks use",
    )
    first_admin_email: Email | None = Field(
        default=None, description="Cognito user created in group admins; unset: alarm_email"
    )

    @field_validator("allowed_ip_ranges")
    @classmethod
    def _cidr_ranges(cls, ranges: list[str]) -> list[str]:
        return [str(ipaddress.ip_network(cidr, strict=True)) for cidr in ranges]

    @property
    def console_built(self) -> bool:
        """Whether ``npm run build`` left the console in ``console_dist``."""
        return (self.console_dist / "index.html").is_file()

    @property
    def admin_email(self) -> str:
        """The first admin's email address."""
        return str(self.first_admin_email or self.alarm_email)

    def ipv4_ranges(self) -> list[str]:
        """The allowed IPv4 ranges."""
        return [cidr for cidr in self.allowed_ip_ranges if ipaddress.ip_network(cidr).version == 4]

    def ipv6_ranges(self) -> list[str]:
        """The allowed IPv6 ranges."""
        return [cidr for cidr in self.allowed_ip_ranges if ipaddress.ip_network(cidr).version == 6]

    @classmethod
    def from_file(cls, path: Path) -> PlatformConfig:
        """The configuration in a YAML or JSON file, or ``InvalidInput`` naming what is wrong."""
        try:
            text = path.read_text()
        except OSError as exc:
            raise InvalidInput(
                f"cannot read the platform configuration {path}: {exc.strerror}",
                code="config_unreadable",
            ) from exc
        return cls.from_mapping(_parse(text, path), what=f"platform configuration {path}")

    @classmethod
    def from_mapping(cls, raw: Any, *, what: str = "platform configuration") -> PlatformConfig:
        """The configuration in already parsed data, or ``InvalidInput`` naming every bad field."""
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise invalid_input(exc, code="invalid_platform_config", what=what) from exc


def _parse(text: str, path: Path) -> Any:
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        reason = re.sub(r"\s+", " ", str(exc)).strip()
        language = "JSON" if path.suffix == ".json" else "YAML"
        raise InvalidInput(
            f"the platform configuration {path} is not valid {language}: {reason}",
            code="config_unparsable",
        ) from exc
