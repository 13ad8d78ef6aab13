"""A drift check: CloudFormation compares the stack's resources with its template.

Nothing in the stack changes; the stack records what was found (``drift_status``,
``drift_checked_at``) and the deployment's ``result`` the drifted resources and why a status
is unknown. An endpoint that cannot detect drift (moto) is an answer, not a failure: the
status is ``unknown`` with the reason.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cdk_service.cloudformation.drift import DriftUnsupported
from cdk_service.db.models import DeploymentStatus, DeploymentStep, DriftStatus
from cdk_service.jobs.steps import DeploymentRun

DRIFT_STATUSES = {"IN_SYNC": DriftStatus.IN_SYNC, "DRIFTED": DriftStatus.DRIFTED}


class DriftCheckRun(DeploymentRun):
    """One worker's run of a claimed drift check, resumed from its detection id."""

    async def to_end(self) -> DeploymentStatus:
        """Start detection (or find the one recorded), wait for its report, record it."""
        detection: str | None = self.claimed.checkpoint.get("drift_detection")
        if detection is None:
            try:
                detection = await asyncio.to_thread(
                    self.engine.start_drift_detection, self.target, self._stack
                )
            except DriftUnsupported as unsupported:
                return await self._found(DriftStatus.UNKNOWN, reason=unsupported.message)
            await self._record(
                DeploymentStep.DRIFT_DETECTING,
                status=DeploymentStatus.EXECUTING,
                checkpoint={"drift_detection": detection},
            )
        report = await asyncio.to_thread(
            self.engine.drift_result, self.target, self._stack, detection
        )
        return await self._found(
            DRIFT_STATUSES.get(report.stack_drift_status, DriftStatus.UNKNOWN),
            reason=report.reason,
            drifted=[resource.model_dump(mode="json") for resource in report.drifted],
        )

    async def _found(self, status: DriftStatus, **result: Any) -> DeploymentStatus:
        return await self._finish(
            DeploymentStatus.SUCCEEDED,
            drift_status=status,
            result={"drift_status": status.value, "drifted": [], **result},
        )
