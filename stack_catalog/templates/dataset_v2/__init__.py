"""dataset 2.0.0: 1.0.0's dataset storage, its Glue database named after its kind.

A package of its own, so 1.0.0's code, and the digest the catalog recorded for it, stay as
they were.
"""

from __future__ import annotations

from dataclasses import replace

from stack_catalog.templates import dataset
from stack_catalog.templates.glue_names import upgrade_note

(FIRST,) = dataset.TEMPLATES

TEMPLATES = [
    replace(
        FIRST,
        version="2.0.0",
        description=FIRST.description
        + upgrade_note(example="<team>_<dataset_name>_dataset", other="data environment"),
        stack="stack_catalog.templates.dataset_v2.stack:DatasetStack",
    )
]
