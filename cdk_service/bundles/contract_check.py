"""The template contract, checked on a loaded bundle: what publishing needs from each template."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from stack_catalog.contract import Template

CONTRACT_INVALID = "bundle_contract_invalid"


def contract_problems(template: Template, example: Any) -> Iterator[str]:
    """What the template lacks: described params and outputs, valid example params."""
    schema = template.json_schema()
    for name, field in template.params.model_fields.items():
        described = field.description or schema.get("properties", {}).get(name, {}).get(
            "description"
        )
        if not described:
            yield f"parameter {name} has no description"
    for output, text in template.outputs.items():
        if not str(text).strip():
            yield f"output {output} has no description"
    if not template.outputs:
        yield "no outputs are documented"
    if example is None:
        yield "no example params (EXAMPLE_PARAMS in the package, keyed by template name)"
        return
    try:
        template.parse_params(example)
    except ValidationError as error:
        yield f"the example params are not valid: {error.error_count()} error(s): {error}"
