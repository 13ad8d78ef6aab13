"""What the datasets API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cdk_service.db.models import Classification

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]
S3Uri = Annotated[str, StringConstraints(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\S*)?$")]
GlueName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,255}$")]
# Datasets every caller may see, whatever their team (search shows them to all as well).
OPEN_CLASSIFICATIONS = (Classification.PUBLIC, Classification.INTERNAL)
DATASET_FIELDS = (
    "description",
    "location",
    "glue_database",
    "glue_table",
    "format",
    "columns",
    "tags",
    "classification",
    "topics",
    "stack_id",
)


class Column(BaseModel):
    """One column of a dataset."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=255)
    type: str = Field(min_length=1, max_length=255, examples=["string", "decimal(10,2)"])
    description: str = Field(default="", max_length=2048)
    pii: bool = Field(default=False, description="Holds personally identifiable information")


class DatasetChanges(BaseModel):
    """Metadata fields; on update only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=4096)
    location: S3Uri | None = Field(default=None, examples=["s3://analytics-orders/data/"])
    glue_database: GlueName | None = None
    glue_table: GlueName | None = None
    format: Literal["parquet", "orc", "avro", "json", "csv", "delta", "iceberg"] | None = None
    columns: list[Column] = Field(default_factory=list, max_length=1000)
    tags: list[Label] = Field(default_factory=list, max_length=50)
    classification: Classification = Classification.INTERNAL
    topics: list[Label] = Field(default_factory=list, max_length=20)
    stack_id: UUID | None = Field(default=None, description="The stack the dataset lives in")


class DatasetRegistration(DatasetChanges):
    """``POST /v1/datasets``: a new dataset of a team."""

    team: Slug
    name: Slug


class DatasetUpdate(DatasetChanges):
    """``PATCH /v1/datasets/{id}``: the fields to change, optionally guarded by a revision."""

    revision: int | None = Field(
        default=None, description="The revision the change is based on; 409 when it is stale"
    )


class DeleteOptions(BaseModel):
    """``DELETE /v1/datasets/{id}`` query."""

    model_config = ConfigDict(extra="forbid")

    revision: int | None = Field(default=None, description="Refuse when it is not current")


class DatasetDetail(BaseModel):
    """A dataset. ``access`` is ``metadata`` for another team's public or internal dataset:
    where the data lives (location, Glue names, stack) is then not shown; ``shared`` once a
    share grants it to one of the caller's teams: location and Glue names are shown."""

    id: UUID
    team: str
    name: str
    description: str
    location: str | None
    glue_database: str | None
    glue_table: str | None
    format: str | None
    columns: list[Column]
    tags: list[str]
    classification: Classification
    topics: list[str]
    stack_id: UUID | None
    revision: int
    access: Literal["owner", "metadata", "shared"]
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


class DatasetRevisionView(BaseModel):
    """One change: who, when, and each changed field's value before and after."""

    revision: int
    action: Literal["created", "updated", "deleted"]
    changed_by: str
    changed_at: datetime
    changes: dict[str, dict[str, Any]]


class DatasetHistory(BaseModel):
    """Every change to a dataset, oldest first (kept after it is deleted)."""

    dataset_id: UUID
    team: str
    revisions: list[DatasetRevisionView]
