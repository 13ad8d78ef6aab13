"""The rules of a share: who sees it, who decides, and what may be requested."""

from __future__ import annotations

from uuid import UUID

from cdk_service.db.models import Classification, Dataset, DatasetShare, ShareStatus
from cdk_service.stacks.policies import GONE
from service_contract.errors import Conflict, Forbidden, InvalidInput, NotFound
from service_contract.identity import Identity

SHAREABLE_TEMPLATE = "dataset"


def share_not_found(share_id: object) -> NotFound:
    """The answer for a share that is missing or concerns neither of the caller's teams."""
    return NotFound(f"share {share_id} not found", code="share_not_found")


def may_see(identity: Identity, share: DatasetShare) -> bool:
    """Both teams (and admins) see a share; any other team does not know it exists."""
    return identity.may_act_for(share.owner_team) or identity.may_act_for(share.requester_team)


def check_requestable(dataset: Dataset) -> None:
    """Raise unless a dataset can be shared: not restricted, and living in a dataset stack."""
    if dataset.classification is Classification.RESTRICTED:
        raise Conflict(
            f"dataset {dataset.id} is restricted and cannot be shared",
            code="dataset_restricted",
        )
    stack = dataset.stack
    if (
        stack is None
        or stack.template_version.template.name != SHAREABLE_TEMPLATE
        or stack.status in GONE
    ):
        raise Conflict(
            f"dataset {dataset.id} has no dataset stack to grant access "
            "through (it was registered through the Metadata API); ask its team to deploy it "
            "from the dataset template",
            code="dataset_not_shareable",
        )


def check_principal(principal_arn: str, team: str, registered: set[str]) -> None:
    """Raise unless the principal is one of the requesting team's registered roles."""
    if principal_arn not in registered:
        raise InvalidInput(
            f"{principal_arn} is not a registered role of team {team} (an admin registers "
            "principals for a team; a data environment's team role counts too)",
            code="principal_not_registered",
            field="principal_arn",
        )


def check_decider(identity: Identity, share: DatasetShare) -> None:
    """Raise ``Forbidden`` unless the caller may approve or reject: the owner team or an admin."""
    if not identity.may_act_for(share.owner_team):
        raise Forbidden(
            f"only team {share.owner_team} (or an admin) decides on this share",
            code="not_share_owner",
        )


def check_status(share: DatasetShare, *allowed: ShareStatus, action: str) -> None:
    """Raise ``Conflict(share_not_<action>able)`` unless the share is in one of ``allowed``."""
    if share.status not in allowed:
        raise Conflict(
            f"share {share.id} is {share.status.value}; cannot {action} it",
            code=f"share_not_{action}able",
            details={"status": share.status.value},
        )


def approvals_after(identity: Identity, share: DatasetShare) -> dict[str, str]:
    """The approvals the caller's approval adds: the owner's (its team, or an admin where the
    dataset is not confidential) and, from an admin, the admin's."""
    added: dict[str, str] = {}
    owner = share.owner_team in identity.teams or (identity.is_admin and not share.needs_admin)
    if owner and share.owner_approved_by is None:
        added["owner_approved_by"] = identity.user
    if identity.is_admin and share.needs_admin and share.admin_approved_by is None:
        added["admin_approved_by"] = identity.user
    return added


def fully_approved(share: DatasetShare) -> bool:
    """Whether every approval the share needs is in."""
    return share.owner_approved_by is not None and (
        not share.needs_admin or share.admin_approved_by is not None
    )


def share_exists(dataset_id: UUID, principal_arn: str) -> Conflict:
    """The answer for a second standing request or grant of one dataset to one principal."""
    return Conflict(
        f"{principal_arn} already has a standing request or grant for dataset {dataset_id}",
        code="share_exists",
        field="principal_arn",
    )


def already_approved(share: DatasetShare) -> Conflict:
    """The answer for an approval that adds nothing (the caller's side approved already)."""
    return Conflict(
        f"share {share.id} has your side's approval already; it waits for "
        + ("an admin's" if share.admin_approved_by is None else "its owner team's"),
        code="share_already_approved",
    )


def stack_of(share: DatasetShare) -> UUID:
    """The stack the shared dataset lives in (it had one when it was requested)."""
    stack_id = share.dataset.stack_id
    if stack_id is None:
        raise Conflict(
            f"dataset {share.dataset_id} no longer has a stack to grant access through",
            code="dataset_not_shareable",
        )
    return stack_id
