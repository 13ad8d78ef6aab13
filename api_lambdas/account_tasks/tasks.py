"""The tasks an AWS Worker message can carry; the ``task`` field says which."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from service_contract.targets import ROLE_ARN_PATTERN, Target
from stack_catalog.contract import ACCOUNT_PATTERN, REGION_PATTERN, SLUG_PATTERN

S3_LOCATION = r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\S*)?$"


class InAccount(BaseModel):
    """Where the task runs: an account and region, reached through its deploy role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    account: str = Field(pattern=ACCOUNT_PATTERN)
    region: str = Field(pattern=REGION_PATTERN)
    deploy_role_arn: str | None = Field(default=None, pattern=ROLE_ARN_PATTERN)

    def target(self, endpoint_url: str | None) -> Target:
        """The deployment target the task reaches."""
        return Target(
            account=self.account,
            region=self.region,
            deploy_role_arn=self.deploy_role_arn,
            endpoint_url=endpoint_url,
            asset_bucket_name=getattr(self, "asset_bucket_name", None),
        )


class CheckTargetAccount(InAccount):
    """Can the deploy role be assumed, and does the asset bucket exist?"""

    task: Literal["check_target_account"]
    asset_bucket_name: str | None = Field(
        default=None, description="The CDK bootstrap one if unset"
    )


class DatasetTask(InAccount):
    """A task about one dataset, done on behalf of its team."""

    dataset_id: str = Field(pattern=r"^[0-9a-fA-F-]{36}$")
    team: str = Field(pattern=SLUG_PATTERN)


class SyncGlueColumns(DatasetTask):
    """Copy a Glue table's columns (partition keys last) into its dataset."""

    task: Literal["sync_glue_columns"]
    database: str = Field(pattern=r"^[A-Za-z0-9_-]{1,255}$")
    table: str = Field(pattern=r"^[A-Za-z0-9_-]{1,255}$")


class CollectDatasetStatistics(DatasetTask):
    """Count the objects under a dataset's S3 location and add up their sizes."""

    task: Literal["collect_dataset_statistics"]
    location: str = Field(pattern=S3_LOCATION)


Task = Annotated[
    CheckTargetAccount | SyncGlueColumns | CollectDatasetStatistics, Field(discriminator="task")
]
TASK = TypeAdapter(Task)
