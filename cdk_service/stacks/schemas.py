"""What the stacks API accepts and shows; these models also write the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cdk_service.db.models import (
    DeploymentGate,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    DriftStatus,
    StackStatus,
)
from stack_catalog.contract import (
    ACCOUNT_PATTERN,
    REGION_PATTERN,
    SEMVER_PATTERN,
    SLUG_PATTERN,
    VERSION_MAX_LENGTH,
)

STACK_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$"


class StackRequest(BaseModel):
    """A new stack: which template version, for which team, where, with which parameters."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        pattern=STACK_NAME_PATTERN,
        description="Stack name (a slug), unique per team and target among live stacks",
    )
    team: str = Field(pattern=SLUG_PATTERN, description="Team that will own the stack")
    template: str = Field(pattern=SLUG_PATTERN, description="Template name")
    version: str | None = Field(
        default=None,
        pattern=SEMVER_PATTERN,
        max_length=VERSION_MAX_LENGTH,
        description="Template version; the newest published one when omitted",
    )
    params: dict[str, Any] = Field(default_factory=dict, description="Template parameters")
    account: str | None = Field(
        default=None, pattern=ACCOUNT_PATTERN, description="Target account; the service's default"
    )
    region: str | None = Field(
        default=None, pattern=REGION_PATTERN, description="Target region; the service's default"
    )
    ttl_hours: int | None = Field(
        default=None,
        ge=1,
        le=24 * 366,
        description="Destroy the stack this many hours after the request; the version's "
        "default time-to-live when omitted (none if it has none)",
    )
    preview: bool = Field(
        default=False,
        description="Stop once previewed (awaiting_execution) until the team approves it",
    )


class DeploymentRequest(BaseModel):
    """Change a live stack: new parameters (update) or a newer template version (upgrade)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[DeploymentKind.UPDATE, DeploymentKind.UPGRADE] = Field(
        description="update: change parameters; upgrade: move to a newer version"
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Parameters to change; the others keep their current values",
    )
    version: str | None = Field(
        default=None,
        pattern=SEMVER_PATTERN,
        max_length=VERSION_MAX_LENGTH,
        description="The version to upgrade to (upgrade)",
    )

    @model_validator(mode="after")
    def _version_only_for_upgrades(self) -> DeploymentRequest:
        if (self.kind is DeploymentKind.UPGRADE) != (self.version is not None):
            raise ValueError("give a version for an upgrade, and only for an upgrade")
        return self


class PreviewRequest(BaseModel):
    """What to preview on a live stack: new parameters, a newer template version, or both."""

    model_config = ConfigDict(extra="forbid")

    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Parameters to change; the others keep their current values",
    )
    version: str | None = Field(
        default=None,
        pattern=SEMVER_PATTERN,
        max_length=VERSION_MAX_LENGTH,
        description="A newer template version to upgrade to; the current one when omitted",
    )


class StackFilter(BaseModel):
    """Which stacks to list, and which page."""

    model_config = ConfigDict(extra="forbid")

    team: str | None = Field(default=None, pattern=SLUG_PATTERN, description="Owner team")
    name: str | None = Field(
        default=None, pattern=STACK_NAME_PATTERN, description="Only stacks of this exact name"
    )
    status: StackStatus | None = Field(
        default=None, description="Only stacks in this status; live stacks when omitted"
    )
    template: str | None = Field(default=None, pattern=SLUG_PATTERN, description="Template name")
    cursor: str | None = Field(
        default=None, max_length=200, description="next_cursor of the previous page"
    )
    limit: int = Field(default=20, ge=1, le=100, description="Stacks per page")
    with_total: bool = Field(
        default=False, description="Also count the stacks the filters match, on all pages"
    )


class DestroyOptions(BaseModel):
    """How to destroy a stack."""

    model_config = ConfigDict(extra="forbid")

    force: bool = Field(
        default=False, description="Required to delete what is left of a stack that failed"
    )


class EventsQuery(BaseModel):
    """Which events of a deployment to return."""

    model_config = ConfigDict(extra="forbid")

    after: int = Field(
        default=0,
        ge=0,
        le=2**63 - 1,  # event ids are PostgreSQL bigints
        description="The `after` of the previous page (0: all)",
    )
    limit: int = Field(default=200, ge=1, le=1000, description="Most events to return")


class DeploymentFailure(BaseModel):
    """Why a deployment failed, as recorded by the worker."""

    code: str = Field(description="Stable machine-readable error code")
    message: str = Field(description="What went wrong, for a human")
    reason: str | None = Field(default=None, description="Reason of the failing stack event")
    failed_resource: str | None = Field(default=None, description="Logical id at fault")
    rollback_state: str | None = Field(
        default=None, description="CloudFormation stack status after the failure"
    )
    retryable: bool = Field(default=False, description="Requesting the same change may work")


class StackDetail(BaseModel):
    """A stack as its owners see it."""

    id: UUID
    name: str = Field(description="Stack name, unique per team and target")
    team: str = Field(description="Owner team")
    template: str = Field(description="Template name")
    version: str = Field(description="Template version deployed (or to be deployed)")
    params: dict[str, Any] = Field(description="Parameters, defaults filled in")
    account: str = Field(description="Target AWS account")
    region: str = Field(description="Target AWS region")
    status: StackStatus
    cloudformation_stack_name: str
    cloudformation_stack_id: str | None = Field(default=None, description="Once created")
    outputs: dict[str, Any] = Field(description="Stack outputs by name")
    expires_at: datetime | None = Field(default=None, description="When it will be destroyed")
    expiry_warned_at: datetime | None = Field(
        default=None, description="When its owners were warned that it will be destroyed"
    )
    drift_status: DriftStatus
    drift_checked_at: datetime | None = None
    active_deployment_id: UUID | None = Field(
        default=None, description="The deployment in progress, if any"
    )
    revision: int = Field(description="Bumped on every change to the stack record")
    created_by: str
    created_at: datetime
    updated_at: datetime


class StackPage(BaseModel):
    """One page of stacks, newest first."""

    stacks: list[StackDetail]
    next_cursor: str | None = Field(default=None, description="Pass as cursor for the next page")
    total: int | None = Field(
        default=None, description="Stacks the filters match on all pages, when with_total is set"
    )


class DeploymentDetail(BaseModel):
    """A deployment: what it does, where it is, and what it found."""

    id: UUID
    stack_id: UUID
    kind: DeploymentKind
    status: DeploymentStatus
    step: DeploymentStep = Field(description="The last step a worker recorded")
    requester: str
    template: str
    version: str = Field(description="Template version this deployment brings the stack to")
    params: dict[str, Any]
    force: bool
    gate: DeploymentGate = Field(
        description="What it waits for once previewed: none (executes at once), preview (its "
        "team approves), approval (an admin approves)"
    )
    template_digest: str | None = Field(default=None, description="SHA-256 of the template")
    preview: dict[str, Any] | None = Field(default=None, description="Change set and diff")
    result: dict[str, Any] | None = Field(
        default=None, description="What it produced (e.g. resources a destroy retained)"
    )
    error: DeploymentFailure | None = Field(
        default=None,
        description="Why it failed; while it is still in progress, the transient failure its "
        "next attempt retries (retryable)",
    )
    attempts: int = Field(description="How many times a worker took it on")
    approved_by: str | None = None
    approved_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class DeploymentAccepted(BaseModel):
    """A change accepted for deployment (or the one a repeated idempotency key first made)."""

    stack: StackDetail
    deployment: DeploymentDetail
    replayed: bool = Field(description="True when this answers a repeated Idempotency-Key")


class StackEventDetail(BaseModel):
    """One CloudFormation event of a deployment."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Order of recording; use the last one as `after`")
    event_id: str
    timestamp: datetime
    logical_id: str
    physical_id: str | None = None
    resource_type: str
    status: str
    reason: str | None = None


class EventPage(BaseModel):
    """Events after a marker, and whether more can come."""

    deployment_id: UUID
    status: DeploymentStatus = Field(description="The deployment's status when read")
    finished: bool = Field(description="The deployment is final: no more events will come")
    events: list[StackEventDetail]
    after: int = Field(description="Pass as `after` to get the events that follow")
