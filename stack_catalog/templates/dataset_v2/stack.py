"""The dataset 2.0.0 stack: 1.0.0's, with its Glue database ``<team>_<dataset_name>_dataset``."""

from __future__ import annotations

from stack_catalog.templates.dataset import stack as first
from stack_catalog.templates.glue_names import KindSuffixedDatabaseName


class DatasetStack(KindSuffixedDatabaseName, first.DatasetStack):
    """Storage for one dataset whose Glue database name ends in ``_dataset``."""

    database_kind = "dataset"
