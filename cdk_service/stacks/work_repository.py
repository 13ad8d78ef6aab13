"""Lease and event queries for the workers. Lease times are the database's clock (``now()``),
so workers on hosts with skewed clocks still agree on when a lease ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from tortoise import Tortoise
from tortoise.expressions import RawSQL, Subquery

from cdk_service.db.models import Deployment, DeploymentStatus, DeploymentStep, Stack, StackEvent
from cdk_service.stacks.policies import APPROVABLE_KINDS, CLAIMABLE
from cdk_service.stacks.repository import STACK_RELATIONS

CLAIMABLE_VALUES = sorted(status.value for status in CLAIMABLE)
PREVIEWED_KINDS = sorted(kind.value for kind in APPROVABLE_KINDS)

# In a deployment's checkpoint while it waits, unleased, for a worker to look at its stack
# again (``work.hand_off``): the claim that follows counts no attempt.
LOOKING_LATER = "looking_later"
# In the checkpoint of an unleased deployment whose message could not be sent (the broker was
# away): the resumer's next sweep queues it, without waiting for it to look abandoned.
UNDELIVERED = "undelivered"
# One statement: of two workers racing, the second re-reads the row after the first commits
# and no longer matches, so exactly one takes the lease. A create, update or upgrade taken on
# from its request is previewing from then on (synth, then its change set): a cancel sends it
# back to the workers to delete a change set it may have left. A worker may take back a lease
# it still holds: its run stopped on a lost database connection and runs again from the
# recorded step (an attempt, so AWS is asked what the stopped run did), rather than wait for
# the lease to run out.
CLAIM = f"""
    UPDATE deployments
    SET lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3),
        attempts = attempts + CASE WHEN checkpoint ? '{LOOKING_LATER}' THEN 0 ELSE 1 END,
        checkpoint = checkpoint - '{LOOKING_LATER}' - '{UNDELIVERED}',
        started_at = coalesce(started_at, now()), updated_at = now(),
        status = CASE
            WHEN status = '{DeploymentStatus.QUEUED.value}'
                AND step = '{DeploymentStep.REQUESTED.value}' AND kind = ANY($5::text[])
            THEN '{DeploymentStatus.PREVIEWING.value}' ELSE status END
    WHERE id = $1 AND active AND status = ANY($4::text[])
      AND (lease_owner IS NULL OR lease_expires_at <= now() OR lease_owner = $2)
    RETURNING id
"""
RENEW = """
    UPDATE deployments SET lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
    WHERE id = $1 AND active AND lease_owner = $2
    RETURNING lease_expires_at
"""
RELEASE = """
    UPDATE deployments SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1 AND active AND lease_owner = $2
    RETURNING id
"""
# The resumer's two sweeps take rows others are not locking, and change them in the same
# statement, so two schedulers never queue one deployment twice in a sweep.
TAKE_BACK_EXPIRED = """
    UPDATE deployments SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id IN (
        SELECT id FROM deployments
        WHERE active AND lease_owner IS NOT NULL AND lease_expires_at <= now()
        ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id, attempts
"""
TOUCH_UNCLAIMED = f"""
    UPDATE deployments SET updated_at = now(), checkpoint = checkpoint - '{UNDELIVERED}'
    WHERE id IN (
        SELECT id FROM deployments
        WHERE active AND lease_owner IS NULL AND status = ANY($2::text[])
          AND (updated_at <= now() - make_interval(secs => $1) OR checkpoint ? '{UNDELIVERED}')
        ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED
    )
    RETURNING id, attempts
"""
MARK_UNDELIVERED = f"""
    UPDATE deployments SET checkpoint = checkpoint || '{{"{UNDELIVERED}": true}}'::jsonb
    WHERE id = $1 AND active AND lease_owner IS NULL
    RETURNING id
"""


async def _fetch(sql: str, *values: Any) -> list[Any]:
    # RETURNING needs a fetch: the client only fetches statements that start with SELECT.
    connection = Tortoise.get_connection("default")
    return list(await connection.execute_query_dict(sql, list(values)))


async def claim(deployment_id: UUID, worker_id: str, lease_seconds: float) -> bool:
    """Take the lease if it is free, expired or already this worker's (a run of it stopped on
    a lost connection), and the deployment is claimable, counting an attempt unless it was
    handed off to look later (a create, update or upgrade at its request becomes previewing)."""
    rows = await _fetch(
        CLAIM, deployment_id, worker_id, float(lease_seconds), CLAIMABLE_VALUES, PREVIEWED_KINDS
    )
    return bool(rows)


async def renew(deployment_id: UUID, worker_id: str, lease_seconds: float) -> datetime | None:
    """Extend the lease the worker still owns (even if it lapsed); None if it is lost."""
    rows = await _fetch(RENEW, deployment_id, worker_id, float(lease_seconds))
    return rows[0]["lease_expires_at"] if rows else None


async def release(deployment_id: UUID, worker_id: str) -> bool:
    """Give up the lease so another worker may take it now; False if it was not held."""
    return bool(await _fetch(RELEASE, deployment_id, worker_id))


async def lock_stack_of(deployment_id: UUID) -> Stack | None:
    """Lock the stack of a deployment (one query), with its template version and template."""
    stack_id = Subquery(Deployment.filter(id=deployment_id).values("stack_id"))
    return (
        await Stack.filter(id=stack_id)
        .select_related(*STACK_RELATIONS)
        .select_for_update(of=(Stack._meta.db_table,))
        .first()
    )


async def lock_leased(deployment_id: UUID, worker_id: str) -> tuple[Deployment, bool] | None:
    """Lock a deployment (with its template version) and say whether ``worker_id`` holds a
    live lease on it, by the database's clock: one query."""
    deployment = (
        await Deployment.filter(id=deployment_id)
        .select_related(*STACK_RELATIONS)
        .select_for_update(of=(Deployment._meta.db_table,))
        .annotate(lease_running=RawSQL('"deployments"."lease_expires_at" > now()'))
        .first()
    )
    if deployment is None:
        return None
    running = bool(getattr(deployment, "lease_running", False))
    return deployment, bool(deployment.active and deployment.lease_owner == worker_id and running)


async def claimed_pair(deployment_id: UUID) -> tuple[Stack, Deployment] | None:
    """A deployment with its template version, and its stack: one query."""
    deployment = (
        await Deployment.filter(id=deployment_id).select_related("stack", *STACK_RELATIONS).first()
    )
    return None if deployment is None else (deployment.stack, deployment)


async def take_back_expired(limit: int) -> list[tuple[UUID, int]]:
    """Free leases whose worker stopped renewing; (deployment id, attempts so far) of each."""
    return [(row["id"], row["attempts"]) for row in await _fetch(TAKE_BACK_EXPIRED, limit)]


async def touch_unclaimed(older_than_seconds: float, limit: int) -> list[tuple[UUID, int]]:
    """Mark claimable, unleased deployments untouched for a while, or whose message could not
    be sent, as seen now (so the next sweep leaves them be); (deployment id, attempts so far)
    of each."""
    rows = await _fetch(TOUCH_UNCLAIMED, float(older_than_seconds), CLAIMABLE_VALUES, limit)
    return [(row["id"], row["attempts"]) for row in rows]


async def mark_undelivered(deployment_id: UUID) -> bool:
    """Note that an unleased deployment's message could not be sent, for the resumer's next
    sweep; False if a worker holds it (or it ended) meanwhile."""
    return bool(await _fetch(MARK_UNDELIVERED, deployment_id))


async def recorded_event_ids(deployment_id: UUID, event_ids: Iterable[str]) -> set[str]:
    """Which of these CloudFormation event ids the deployment already has."""
    found = await StackEvent.filter(
        deployment_id=deployment_id, event_id__in=list(event_ids)
    ).values_list("event_id", flat=True)
    return {str(event_id) for event_id in found}


async def add_events(events: list[StackEvent]) -> None:
    """Insert events in order, skipping any another insert recorded meanwhile."""
    await StackEvent.bulk_create(events, ignore_conflicts=True)


async def last_event_id(deployment_id: UUID) -> str | None:
    """The CloudFormation id of the deployment's latest recorded event."""
    event = await StackEvent.filter(deployment_id=deployment_id).order_by("-id").first()
    return None if event is None else event.event_id


async def events_after(deployment_id: UUID, after: int, limit: int) -> list[StackEvent]:
    """The deployment's events recorded after the one numbered ``after``, in order."""
    return (
        await StackEvent.filter(deployment_id=deployment_id, id__gt=after)
        .order_by("id")
        .limit(limit)
    )
