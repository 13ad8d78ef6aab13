"""The rules of a version's life: who sees which status and which transitions exist."""

from __future__ import annotations

from cdk_service.db.models import VersionStatus
from service_contract.errors import Conflict
from service_contract.identity import Identity

VISIBLE_TO_TEAMS = frozenset({VersionStatus.PUBLISHED, VersionStatus.DEPRECATED})
ALLOWED_FROM: dict[VersionStatus, frozenset[VersionStatus]] = {
    # Publishing a published version again is how its constraints are updated.
    VersionStatus.PUBLISHED: frozenset(
        {VersionStatus.DRAFT, VersionStatus.DEPRECATED, VersionStatus.PUBLISHED}
    ),
    VersionStatus.DEPRECATED: frozenset({VersionStatus.PUBLISHED}),
    VersionStatus.RETIRED: frozenset({VersionStatus.PUBLISHED, VersionStatus.DEPRECATED}),
}


def may_see(identity: Identity, status: VersionStatus) -> bool:
    """Admins see every version; teams see the published and deprecated ones."""
    return identity.is_admin or status in VISIBLE_TO_TEAMS


def check_transition(current: VersionStatus, target: VersionStatus) -> None:
    """Raise ``Conflict`` unless a version may go from ``current`` to ``target``."""
    if target is VersionStatus.PUBLISHED and current is VersionStatus.RETIRED:
        raise Conflict("a retired version cannot be published again", code="version_retired")
    if current not in ALLOWED_FROM[target]:
        raise Conflict(
            f"cannot change a version from {current.value} to {target.value}",
            code="invalid_transition",
            details={"from": current.value, "to": target.value},
        )
