"""Updates merge parameters, upgrades move to newer versions, destroys need force on failure."""

from __future__ import annotations

import pytest

from cdk_service.db.models import DeploymentKind, DeploymentStatus, StackStatus, TemplateVersion
from cdk_service.stacks import service
from cdk_service.stacks.schemas import DeploymentFailure
from service_contract.errors import Conflict, InvalidInput
from tests.cdk_service.stacks.conftest import run_to_end


async def test_an_update_merges_params_and_applies_them_when_it_succeeds(requester, analyst):
    stack = (await requester.active_stack(analyst)).stack

    update = await requester.update(analyst, stack.id, {"retention_days": 7})
    assert update.deployment.kind is DeploymentKind.UPDATE
    assert update.deployment.params["bucket_name"] == "sandbox-data"
    assert update.deployment.params["retention_days"] == 7
    assert update.stack.params["retention_days"] == 30

    await run_to_end(update.deployment.id)
    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.params["retention_days"] == 7 and after.status is StackStatus.ACTIVE


async def test_an_update_is_validated(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    with pytest.raises(InvalidInput) as raised:
        await requester.update(analyst, stack.id, {"retention_days": 0})
    assert raised.value.field == "params.retention_days"


async def test_a_stack_not_yet_active_cannot_be_updated(requester, analyst) -> None:
    accepted = await requester.stack(analyst)
    await run_to_end(
        accepted.deployment.id,
        status=DeploymentStatus.FAILED,
        error=DeploymentFailure(code="stack_failed", message="create failed"),
    )
    with pytest.raises(Conflict) as raised:
        await requester.update(analyst, accepted.stack.id, {"retention_days": 7})
    assert raised.value.code == "stack_not_ready"


async def test_an_upgrade_moves_to_a_newer_version(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack

    upgrade = await requester.upgrade(analyst, stack.id, "1.1.0", retention_days=90)
    assert upgrade.deployment.version == "1.1.0" and upgrade.stack.version == "1.0.0"
    assert upgrade.deployment.params["bucket_name"] == "sandbox-data"

    await run_to_end(upgrade.deployment.id, outputs={"BucketArn": "arn:aws:s3:::sandbox-data"})
    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.version == "1.1.0" and after.params["retention_days"] == 90
    assert after.outputs == {"BucketArn": "arn:aws:s3:::sandbox-data"}


async def test_an_upgrade_must_be_newer(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst, version="1.1.0")).stack
    with pytest.raises(InvalidInput) as raised:
        await requester.upgrade(analyst, stack.id, "1.0.0")
    assert raised.value.code == "not_an_upgrade"


async def test_an_upgrade_to_a_deprecated_version_is_refused(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    await TemplateVersion.filter(version="1.1.0").update(status="deprecated")
    with pytest.raises(Conflict) as raised:
        await requester.upgrade(analyst, stack.id, "1.1.0")
    assert raised.value.code == "version_deprecated"


async def test_a_failed_stack_needs_force_to_be_destroyed(requester, analyst) -> None:
    accepted = await requester.stack(analyst)
    await run_to_end(
        accepted.deployment.id,
        status=DeploymentStatus.FAILED,
        error=DeploymentFailure(
            code="stack_failed", message="failed", rollback_state="ROLLBACK_COMPLETE"
        ),
    )

    with pytest.raises(Conflict) as raised:
        await requester.destroy(analyst, accepted.stack.id)
    assert raised.value.code == "force_required"

    destroy = await requester.destroy(analyst, accepted.stack.id, force=True)
    assert destroy.deployment.force and destroy.deployment.kind is DeploymentKind.DESTROY


async def test_a_destroyed_stack_takes_no_more_changes_and_frees_its_name(requester, analyst):
    stack = (await requester.active_stack(analyst)).stack
    destroy = await requester.destroy(analyst, stack.id)
    await run_to_end(destroy.deployment.id, result={"retained": []})

    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.status is StackStatus.DESTROYED
    with pytest.raises(Conflict) as raised:
        await requester.update(analyst, stack.id, {"retention_days": 7})
    assert raised.value.code == "stack_gone"
    assert (await requester.stack(analyst)).stack.id != stack.id
