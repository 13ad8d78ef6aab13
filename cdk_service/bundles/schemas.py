"""What the bundle endpoints answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cdk_service.db.models import TemplateBundle


class BundleSummary(BaseModel):
    """One uploaded bundle."""

    digest: str = Field(description="SHA-256 of the bundle's normalised archive")
    package: str = Field(description="The Python package the bundle provides")
    size: int = Field(description="Bytes of the normalised archive")
    versions: list[str] = Field(description="Template versions it holds, as name@version")
    findings: list[dict[str, Any]] = Field(
        default_factory=list, description="Policy findings (warnings) of its example synths"
    )
    uploaded_by: str
    uploaded_at: datetime

    @classmethod
    def of(cls, row: TemplateBundle) -> BundleSummary:
        """The summary of a bundle row."""
        return cls(
            digest=row.digest,
            package=row.package,
            size=row.size,
            versions=list(row.versions),
            findings=list(row.findings),
            uploaded_by=row.uploaded_by,
            uploaded_at=row.uploaded_at,
        )


class BundleList(BaseModel):
    """Every uploaded bundle, newest first."""

    bundles: list[BundleSummary]
