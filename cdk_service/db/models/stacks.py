"""Stacks, the deployments that change them, and the CloudFormation events they produce."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from cdk_service.db.models.catalog import TemplateVersion


class StackStatus(StrEnum):
    """Where a stack is in its life; ``destroyed`` and ``cancelled`` stacks are no longer live."""

    REQUESTED = "requested"
    PENDING_APPROVAL = "pending_approval"
    DEPLOYING = "deploying"
    ACTIVE = "active"
    UPDATING = "updating"
    FAILED = "failed"
    DESTROYING = "destroying"
    DESTROYED = "destroyed"
    CANCELLED = "cancelled"


class DriftStatus(StrEnum):
    """What the last drift check found."""

    NOT_CHECKED = "not_checked"
    IN_SYNC = "in_sync"
    DRIFTED = "drifted"
    UNKNOWN = "unknown"


class DeploymentKind(StrEnum):
    """What a deployment does to its stack."""

    CREATE = "create"
    UPDATE = "update"
    UPGRADE = "upgrade"
    DESTROY = "destroy"
    DRIFT_CHECK = "drift_check"


class DeploymentStatus(StrEnum):
    """A deployment's progress; ``succeeded``, ``failed`` and ``cancelled`` are final."""

    QUEUED = "queued"
    PENDING_APPROVAL = "pending_approval"
    PREVIEWING = "previewing"
    AWAITING_EXECUTION = "awaiting_execution"
    EXECUTING = "executing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DeploymentGate(StrEnum):
    """What a deployment waits for between its preview and its execution."""

    NONE = "none"  # executes as soon as it is previewed
    PREVIEW = "preview"  # a preview: the owning team (or an admin) executes it
    APPROVAL = "approval"  # its template version requires an admin's approval


class DeploymentStep(StrEnum):
    """The last step a worker recorded: where a worker taking over resumes."""

    REQUESTED = "requested"
    SYNTHESIZED = "synthesized"
    ASSETS_PUBLISHED = "assets_published"
    CHANGE_SET_CREATED = "change_set_created"
    EXECUTING = "executing"
    POLLING = "polling"
    DESTROYING = "destroying"
    DRIFT_DETECTING = "drift_detecting"
    COMPLETED = "completed"


class Stack(Model):
    """One deployed (or requested) instance of a template version, owned by a team.

    ``team`` is the owner team's slug, not a foreign key: membership comes from the caller's
    identity groups, and a team may act before an admin has registered it as a row.
    """

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=63)
    team = fields.CharField(max_length=63, db_index=True)
    template_version: fields.ForeignKeyRelation[TemplateVersion] = fields.ForeignKeyField(
        "models.TemplateVersion", related_name="stacks", on_delete=fields.RESTRICT
    )
    params: fields.Field[dict[str, Any]] = fields.JSONField()
    account = fields.CharField(max_length=12)
    region = fields.CharField(max_length=32)
    status = fields.CharEnumField(StackStatus, max_length=24)
    live = fields.BooleanField(
        null=True,
        default=True,
        description="TRUE until destroyed or cancelled, then NULL: unique with the name, "
        "so a name is taken once per team and target among live stacks only",
    )
    cloudformation_stack_name = fields.CharField(max_length=128)
    cloudformation_stack_id = fields.CharField(max_length=256, null=True)
    outputs: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    expires_at = fields.DatetimeField(null=True, db_index=True)
    expiry_warned_at = fields.DatetimeField(
        null=True, description="When its owners were warned that it will be destroyed at expiry"
    )
    drift_status = fields.CharEnumField(DriftStatus, max_length=16, default=DriftStatus.NOT_CHECKED)
    drift_checked_at = fields.DatetimeField(null=True)
    created_by = fields.CharField(max_length=256)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    revision = fields.IntField(
        default=1, description="Bumped on every write; writes name the revision they read"
    )

    deployments: fields.ReverseRelation[Deployment]
    template_version_id: int

    class Meta:
        table = "stacks"
        unique_together = (("team", "account", "region", "name", "live"),)
        indexes = (("created_at", "id"),)


class Deployment(Model):
    """One attempt to bring a stack to a desired state, with its lease while a worker runs it."""

    id = fields.UUIDField(primary_key=True)
    stack: fields.ForeignKeyRelation[Stack] = fields.ForeignKeyField(
        "models.Stack", related_name="deployments", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(DeploymentKind, max_length=16)
    status = fields.CharEnumField(DeploymentStatus, max_length=24)
    active = fields.BooleanField(
        null=True,
        default=True,
        description="TRUE until the status is final, then NULL: unique with the stack, so "
        "the database holds at most one active deployment per stack",
    )
    step = fields.CharEnumField(DeploymentStep, max_length=24, default=DeploymentStep.REQUESTED)
    gate = fields.CharEnumField(
        DeploymentGate,
        max_length=16,
        default=DeploymentGate.NONE,
        description="Held after the preview until approved (preview: by its team; approval: "
        "by an admin)",
    )
    requester = fields.CharField(max_length=256)
    idempotency_key = fields.CharField(max_length=128, null=True)
    request_digest = fields.CharField(
        max_length=64, description="SHA-256 of the request, to tell a retry from a reused key"
    )
    template_version: fields.ForeignKeyRelation[TemplateVersion] = fields.ForeignKeyField(
        "models.TemplateVersion", related_name="deployments", on_delete=fields.RESTRICT
    )
    params: fields.Field[dict[str, Any]] = fields.JSONField()
    force = fields.BooleanField(default=False)
    template_digest = fields.CharField(max_length=64, null=True)
    preview: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    checkpoint: fields.Field[dict[str, Any]] = fields.JSONField(
        default=dict, description="What a worker needs to resume (change set, detection ids)"
    )
    result: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    error: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    lease_owner = fields.CharField(max_length=256, null=True)
    lease_expires_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    approved_by = fields.CharField(max_length=256, null=True)
    approved_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    events: fields.ReverseRelation[StackEvent]
    stack_id: UUID
    template_version_id: int

    class Meta:
        table = "deployments"
        unique_together = (("stack", "active"), ("requester", "idempotency_key"))
        indexes = (("status", "lease_expires_at"), ("stack", "created_at"))


class StackEvent(Model):
    """A CloudFormation stack event copied while its deployment ran; ``id`` orders them."""

    id = fields.BigIntField(primary_key=True)
    deployment: fields.ForeignKeyRelation[Deployment] = fields.ForeignKeyField(
        "models.Deployment", related_name="events", on_delete=fields.RESTRICT
    )
    event_id = fields.CharField(max_length=256)
    timestamp = fields.DatetimeField()
    logical_id = fields.CharField(max_length=256)
    physical_id = fields.TextField(null=True)
    resource_type = fields.CharField(max_length=256)
    status = fields.CharField(max_length=64)
    reason = fields.TextField(null=True)
    recorded_at = fields.DatetimeField(auto_now_add=True)

    deployment_id: UUID

    class Meta:
        table = "stack_events"
        unique_together = (("deployment", "event_id"),)
        ordering = ("id",)
