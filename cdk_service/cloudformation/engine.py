"""The deploy engine: each operation takes ids and names, and is safe to run again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cdk_service.cloudformation import changeset, drift, execution, monitoring, review, teardown
from cdk_service.cloudformation import preview as previews
from cdk_service.cloudformation.assets import AssetSource, PublishedAsset, publish_file_assets
from cdk_service.cloudformation.models import (
    ChangeSetRef,
    DriftReport,
    Execution,
    Preview,
    StackEvent,
    StackOutputs,
    StackState,
    Teardown,
)
from cdk_service.cloudformation.polling import Polling
from cdk_service.cloudformation.template_body import template_argument
from service_contract.targets import AwsClients, Target


class DeployEngine:
    """Brings CloudFormation stacks to a desired state, one resumable step at a time."""

    def __init__(self, clients: AwsClients, *, polling: Polling | None = None) -> None:
        self.clients = clients
        self.polling = polling or Polling()

    def prepare(
        self,
        target: Target,
        *,
        stack_name: str,
        deployment_id: str,
        template: Mapping[str, Any],
        parameters: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        first_attempt: bool = False,
    ) -> ChangeSetRef:
        """Create the deployment's change set (or find it again) and wait until it is ready.

        ``first_attempt``: no earlier run of the deployment got this far, so there is no change
        set to look for (a create that finds one made meanwhile still takes it).
        """
        order = changeset.ChangeSetOrder(
            stack_name=stack_name,
            name=changeset.change_set_name(deployment_id),
            parameters=dict(parameters or {}),
            tags=dict(tags or {}),
            execution_role_arn=target.execution_role_arn,
        )
        return self._ready(target, order, template, first_attempt)[0]

    def prepare_with_preview(
        self,
        target: Target,
        *,
        stack_name: str,
        deployment_id: str,
        template: Mapping[str, Any],
        first_attempt: bool = False,
        new_stack: bool = False,
    ) -> tuple[ChangeSetRef, Preview]:
        """``prepare``, then ``preview``, reading the change set's changes from the description
        that said it was ready rather than asking again.

        ``new_stack``: the deployment creates the stack, so its change set is a CREATE without
        describing the stack to choose (CloudFormation refuses it for a stack that exists other
        than for review).
        """
        order = changeset.ChangeSetOrder(
            stack_name=stack_name,
            name=changeset.change_set_name(deployment_id),
            execution_role_arn=target.execution_role_arn,
            change_set_type="CREATE" if new_stack else None,
        )
        ref, described = self._ready(target, order, template, first_attempt)
        cloudformation = self._cloudformation(target)
        return ref, previews.preview(cloudformation, ref, template, described=described)

    def _ready(
        self,
        target: Target,
        order: changeset.ChangeSetOrder,
        template: Mapping[str, Any],
        first_attempt: bool,
    ) -> tuple[ChangeSetRef, dict[str, Any] | None]:
        """The change set made (or found) and ready, with its description (None if refused)."""
        cloudformation = self._cloudformation(target)
        stack_name = order.stack_name
        if first_attempt or changeset.find(cloudformation, stack_name, order.name) is None:
            body = template_argument(self.clients.client(target, "s3"), target, template)
            if not changeset.create(cloudformation, order, body):
                return changeset.refused_ref(cloudformation, stack_name, order.name), None
        ready = changeset.wait_until_ready(cloudformation, self.polling, stack_name, order.name)
        return changeset.to_ref(ready), ready

    def preview(
        self,
        target: Target,
        ref: ChangeSetRef,
        template: Mapping[str, Any],
        parameters: Mapping[str, str] | None = None,
    ) -> Preview:
        """What the change set would change: CloudFormation's list and the template diff.

        Take it before ``execute``: afterwards the deployed template is the new one.
        """
        return previews.preview(self._cloudformation(target), ref, template, parameters)

    def fingerprint(self, target: Target, stack: str) -> str:
        """A digest of the stack as a change set sees it: compare before executing a preview."""
        return review.fingerprint(self._cloudformation(target), stack)

    def discard(self, target: Target, stack: str, deployment_id: str) -> bool:
        """Delete the deployment's unexecuted change set (and a stack made only to review it)."""
        name = changeset.change_set_name(deployment_id)
        return review.discard(self._cloudformation(target), stack, name)

    def execute(
        self, target: Target, ref: ChangeSetRef, *, first_attempt: bool = False
    ) -> Execution:
        """Execute the change set; nothing happens if it was executed before.

        ``first_attempt``: the caller made the change set and no run executed it since, so
        its status is not looked up first (a refusal is still read as ``execute`` says).
        """
        return execution.execute(self._cloudformation(target), ref, first_attempt=first_attempt)

    def events(
        self,
        target: Target,
        stack: str,
        since_event_id: str | None = None,
        not_before: datetime | None = None,
    ) -> list[StackEvent]:
        """Stack events after the marker, oldest first (pass the stack id: it outlives deletion)."""
        return monitoring.new_events(
            self._cloudformation(target), stack, since_event_id, not_before
        )

    def status(self, target: Target, stack: str) -> StackState:
        """The stack's status, classified, with the failure reason when it failed."""
        return monitoring.stack_state(self._cloudformation(target), stack)

    def outputs(
        self, target: Target, stack: str, settled: StackState | None = None
    ) -> StackOutputs:
        """The stack's outputs, saying whether they came from Outputs or resource ids
        (``settled``: the state ``status`` just gave, so the stack is not described again)."""
        return monitoring.stack_outputs(self._cloudformation(target), stack, settled)

    def destroy(
        self, target: Target, stack: str, template: Mapping[str, Any], *, force: bool = False
    ) -> Teardown:
        """Delete the stack, listing what its deletion policies keep; a gone stack is success."""
        return teardown.destroy(self._cloudformation(target), stack, template, force=force)

    def start_drift_detection(self, target: Target, stack: str) -> str:
        """Start drift detection; the detection id (record it to resume)."""
        return drift.start_detection(self._cloudformation(target), stack)

    def drift_result(self, target: Target, stack: str, detection_id: str) -> DriftReport:
        """The drift report of a detection, waiting for it up to the polling deadline."""
        cloudformation = self._cloudformation(target)
        return self.polling.until(
            lambda: drift.detection_result(cloudformation, stack, detection_id),
            f"drift detection {detection_id} on stack {stack}",
        )

    def detect_drift(self, target: Target, stack: str) -> DriftReport:
        """Detect drift and wait for the report."""
        return self.drift_result(target, stack, self.start_drift_detection(target, stack))

    def publish_assets(
        self, target: Target, asset_manifest: Mapping[str, Any], source: AssetSource
    ) -> list[PublishedAsset]:
        """Upload the stack's file assets to the target's asset bucket (skipping those there)."""
        return publish_file_assets(
            self.clients.client(target, "s3"), target, asset_manifest, source
        )

    def _cloudformation(self, target: Target) -> Any:
        return self.clients.client(target, "cloudformation")
