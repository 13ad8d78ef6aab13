"""The data-environment 2.0.0 stack: 1.0.0's, with ``<team>_<environment_name>_environment``."""

from __future__ import annotations

from stack_catalog.templates.data_environment import stack as first
from stack_catalog.templates.glue_names import KindSuffixedDatabaseName


class DataEnvironmentStack(KindSuffixedDatabaseName, first.DataEnvironmentStack):
    """A team's data environment whose Glue database name ends in ``_environment``."""

    database_kind = "environment"
