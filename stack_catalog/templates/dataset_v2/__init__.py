"""dataset 2.0.0: 1.0.0's dataset storage, its Glue database named after its kind.

A package of its own, so 1.0.0's code, and the digest the catalog recorded for it, stay as
they were.
"""

from __future__ import annotations

from stack_catalog.templates import dataset
from stack_catalog.templates.glue_names import kind_named_version

TEMPLATES = [
    kind_named_version(
        dataset.TEMPLATES[0],
        stack="stack_catalog.templates.dataset_v2.stack:DatasetStack",
        example="<team>_<dataset_name>_dataset",
        other="data environment",
    )
]
