"""What the deploy engine returns: plain data a deployment record stores as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.cloudformation.diff import TemplateDiff

StackOutcome = Literal["in_progress", "succeeded", "failed", "rolled_back", "gone"]


class ChangeSetRef(BaseModel):
    """A prepared change set: everything needed to preview or execute it later."""

    model_config = ConfigDict(frozen=True)

    stack_name: str
    stack_id: str
    change_set_name: str
    change_set_id: str | None = Field(
        default=None, description="Null when CloudFormation refused it outright: no changes"
    )
    change_set_type: Literal["CREATE", "UPDATE"]
    status: str = Field(description="CloudFormation change set status (CREATE_COMPLETE, FAILED)")
    execution_status: str = Field(description="AVAILABLE, EXECUTE_COMPLETE, UNAVAILABLE, ...")
    status_reason: str | None = None
    no_changes: bool = Field(default=False, description="The template and params are deployed")
    created_at: datetime | None = None


class ChangeDetail(BaseModel):
    """What CloudFormation says about one changing property of a resource."""

    attribute: str | None = None
    name: str | None = None
    requires_recreation: str | None = Field(
        default=None, description="Never, Conditionally, Always"
    )
    change_source: str | None = None


class ResourceChange(BaseModel):
    """One resource change as listed by the change set."""

    action: str = Field(description="Add, Modify, Remove, Import, Dynamic")
    logical_id: str
    physical_id: str | None = None
    resource_type: str
    replacement: str | None = Field(default=None, description="True, False or Conditional")
    scope: list[str] = Field(default_factory=list)
    details: list[ChangeDetail] = Field(default_factory=list)


class Preview(BaseModel):
    """What a deployment would change, before anything changes."""

    change_set: ChangeSetRef
    changes: list[ResourceChange] = Field(description="As CloudFormation lists them")
    diff: TemplateDiff = Field(description="Property-level diff of deployed and new template")


class Execution(BaseModel):
    """What ``execute`` did: started the change set, found it started, or had nothing to do."""

    action: Literal["executed", "already_executed", "no_changes"]
    stack_id: str
    change_set_id: str | None = None


class StackEvent(BaseModel):
    """One stack event (a resource's or the stack's own status change)."""

    event_id: str
    timestamp: datetime
    logical_id: str
    physical_id: str | None = None
    resource_type: str
    status: str
    reason: str | None = None
    is_stack: bool = Field(description="About the stack itself rather than one of its resources")


class StackState(BaseModel):
    """A stack's status, classified, with the reason it failed where it did."""

    stack_name: str
    stack_id: str | None = None
    status: str | None = Field(default=None, description="CloudFormation's stack status")
    outcome: StackOutcome
    reason: str | None = None
    failed_resource: str | None = Field(default=None, description="Logical id at fault")
    outputs: dict[str, str] = Field(
        default_factory=dict, description="The Outputs the stack listed when it was read"
    )


class StackOutputs(BaseModel):
    """A stack's outputs, and where they came from."""

    source: Literal["outputs", "resource_physical_ids"] = Field(
        description="The stack's Outputs, or (when none are returned) each resource's "
        "physical id by logical id"
    )
    values: dict[str, str]


class RetainedResource(BaseModel):
    """A resource that outlives its stack because of its deletion policy."""

    logical_id: str
    resource_type: str
    physical_id: str | None = None
    deletion_policy: str


class Teardown(BaseModel):
    """What ``destroy`` did, and what it left behind on purpose."""

    stack_name: str
    stack_id: str | None = None
    outcome: Literal["deleted", "deleting", "already_gone"]
    retained: list[RetainedResource] = Field(default_factory=list)


class PropertyDrift(BaseModel):
    """One property whose live value differs from the template."""

    path: str
    expected: Any = None
    actual: Any = None
    difference: str = Field(description="ADD, REMOVE or NOT_EQUAL")


class ResourceDrift(BaseModel):
    """A resource changed or deleted outside CloudFormation."""

    logical_id: str
    resource_type: str
    physical_id: str | None = None
    drift_status: str = Field(description="MODIFIED or DELETED")
    differences: list[PropertyDrift] = Field(default_factory=list)


class DriftReport(BaseModel):
    """The result of one drift detection."""

    stack_name: str
    detection_id: str
    stack_drift_status: str = Field(description="IN_SYNC, DRIFTED, UNKNOWN or NOT_CHECKED")
    drifted: list[ResourceDrift] = Field(default_factory=list)
    reason: str | None = None
