"""The Lambdas' configuration: one object per cold start, built from ``DATAHUB_*`` variables."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, StringConstraints
from pydantic_settings import BaseSettings, SettingsConfigDict

# A browser's Origin header: scheme, host and port only, no path or trailing slash; or "*".
Origin = Annotated[str, StringConstraints(pattern=r"^(\*|https?://[^/\s]+)$")]


class LambdaSettings(BaseSettings):
    """What the Lambdas read from their environment; nothing else reads it."""

    model_config = SettingsConfigDict(env_prefix="DATAHUB_", extra="ignore", populate_by_name=True)

    aws_region: str = Field(
        default="us-east-1", validation_alias="AWS_REGION", description="Region of the pool"
    )
    aws_endpoint_url: str | None = Field(
        default=None, description="AWS endpoint override (moto server locally and in tests)"
    )
    cognito_user_pool_id: str = Field(default="", description="The user pool that signs tokens")
    cognito_client_ids: list[str] = Field(
        default=[], description="App clients whose tokens are accepted (JSON list)"
    )
    cognito_token_use: str = Field(
        default="id", pattern="^(id|access)$", description="Which Cognito token is accepted"
    )
    cognito_issuer: str | None = Field(
        default=None,
        description="Expected issuer; unset: https://cognito-idp.<region>.amazonaws.com/<pool>",
    )
    cognito_jwks_url: str | None = Field(
        default=None,
        description="Where the signing keys are; unset: the issuer's, or the endpoint's for moto",
    )
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    log_level: str = Field(default="INFO", description="Level of the Lambda's own log lines")
    log_json: bool = Field(default=True, description="JSON lines (false: for a terminal)")
    jwks_cache_seconds: float = Field(default=3600.0, gt=0, description="How long keys are kept")
    jwks_refresh_cooldown_seconds: float = Field(
        default=30.0, ge=0, description="Least time between two refreshes on an unknown key id"
    )

    # The service the GraphQL Lambdas call (issue 5, GraphQL half).
    service_url: str = Field(
        default="http://127.0.0.1:8080", description="The service's internal API"
    )
    service_key: SecretStr | None = Field(
        default=None, description="HMAC key for signed requests (local runs and tests)"
    )
    service_key_secret_arn: str | None = Field(
        default=None, description="Secrets Manager secret holding the key (deployed Lambdas)"
    )
    service_ca_certificate: str | None = Field(
        default=None,
        description="PEM of the CA the service's certificate is verified against (the "
        "platform's private CA); the system's CAs when unset",
    )
    service_timeout_seconds: float = Field(default=10.0, gt=0, description="Per service call")
    service_read_attempts: int = Field(default=3, ge=1, le=10, description="Reads only")
    graphql_max_depth: int = Field(default=10, ge=2, description="Deepest selection allowed")
    graphql_max_cost: int = Field(
        default=5000, ge=10, description="Most fields a query may ask for, lists multiplied"
    )
    graphql_max_body_bytes: int = Field(default=65_536, ge=1024, description="Request body cap")
    graphql_introspection: bool = Field(
        default=True, description="Schema introspection; turn off in production"
    )
    cors_allowed_origins: list[Origin] = Field(
        default=[],
        description="Origins whose pages may read the GraphQL answers (JSON list: the web "
        'console\'s, e.g. https://d1234.cloudfront.net); "*": any page, never with '
        "credentials; empty: no CORS headers (same-origin and non-browser callers)",
    )
    # The custom resources the platform's deployment runs (issue 5, GraphQL half).
    database_url: str | None = Field(
        default=None, description="postgres:// URL for migrations (local runs and tests)"
    )
    database_secret_arn: str | None = Field(
        default=None, description="Secrets Manager secret with the database's credentials"
    )
    search_admin_role_arn: str | None = Field(
        default=None, description="Role mapped as the search cluster's admin; assumed to set up"
    )

    def issuer(self) -> str:
        """The issuer tokens must name (moto's tokens carry the real AWS issuer URL)."""
        return self.cognito_issuer or (
            f"https://cognito-idp.{self.aws_region}.amazonaws.com/{self.cognito_user_pool_id}"
        )

    def jwks_url(self) -> str:
        """The pool's JWKS: configured, else served by the endpoint override, else the issuer's."""
        if self.cognito_jwks_url:
            return self.cognito_jwks_url
        if self.aws_endpoint_url:
            base = self.aws_endpoint_url.rstrip("/")
            return f"{base}/{self.cognito_user_pool_id}/.well-known/jwks.json"
        return f"{self.issuer()}/.well-known/jwks.json"
