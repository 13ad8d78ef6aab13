"""moto's CloudFormation updates only a role's description; CloudFormation applies its new
trust policy too (a dataset share changes just that). Patched in this process's moto only."""

from __future__ import annotations

import json
from typing import Any

from moto.iam.models import Role, iam_backends
from moto.utilities.utils import get_partition


def apply_role_trust_updates() -> None:
    """Make moto's role update apply ``AssumeRolePolicyDocument`` (twice: no change)."""
    current = Role.update_from_cloudformation_json
    original = getattr(current, "moto_original", current)

    def patched(
        cls: type,
        original_resource: Role,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Role:
        role: Role = original(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        document = cloudformation_json.get("Properties", {}).get("AssumeRolePolicyDocument")
        if document is not None:
            backend = iam_backends[account_id][get_partition(region_name)]
            text = document if isinstance(document, str) else json.dumps(document)
            backend.update_assume_role_policy(role.name, text)
        return role

    patched.moto_original = original  # type: ignore[attr-defined]
    Role.update_from_cloudformation_json = classmethod(patched)  # type: ignore[assignment]
