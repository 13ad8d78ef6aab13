"""What a worker holding a lease is given, and the error that tells it to stop."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.db.models import (
    Deployment,
    DeploymentGate,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    Stack,
)
from cdk_service.stacks.schemas import DeploymentFailure
from service_contract.errors import Conflict


class LeaseLost(Conflict):
    """The worker no longer holds the deployment: it was cancelled, finished or taken over."""

    code = "lease_lost"

    def __init__(
        self, deployment_id: UUID, status: DeploymentStatus | None, owner: str | None
    ) -> None:
        super().__init__(
            f"the lease on deployment {deployment_id} is lost",
            details={
                "deployment_id": str(deployment_id),
                "status": None if status is None else status.value,
                "lease_owner": owner,
            },
        )
        self.status = status


class ClaimedDeployment(BaseModel):
    """Everything a worker needs to carry out (or resume) a deployment, without a query."""

    model_config = ConfigDict(frozen=True)

    deployment_id: UUID
    stack_id: UUID
    kind: DeploymentKind
    status: DeploymentStatus
    step: DeploymentStep = Field(description="The last step recorded: resume after it")
    checkpoint: dict[str, Any] = Field(description="Ids recorded with earlier steps")
    attempts: int = Field(description="Claims so far, this one included")
    lease_owner: str | None
    lease_expires_at: datetime | None
    template: str
    version: str = Field(description="The version this deployment brings the stack to")
    code_digest: str = Field(description="The version's code digest, for the synth request")
    bundle_digest: str | None = Field(
        default=None, description="The bundle holding the version's code; None: built-in"
    )
    params: dict[str, Any]
    force: bool
    gate: DeploymentGate = Field(
        default=DeploymentGate.NONE, description="What it waits for after the preview"
    )
    approved: bool = Field(default=False, description="Someone let it execute after the preview")
    template_digest: str | None = None
    team: str
    stack_name: str
    cloudformation_stack_name: str
    cloudformation_stack_id: str | None = None
    account: str
    region: str

    @property
    def held(self) -> bool:
        """Stop after the preview: gated and not approved yet."""
        return self.gate is not DeploymentGate.NONE and not self.approved


def claimed(stack: Stack, deployment: Deployment) -> ClaimedDeployment:
    """A worker's view of a deployment (template version and template loaded) and its stack."""
    version = deployment.template_version
    return ClaimedDeployment(
        deployment_id=deployment.id,
        stack_id=stack.id,
        kind=deployment.kind,
        status=deployment.status,
        step=deployment.step,
        checkpoint=deployment.checkpoint,
        attempts=deployment.attempts,
        lease_owner=deployment.lease_owner,
        lease_expires_at=deployment.lease_expires_at,
        template=version.template.name,
        version=version.version,
        code_digest=version.code_digest,
        bundle_digest=version.bundle_digest,
        params=deployment.params,
        force=deployment.force,
        gate=deployment.gate,
        approved=deployment.approved_at is not None,
        template_digest=deployment.template_digest,
        team=stack.team,
        stack_name=stack.name,
        cloudformation_stack_name=stack.cloudformation_stack_name,
        cloudformation_stack_id=stack.cloudformation_stack_id,
        account=stack.account,
        region=stack.region,
    )


def attempts_exhausted(
    attempts: int, last_error: dict[str, Any] | None, *, executing: bool
) -> DeploymentFailure:
    """Why a deployment was given up after ``attempts`` runs that did not finish it."""
    why = (
        f"the last one failed with {last_error.get('code')}: {last_error.get('message')}"
        if last_error
        else "the workers running it stopped before it finished (killed or out of memory)"
    )
    still = " CloudFormation may still be changing the stack;" if executing else ""
    return DeploymentFailure(
        code="attempts_exhausted",
        message=f"gave up after {attempts} attempts: {why}.{still} request the change again "
        "once the cause is fixed",
        reason=None if not last_error else last_error.get("message"),
        retryable=True,
    )
