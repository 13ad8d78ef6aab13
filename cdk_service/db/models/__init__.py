"""Every Tortoise model of the service, one module per domain, re-exported for Tortoise."""

from cdk_service.db.models.audit import AuditEntry
from cdk_service.db.models.catalog import Template, TemplateVersion, VersionStatus
from cdk_service.db.models.tenancy import TargetAccount, Team

__all__ = [
    "AuditEntry",
    "TargetAccount",
    "Team",
    "Template",
    "TemplateVersion",
    "VersionStatus",
]
