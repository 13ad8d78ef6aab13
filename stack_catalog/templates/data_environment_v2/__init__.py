"""data-environment 2.0.0: 1.0.0's environment, its Glue database named after its kind.

A package of its own, so 1.0.0's code, and the digest the catalog recorded for it, stay as
they were.
"""

from __future__ import annotations

from dataclasses import replace

from stack_catalog.templates import data_environment
from stack_catalog.templates.glue_names import upgrade_note

(FIRST,) = data_environment.TEMPLATES

TEMPLATES = [
    replace(
        FIRST,
        version="2.0.0",
        description=FIRST.description
        + upgrade_note(example="<team>_<environment_name>_environment", other="dataset"),
        stack="stack_catalog.templates.data_environment_v2.stack:DataEnvironmentStack",
    )
]
