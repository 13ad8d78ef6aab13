"""Stack and deployment rows turned into the schemas the API shows."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from cdk_service.db.models import Deployment, Stack
from cdk_service.stacks.schemas import (
    DeploymentAccepted,
    DeploymentDetail,
    DeploymentFailure,
    StackDetail,
)


def stack_detail(stack: Stack, active_deployment_id: UUID | None) -> StackDetail:
    """A stack (template version and template loaded) and its active deployment's id."""
    return StackDetail(
        id=stack.id,
        name=stack.name,
        team=stack.team,
        template=stack.template_version.template.name,
        version=stack.template_version.version,
        params=stack.params,
        account=stack.account,
        region=stack.region,
        status=stack.status,
        cloudformation_stack_name=stack.cloudformation_stack_name,
        cloudformation_stack_id=stack.cloudformation_stack_id,
        outputs=stack.outputs,
        expires_at=stack.expires_at,
        expiry_warned_at=stack.expiry_warned_at,
        drift_status=stack.drift_status,
        drift_checked_at=stack.drift_checked_at,
        active_deployment_id=active_deployment_id,
        revision=stack.revision,
        created_by=stack.created_by,
        created_at=stack.created_at,
        updated_at=stack.updated_at,
    )


def listed_stack_detail(row: dict[str, Any]) -> StackDetail:
    """A row of ``repository.list_stacks`` or ``stack_row`` (its JSON columns still text)."""
    return StackDetail.model_validate(
        row | {"params": json.loads(row["params"]), "outputs": json.loads(row["outputs"])}
    )


def deployment_detail(deployment: Deployment) -> DeploymentDetail:
    """A deployment (template version and template loaded)."""
    error = deployment.error
    return DeploymentDetail(
        id=deployment.id,
        stack_id=deployment.stack_id,
        kind=deployment.kind,
        status=deployment.status,
        step=deployment.step,
        requester=deployment.requester,
        template=deployment.template_version.template.name,
        version=deployment.template_version.version,
        params=deployment.params,
        force=deployment.force,
        gate=deployment.gate,
        template_digest=deployment.template_digest,
        preview=deployment.preview,
        result=deployment.result,
        error=None if error is None else DeploymentFailure.model_validate(error),
        attempts=deployment.attempts,
        approved_by=deployment.approved_by,
        approved_at=deployment.approved_at,
        started_at=deployment.started_at,
        finished_at=deployment.finished_at,
        created_at=deployment.created_at,
        updated_at=deployment.updated_at,
    )


def accepted(
    stack: Stack, deployment: Deployment, active_deployment_id: UUID | None, *, replayed: bool
) -> DeploymentAccepted:
    """The answer to a request that made (or, replayed, had made) ``deployment``."""
    return DeploymentAccepted(
        stack=stack_detail(stack, active_deployment_id),
        deployment=deployment_detail(deployment),
        replayed=replayed,
    )
