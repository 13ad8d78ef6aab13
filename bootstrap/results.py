"""What the steps find and return, as the operator is told it: frozen values, no behaviour.

``messages`` (every line printed) and ``progress`` (how it is printed) put these values into
words; the steps make them. So this module imports no other module of ``bootstrap``: the
words depend on the values alone, the steps on the words, and ``run`` on the steps.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.cloudformation.diff import TemplateDiff
from cdk_service.cloudformation.models import ResourceChange

# The app's stack that publishes the console's address, and the output it is in.
FRONTEND_STACK = "Frontend"
FRONTEND_URL_OUTPUT = "FrontendUrl"

OriginSource = Literal["configured", "custom_domain", "frontend_stack"]
DeployAction = Literal["created", "updated", "no_changes"]
StepOutcome = Literal["done", "already_done", "skipped"]
PlannedAction = Literal["create", "update", "replace", "no_changes", "wait", "blocked"]
StackKind = Literal["toolkit", "platform"]


class ExistingStack(BaseModel):
    """A stack the bootstrap manages, and its status now (None: it does not exist)."""

    model_config = ConfigDict(frozen=True)

    stack_name: str
    region: str
    status: str | None = None
    reason: str | None = None

    @property
    def exists(self) -> bool:
        """Whether CloudFormation has the stack (in any state)."""
        return self.status is not None


class PreflightReport(BaseModel):
    """What preflight found before anything changes."""

    model_config = ConfigDict(frozen=True)

    caller_arn: str
    account: str
    regions: list[str]
    stacks: list[ExistingStack] = Field(description="Toolkit stacks first, then the platform's")

    def status_of(self, stack_name: str, region: str) -> str | None:
        """The status preflight saw for a stack, None when absent."""
        for stack in self.stacks:
            if stack.stack_name == stack_name and stack.region == region:
                return stack.status
        return None


class ConsoleOrigin(BaseModel):
    """The console's origin and where it came from."""

    model_config = ConfigDict(frozen=True)

    origin: str
    source: OriginSource


class StackResult(BaseModel):
    """What deploying one stack did."""

    model_config = ConfigDict(frozen=True)

    stack_name: str
    region: str
    action: DeployAction
    replaced_failed_stack: bool = False
    stack_id: str | None = None


class StepResult(BaseModel):
    """What one step after the stacks did."""

    model_config = ConfigDict(frozen=True)

    step: str
    outcome: StepOutcome
    detail: str


class ServiceRole(BaseModel):
    """One service-linked role and whether the account has it."""

    model_config = ConfigDict(frozen=True)

    service: str
    present: bool


class PlannedStack(BaseModel):
    """One stack of the dry run: what exists, what would happen, and the preview of it."""

    model_config = ConfigDict(frozen=True)

    kind: StackKind
    stack_name: str
    region: str
    status: str | None = Field(default=None, description="Its CloudFormation status now")
    action: PlannedAction
    changes: list[ResourceChange] = Field(
        default_factory=list, description="The change set's list, when one could be made"
    )
    diff: TemplateDiff = Field(default_factory=TemplateDiff)
    preview_source: Literal["change_set", "template_diff"] = "template_diff"
    file_assets: int = 0
    note: str | None = None

    @property
    def change_count(self) -> int:
        """How many resources change (CloudFormation's count where there is one)."""
        return len(self.changes) if self.changes else len(self.diff.resources)


class DryRun(BaseModel):
    """Every stack in deployment order (toolkits first) and the steps after them."""

    model_config = ConfigDict(frozen=True)

    caller_arn: str
    account: str
    service_roles: tuple[ServiceRole, ...] = Field(
        default=(), description="Service-linked roles made before the stacks"
    )
    stacks: tuple[PlannedStack, ...]
    post_deploy: tuple[str, ...] = ()
    console_origin: str | None = Field(
        default=None, description="Which origin the Backend API will allow (CORS), and why"
    )
    service_image: str | None = Field(
        default=None, description="The image the tasks run: configured, or built in the account"
    )

    @property
    def changes_anything(self) -> bool:
        """Whether a run would change any stack, or create a service-linked role."""
        missing = any(not role.present for role in self.service_roles)
        return missing or any(stack.action != "no_changes" for stack in self.stacks)
