"""IAM principal ARNs as the platform names them: a role or user, never a role's session.

Pure functions (no I/O), shared by the service's grants and the Metadata Lambda. A session ARN
``arn:aws:sts::<account>:assumed-role/<role>/<session>`` stands for its role
``arn:aws:iam::<account>:role/<role>``; role paths are not in a session ARN, so grants name roles
without their path.
"""

from __future__ import annotations

import re

PRINCIPAL_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_-]+$"
ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+$")


def principal_of(caller_arn: str) -> str:
    """The principal a caller's ARN stands for: an assumed-role session becomes its role."""
    session = ASSUMED_ROLE.match(caller_arn)
    if session is None:
        return caller_arn
    partition, account, role = session.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def is_principal(arn: str) -> bool:
    """True for an IAM role or user ARN (after ``principal_of``)."""
    return re.match(PRINCIPAL_ARN_PATTERN, arn) is not None
