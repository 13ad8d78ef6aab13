"""The steps of one claimed deployment, each recorded before the next so a worker may resume."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import ChangeSetRef, StackEvent, StackState
from cdk_service.cloudformation.polling import next_look
from cdk_service.db.models import DeploymentGate, DeploymentKind, DeploymentStatus, DeploymentStep
from cdk_service.deployments import previews, work
from cdk_service.stacks.policies import preview_stale
from cdk_service.stacks.schemas import DeploymentFailure
from cdk_service.synthesis.models import (
    VERSION_NOT_ON_WORKER,
    Synthesizer,
    SynthRequest,
    SynthResult,
)
from service_contract.errors import Conflict, NotFound
from service_contract.targets import Target
from stack_catalog.contract import DeployContext

# The steps of a create, update or upgrade, in order: a resumed run skips those reached.
DEPLOY_STEPS = (
    DeploymentStep.REQUESTED,
    DeploymentStep.SYNTHESIZED,
    DeploymentStep.ASSETS_PUBLISHED,
    DeploymentStep.CHANGE_SET_CREATED,
    DeploymentStep.EXECUTING,
    DeploymentStep.POLLING,
)
# What a synth worker answers for a template version its release does not have.
MISSING_FROM_RELEASE = ("version_not_found", "template_not_found")
# Events older than this before our execute belong to earlier deployments (clock skew margin).
EVENT_MARGIN = timedelta(seconds=1)


class LookLater(Exception):
    """The stack is still changing: the deployment is handed off; look again in ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the stack is still changing: look again in {seconds:g} s")
        self.seconds = seconds


@dataclass
class DeploymentRun:
    """One worker's run of a claimed deployment, from its recorded step to its end."""

    claimed: work.ClaimedDeployment
    target: Target
    worker_id: str
    engine: DeployEngine
    synthesizer: Synthesizer
    poll_seconds: float  # the longest pause between two looks at a changing stack
    # This run made the change set: nothing executed it before (see ``_execute``).
    made_change_set: bool = False
    # This run recorded the start of execution: no events were recorded before it.
    started_execution: bool = False

    async def to_end(self) -> DeploymentStatus:
        """Run the remaining steps and finish; the final status."""
        if self.claimed.kind is DeploymentKind.DESTROY:
            return await self._destroy()
        prepared: dict[str, Any] = {}
        if not self._reached(DeploymentStep.CHANGE_SET_CREATED):
            prepared = await self._create_change_set()
            if self.claimed.held:  # what its reviewers see; else recorded with executing
                await self._record(DeploymentStep.CHANGE_SET_CREATED, **prepared)
        if self.claimed.held:  # a preview, or waiting for an admin: stop until approved
            return await previews.hold(
                deployment_id=self.claimed.deployment_id, worker_id=self.worker_id
            )
        checkpoint: dict[str, Any] = {}
        if not self._reached(DeploymentStep.POLLING):
            checkpoint["execution"] = await self._execute(prepared)
        return await self._look_until_done(self._deployed, DeploymentStep.POLLING, checkpoint)

    async def _create_change_set(self) -> dict[str, Any]:
        """Synthesize and make the change set (or find it again): what to record of them."""
        synthesized = await self._synthesize()
        # Every claim counts an attempt: on the first, at the request, no run made a change set.
        first_attempt = self.claimed.step is DeploymentStep.REQUESTED and self.claimed.attempts == 1
        ref, preview = await asyncio.to_thread(
            self.engine.prepare_with_preview,
            self.target,
            stack_name=self.claimed.cloudformation_stack_name,
            deployment_id=str(self.claimed.deployment_id),
            template=synthesized.template,
            first_attempt=first_attempt,
            new_stack=self.claimed.kind is DeploymentKind.CREATE,
        )
        self.made_change_set = True
        # Only a held change set can go stale: skip the two extra calls for the others.
        previewed = (
            None
            if self.claimed.gate is DeploymentGate.NONE
            else await asyncio.to_thread(self.engine.fingerprint, self.target, ref.stack_id)
        )
        return {
            "template_digest": synthesized.digest,
            "preview": preview.model_dump(mode="json"),
            "checkpoint": {"change_set": ref.model_dump(mode="json"), "previewed_stack": previewed},
            "cloudformation_stack_id": ref.stack_id,
        }

    async def _execute(self, prepared: dict[str, Any]) -> str:
        """Record executing (with the change set ``prepared`` by this run, if it made one:
        one transaction), then execute the change set; what the engine did."""
        checkpoint = {**self.claimed.checkpoint, **prepared.get("checkpoint", {})}
        ref = ChangeSetRef.model_validate(checkpoint["change_set"])
        first_attempt = False
        if not self._reached(DeploymentStep.EXECUTING):
            await self._check_preview_current(ref)
            # Recorded first: from here on a cancel is refused, so no executed change set is
            # orphaned, and events from this time on are this deployment's. A cancel before it
            # makes this write fail (``LeaseLost``): the change set is then deleted unexecuted.
            await self._record(
                DeploymentStep.EXECUTING,
                **{
                    **prepared,
                    "status": DeploymentStatus.EXECUTING,
                    "checkpoint": {**prepared.get("checkpoint", {}), "executing_since": _now()},
                },
            )
            self.started_execution = True
            # Executing is recorded before every execution: this run made the change set and
            # is the first to execute it, so the engine need not look for an earlier one.
            first_attempt = self.made_change_set
        execution = await asyncio.to_thread(
            self.engine.execute, self.target, ref, first_attempt=first_attempt
        )
        return execution.action

    async def _check_preview_current(self, ref: ChangeSetRef) -> None:
        """A reviewed change set is executed only on the stack it was previewed on."""
        previewed = self.claimed.checkpoint.get("previewed_stack")
        if self.claimed.gate is DeploymentGate.NONE or previewed is None:
            return
        if await asyncio.to_thread(self.engine.fingerprint, self.target, ref.stack_id) != previewed:
            deployment_id = str(self.claimed.deployment_id)
            await asyncio.to_thread(self.engine.discard, self.target, ref.stack_id, deployment_id)
            raise preview_stale(
                f"stack {ref.stack_name} changed in CloudFormation since deployment "
                f"{deployment_id} was previewed; its change set is deleted: preview again"
            )

    async def _destroy(self) -> DeploymentStatus:
        if self.claimed.step is not DeploymentStep.DESTROYING:
            await self._record(
                DeploymentStep.DESTROYING,
                status=DeploymentStatus.EXECUTING,
                checkpoint={"executing_since": _now()},
            )
            self.started_execution = True
        # Recorded when the deletion was asked and the stack handed off to look at later.
        retained: list[dict[str, Any]] | None = self.claimed.checkpoint.get("retained")
        if retained is None:
            template = (await self._synthesize()).template  # what deletion policies keep
            teardown = await asyncio.to_thread(
                self.engine.destroy, self.target, self._stack, template, force=self.claimed.force
            )
            retained = [resource.model_dump(mode="json") for resource in teardown.retained]

        async def destroyed(state: StackState, events: list[StackEvent]) -> DeploymentStatus:
            if state.outcome != "gone":
                return await self._fail(state, events)
            return await self._finish(
                DeploymentStatus.SUCCEEDED, result={"retained": retained}, events=events
            )

        return await self._look_until_done(
            destroyed, DeploymentStep.DESTROYING, {"retained": retained}
        )

    async def _look_until_done(
        self,
        conclude: Callable[[StackState, list[StackEvent]], Awaitable[DeploymentStatus]],
        step: DeploymentStep,
        checkpoint: dict[str, Any],
    ) -> DeploymentStatus:
        """Look at the stack: once it settled, conclude (its last events recorded in the same
        transaction); while it changes, hand it off with the events so far, ``step`` and
        ``checkpoint`` recorded (a resumed run looks again without starting over), and raise
        ``LookLater``: no worker waits on CloudFormation.
        """
        since = (
            None
            if self.started_execution  # no event recorded yet: no need to ask
            else await work.last_event_id(deployment_id=self.claimed.deployment_id)
        )
        state, events = await self._look(since, self._executing_since())
        if state.outcome != "in_progress":
            return await conclude(state, events)
        await work.hand_off(
            deployment_id=self.claimed.deployment_id,
            worker_id=self.worker_id,
            step=step,
            checkpoint=checkpoint,
            events=events,
        )
        executing_since = self._executing_since() or datetime.now(UTC)
        changing = (datetime.now(UTC) - executing_since).total_seconds()
        raise LookLater(next_look(changing, longest=self.poll_seconds))

    async def _look(
        self, since: str | None, not_before: datetime | None
    ) -> tuple[StackState, list[StackEvent]]:
        """The stack's state and its events after ``since``, asked at once. Events read before
        the stack settled may miss its last ones: then they are read again."""
        state, events = await asyncio.gather(
            asyncio.to_thread(self.engine.status, self.target, self._stack),
            asyncio.to_thread(self.engine.events, self.target, self._stack, since, not_before),
        )
        caught_up = state.outcome == "in_progress" or any(
            event.is_stack and event.status == state.status for event in events
        )
        if not caught_up:
            since = events[-1].event_id if events else since
            later = await asyncio.to_thread(
                self.engine.events, self.target, self._stack, since, not_before
            )
            events = [*events, *later]
        return state, events

    async def _deployed(self, state: StackState, events: list[StackEvent]) -> DeploymentStatus:
        if state.outcome != "succeeded":
            return await self._fail(state, events)
        outputs = await asyncio.to_thread(self.engine.outputs, self.target, self._stack, state)
        return await self._finish(DeploymentStatus.SUCCEEDED, outputs=outputs.values, events=events)

    async def _fail(self, state: StackState, events: list[StackEvent]) -> DeploymentStatus:
        failure = DeploymentFailure(
            code="stack_rolled_back" if state.outcome == "rolled_back" else "stack_failed",
            message=f"stack {state.stack_name} ended {state.status or 'deleted'}: "
            f"{state.reason or 'no reason given'}",
            reason=state.reason,
            failed_resource=state.failed_resource,
            rollback_state=state.status,
        )
        return await self._finish(DeploymentStatus.FAILED, error=failure, events=events)

    async def _synthesize(self) -> SynthResult:
        claimed = self.claimed
        context = DeployContext(
            account=claimed.account,
            region=claimed.region,
            team=claimed.team,
            stack_name=claimed.cloudformation_stack_name,
        )
        request = SynthRequest(
            template=claimed.template,
            version=claimed.version,
            code_digest=claimed.code_digest,
            bundle_digest=claimed.bundle_digest,
            params=claimed.params,
            context=context,
        )
        try:
            return await self.synthesizer.synth(request)
        except NotFound as missing:
            if missing.code not in MISSING_FROM_RELEASE:
                raise
            raise version_not_on_worker(request, missing) from missing

    async def _record(self, step: DeploymentStep, **recorded: Any) -> None:
        """Record a step (the lease is kept meanwhile by ``heartbeat.lease_kept``)."""
        self.claimed = await work.record_step(
            deployment_id=self.claimed.deployment_id,
            worker_id=self.worker_id,
            step=step,
            **recorded,
        )

    async def _finish(self, status: DeploymentStatus, **finished: Any) -> DeploymentStatus:
        await work.finish(
            deployment_id=self.claimed.deployment_id,
            worker_id=self.worker_id,
            status=status,
            **finished,
        )
        return status

    def _reached(self, step: DeploymentStep) -> bool:
        return DEPLOY_STEPS.index(self.claimed.step) >= DEPLOY_STEPS.index(step)

    def _executing_since(self) -> datetime | None:
        recorded = self.claimed.checkpoint.get("executing_since")
        return None if recorded is None else datetime.fromisoformat(recorded) - EVENT_MARGIN

    @property
    def _stack(self) -> str:
        """The stack id once known (it outlives deletion), else the stack's name."""
        return self.claimed.cloudformation_stack_id or self.claimed.cloudformation_stack_name


def _now() -> str:
    return datetime.now(UTC).isoformat()


def version_not_on_worker(request: SynthRequest, missing: NotFound) -> Conflict:
    """The refusal of a deployment's synth by a worker whose release lacks the version."""
    # The claim read the version from the catalog, so it exists: a newer release published it
    # and a worker of that release can build it (a rolling deploy), unlike a truly unknown one.
    return Conflict(
        f"{missing.message} on this synth worker, though the catalog has it: the worker runs "
        "another release of the templates (a rolling deploy); a worker of the release that has "
        "it must synthesize it",
        code=VERSION_NOT_ON_WORKER,
        details={"template": request.template, "version": request.version, "worker": missing.code},
    )
