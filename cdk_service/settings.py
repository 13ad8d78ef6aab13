"""The service's configuration: one object, built at start-up from ``DATAHUB_*`` variables."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal, Self
from urllib.parse import quote

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; nothing else reads the environment."""

    model_config = SettingsConfigDict(env_prefix="DATAHUB_", extra="ignore")

    state_dir: Path = Field(
        default=Path(".datahub"),
        description="Where local runs keep the embedded database, keys and temporary files",
    )
    database_url: str | None = Field(
        default=None,
        repr=False,  # it holds the password
        description="postgres://user:pass@host:port/db; unset: composed from the database_* "
        "parts when database_host is set (ECS injects them from the RDS secret), else an "
        "embedded PostgreSQL",
    )
    database_host: str | None = Field(default=None, description="Used when database_url is unset")
    database_port: int = Field(default=5432, ge=1, le=65535)
    database_username: str | None = None
    database_password: SecretStr | None = None
    database_name: str = "postgres"
    migrate_on_start: bool = Field(default=False, description="Upgrade the schema at start-up")

    host: str = "127.0.0.1"
    port: int = 8080
    service_url: str = Field(
        default="http://127.0.0.1:8080",
        description="Where clients (CLI, Lambdas) reach the service",
    )
    service_key: SecretStr | None = Field(
        default=None, description="HMAC key for signed requests; unset reads state_dir/service.key"
    )
    signature_window_seconds: int = Field(default=300, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    synth_workers: int = Field(default=2, ge=1, le=32)
    synth_recycle_after: int = Field(
        default=200, ge=1, description="Synths before a worker restarts"
    )
    synth_timeout_seconds: float = Field(default=60.0, gt=0)
    synth_warm_timeout_seconds: float = Field(default=120.0, gt=0)
    synth_cache_entries: int = Field(default=512, ge=0)
    synth_max_waiting: int = Field(
        default=64,
        ge=1,
        description="Synths that may wait for a busy pool; more are refused (503, Retry-After)",
    )

    bundle_bucket: str | None = Field(
        default=None,
        description="S3 bucket of uploaded template bundles (the platform's); unset: state_dir",
    )
    bundle_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, description="Per bundle")
    bundle_file_max_bytes: int = Field(default=1024 * 1024, ge=1024, description="Per file")
    bundle_check_timeout_seconds: float = Field(
        default=180.0, gt=0, description="Import, contract check and synth of an upload"
    )

    aws_endpoint_url: str | None = Field(
        default=None, description="AWS endpoint override (moto server locally and in tests)"
    )
    default_account: str = "123456789012"
    default_region: str = "us-east-1"
    moto_port: int = Field(
        default=5050,
        ge=0,
        le=65535,
        description="Port of the moto server `datahubctl up` starts as the AWS endpoint (0: any)",
    )

    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Celery broker the deploy workers use"
    )
    worker_lease_seconds: float = Field(
        default=120.0, gt=0, description="How long a worker's lease on a deployment lasts"
    )
    worker_queue: str = Field(default="datahub", description="Celery queue of the deploy tasks")
    worker_poll_seconds: float = Field(
        default=2.0, gt=0, description="Pause between two looks at a changing stack"
    )
    worker_retry_first_seconds: float = Field(
        default=5.0, gt=0, description="First wait before a transient AWS failure is retried"
    )
    worker_retry_longest_seconds: float = Field(
        default=300.0, gt=0, description="Longest wait between retries (it doubles until then)"
    )
    aws_max_attempts: int = Field(
        default=5, ge=1, description="Attempts of one AWS call (botocore's retries) by workers"
    )
    deployment_max_attempts: int = Field(
        default=8, ge=1, description="Runs of one deployment before it ends attempts_exhausted"
    )
    resume_interval_seconds: float = Field(
        default=30.0, gt=0, description="How often the scheduler resumes abandoned deployments"
    )
    resume_unclaimed_after_seconds: float = Field(
        default=600.0,
        gt=0,
        description="An unleased deployment untouched this long is queued again (a lost "
        "message, or out of retries); longer than worker_retry_longest_seconds",
    )
    expiry_interval_seconds: float = Field(
        default=300.0, gt=0, description="How often the scheduler looks for expiring stacks"
    )
    expiry_warning_seconds: float = Field(
        default=86_400.0, ge=0, description="How long before its expiry a stack's owners are warned"
    )

    search_url: str | None = Field(
        default=None,
        description="OpenSearch endpoint (https://host:443); unset searches in PostgreSQL",
    )
    search_auth: Literal["none", "basic", "sigv4"] = Field(
        default="none", description="none or basic (a self-run cluster), sigv4 (Amazon)"
    )
    search_username: str | None = None
    search_password: SecretStr | None = None
    search_region: str | None = Field(
        default=None, description="Region for SigV4 (default_region when unset)"
    )
    search_index: str = Field(default="datahub", description="OpenSearch alias of the index")
    search_cached_results: int = Field(
        default=512,
        ge=0,
        description="PostgreSQL search: searches whose results are kept until the index changes",
    )
    search_batch_size: int = Field(default=500, ge=1, description="Outbox entries per write")
    search_poll_seconds: float = Field(
        default=0.1, gt=0, description="Pause of an idle indexer between looks at the outbox"
    )
    search_retry_first_seconds: float = Field(
        default=1.0, gt=0, description="First wait before a failed index write is retried"
    )
    search_retry_longest_seconds: float = Field(
        default=60.0, gt=0, description="Longest wait between index retries (doubling)"
    )
    search_indexer: bool = Field(
        default=True, description="Run the outbox indexer inside the service"
    )

    cognito_client_id: str | None = Field(
        default=None,
        description="App client `datahubctl login` signs in to (in default_region, through "
        "aws_endpoint_url when set); unset: the local pool `datahubctl up` set up",
    )
    gateway_port: int = Field(default=8765, description="Port of the local API gateway (up)")
    gateway_lambda_environments: int = Field(
        default=4,
        ge=0,
        description="Local gateway (up): most Lambda execution environments (processes) per "
        "function; 0 runs the functions on the gateway's threads",
    )

    operator_user: str = Field(
        default="local-operator", description="Identity the CLI signs its requests as"
    )
    operator_groups: list[str] = Field(
        default=["admins"], description="Groups of the CLI's identity (JSON list)"
    )

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _database_url_from_parts(self) -> Self:
        if self.database_url or not self.database_host:
            return self
        missing = [
            f"DATAHUB_DATABASE_{name.upper()}"
            for name in ("username", "password")
            if getattr(self, f"database_{name}") is None
        ]
        if missing:
            raise ValueError(f"DATAHUB_DATABASE_HOST is set without {' and '.join(missing)}")
        assert self.database_username is not None and self.database_password is not None
        self.database_url = postgres_url(
            host=self.database_host,
            port=self.database_port,
            username=self.database_username,
            password=self.database_password.get_secret_value(),
            name=self.database_name,
        )
        return self

    def resolved_service_key(self) -> bytes:
        """The HMAC key: the configured one, or the state directory's (created on first use)."""
        if self.service_key is not None:
            return self.service_key.get_secret_value().encode()
        path = self.state_dir / "service.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


def postgres_url(*, host: str, port: int, username: str, password: str, name: str) -> str:
    """A PostgreSQL URL from its parts, the login percent-quoted (a generated password may hold
    ``@``, ``:`` or ``/``)."""
    login = f"{quote(username, safe='')}:{quote(password, safe='')}"
    return f"postgres://{login}@{host}:{port}/{quote(name, safe='')}"
