"""Shares as the API shows them."""

from __future__ import annotations

from cdk_service.db.models import DatasetShare
from cdk_service.shares.schemas import ShareDetail


def share_detail(share: DatasetShare, dataset_name: str) -> ShareDetail:
    """A share with its dataset's name."""
    values = {f: getattr(share, f) for f in ShareDetail.model_fields if f != "dataset_name"}
    return ShareDetail(**values, dataset_name=dataset_name)
