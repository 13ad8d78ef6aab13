"""Writing and reading the audit log; every domain records its changes through here."""

from __future__ import annotations

from typing import Any

from cdk_service.db.models import AuditEntry

SYSTEM_ACTOR = "system"


async def record_audit(
    *, actor: str, action: str, target_kind: str, target_id: str, details: dict[str, Any] | None
) -> AuditEntry:
    """Append one entry (inside the caller's transaction, if there is one)."""
    return await AuditEntry.create(
        actor=actor,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        details=details or {},
    )


async def audit_entries(
    *, target_kind: str | None = None, target_id: str | None = None
) -> list[AuditEntry]:
    """Entries, oldest first, optionally for one kind of target or one target."""
    query = AuditEntry.all()
    if target_kind is not None:
        query = query.filter(target_kind=target_kind)
    if target_id is not None:
        query = query.filter(target_id=target_id)
    return await query.order_by("id")
