"""Every Tortoise model of the service, one module per domain, re-exported for Tortoise."""

from cdk_service.db.models.audit import AuditEntry
from cdk_service.db.models.bundles import TemplateBundle
from cdk_service.db.models.catalog import Template, TemplateVersion, VersionStatus
from cdk_service.db.models.datasets import Classification, Dataset, DatasetRevision
from cdk_service.db.models.principals import PrincipalGrant
from cdk_service.db.models.search import (
    SearchDocument,
    SearchLexeme,
    SearchOutboxEntry,
    SearchTerm,
)
from cdk_service.db.models.shares import DatasetShare, ShareStatus
from cdk_service.db.models.stacks import (
    Deployment,
    DeploymentGate,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    DriftStatus,
    Stack,
    StackEvent,
    StackStatus,
)
from cdk_service.db.models.tenancy import TargetAccount, Team

__all__ = [
    "AuditEntry",
    "Classification",
    "Dataset",
    "DatasetRevision",
    "DatasetShare",
    "Deployment",
    "DeploymentGate",
    "DeploymentKind",
    "DeploymentStatus",
    "DeploymentStep",
    "DriftStatus",
    "PrincipalGrant",
    "SearchDocument",
    "SearchLexeme",
    "SearchOutboxEntry",
    "SearchTerm",
    "ShareStatus",
    "Stack",
    "StackEvent",
    "StackStatus",
    "TargetAccount",
    "Team",
    "Template",
    "TemplateBundle",
    "TemplateVersion",
    "VersionStatus",
]
