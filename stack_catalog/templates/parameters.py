"""Parameter types shared by the built-in templates: patterns, ranges and what they mean."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

RESOURCE_NAME_PATTERN = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"
PRINCIPAL_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]{1,512})$"

ResourceName = Annotated[
    str,
    Field(
        pattern=RESOURCE_NAME_PATTERN,
        description="Short name, unique within the team for this kind of stack (3-32 "
        "lowercase letters, digits and hyphens); used in resource names and SSM paths",
    ),
]
PrincipalArn = Annotated[
    str,
    Field(
        pattern=PRINCIPAL_ARN_PATTERN,
        description="ARN of an IAM role or of an account root (arn:aws:iam::<account>:root)",
        examples=["arn:aws:iam::123456789012:role/analysts"],
    ),
]
NoncurrentVersionExpiryDays = Annotated[
    int, Field(ge=1, le=3650, description="Days a replaced or deleted object version is kept")
]
IncompleteUploadExpiryDays = Annotated[
    int, Field(ge=1, le=30, description="Days before unfinished multipart uploads are removed")
]
AccessLogRetentionDays = Annotated[
    int, Field(ge=30, le=3650, description="Days the buckets' server access logs are kept")
]
InfrequentAccessAfterDays = Annotated[
    int, Field(ge=30, le=3650, description="Days before objects move to S3 Standard-IA")
]
