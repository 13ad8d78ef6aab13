"""data-environment 2.0.0: 1.0.0's environment, its Glue database named after its kind.

A package of its own, so 1.0.0's code, and the digest the catalog recorded for it, stay as
they were.
"""

from __future__ import annotations

from stack_catalog.templates import data_environment
from stack_catalog.templates.glue_names import kind_named_version

TEMPLATES = [
    kind_named_version(
        data_environment.TEMPLATES[0],
        stack="stack_catalog.templates.data_environment_v2.stack:DataEnvironmentStack",
        example="<team>_<environment_name>_environment",
        other="dataset",
    )
]
