"""What the shares API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.db.models import ShareStatus
from service_contract.iam_principals import PRINCIPAL_ARN_PATTERN
from stack_catalog.contract import SLUG_PATTERN


class ShareRequest(BaseModel):
    """``POST /v1/shares``: read access to a dataset for one of the requesting team's roles."""

    model_config = ConfigDict(extra="forbid")

    dataset_id: UUID = Field(description="The dataset to read")
    team: str = Field(pattern=SLUG_PATTERN, description="The requesting team (the caller's)")
    principal_arn: str = Field(
        pattern=PRINCIPAL_ARN_PATTERN,
        max_length=1024,
        description="One of the team's registered roles, or its data environment's team role",
    )
    reason: str = Field(min_length=1, max_length=2048, description="Why the team needs it")


class ShareDecision(BaseModel):
    """``POST /v1/shares/{share_id}/approve|reject|revoke``: an optional note for the record."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2048)


class ShareFilter(BaseModel):
    """``GET /v1/shares`` query: one direction, optionally narrowed, one page at a time."""

    model_config = ConfigDict(extra="forbid")

    direction: Literal["incoming", "outgoing"] = Field(
        default="incoming",
        description="incoming: requests for the caller's teams' datasets; outgoing: the "
        "caller's teams' own requests",
    )
    status: ShareStatus | None = None
    team: str | None = Field(default=None, pattern=SLUG_PATTERN, description="One of your teams")
    dataset_id: UUID | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)


class ShareDetail(BaseModel):
    """A share request and where it is."""

    id: UUID
    dataset_id: UUID
    dataset_name: str
    owner_team: str
    requester_team: str
    principal_arn: str
    reason: str
    status: ShareStatus
    needs_admin: bool = Field(description="Confidential: an admin approves as well as the owner")
    requested_by: str
    owner_approved_by: str | None
    admin_approved_by: str | None
    decided_by: str | None
    deployment_id: UUID | None = Field(description="The latest grant, preview or revoke")
    error: dict[str, Any] | None = Field(description="CloudFormation's reason, when it failed")
    created_at: datetime
    updated_at: datetime


class SharePage(BaseModel):
    """One page of shares, newest first."""

    shares: list[ShareDetail]
    next_cursor: str | None


class ShareEvent(BaseModel):
    """One recorded change of a share."""

    action: str
    actor: str
    at: datetime
    details: dict[str, Any]


class ShareHistory(BaseModel):
    """Every change of a share, oldest first; both teams see it."""

    share_id: UUID
    events: list[ShareEvent]
