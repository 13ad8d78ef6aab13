"""Parameters and constraints checked against a version's schema; errors name the field."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import ValidationError

from cdk_service.catalog.schemas import Constraints
from service_contract.errors import UNKNOWN_PARAM, InvalidInput, invalid_input
from stack_catalog.contract import Template


def effective_schema(params_schema: dict[str, Any], constraints: Constraints) -> dict[str, Any]:
    """The params schema narrowed by the allowed values, which become each property's enum.

    A default outside the allowed values is dropped and the parameter becomes required, so a
    form never proposes a value the request would be refused for.
    """
    schema = copy.deepcopy(params_schema)
    properties = schema.get("properties", {})
    required = list(schema.get("required", []))
    for name, allowed in constraints.allowed_values.items():
        if name not in properties:
            continue  # the code dropped the parameter after publishing; nothing to narrow
        properties[name]["enum"] = list(allowed)
        if "default" in properties[name] and properties[name]["default"] not in allowed:
            del properties[name]["default"]
            if name not in required:
                required.append(name)
    if required:
        schema["required"] = required
    return schema


def _value_problem(params_schema: dict[str, Any], name: str, value: Any) -> str | None:
    # Validate one property on its own, keeping $defs so that $refs (enums) still resolve.
    property_schema = {"$defs": params_schema.get("$defs", {}), **params_schema["properties"][name]}
    error = next(iter(Draft202012Validator(property_schema).iter_errors(value)), None)
    return None if error is None else error.message


def check_constraints(params_schema: dict[str, Any], constraints: Constraints) -> None:
    """Raise ``invalid_constraints`` unless every allowed value is a valid value of its param."""
    properties = params_schema.get("properties", {})
    for name, allowed in constraints.allowed_values.items():
        field = f"constraints.allowed_values.{name}"
        if name not in properties:
            raise InvalidInput(
                f"allowed_values names '{name}', which is not a parameter of this version",
                code="invalid_constraints",
                field=field,
            )
        for value in allowed:
            if (problem := _value_problem(params_schema, name, value)) is not None:
                raise InvalidInput(
                    f"allowed value {value!r} is not valid for parameter '{name}': {problem}",
                    code="invalid_constraints",
                    field=field,
                )


def validate_params(template: Template, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Parse with the template's model; returns JSON-ready params with defaults filled in."""
    try:
        parsed = template.parse_params(raw)
    except ValidationError as error:
        raise invalid_input(
            error,
            code="invalid_params",
            what="parameters",
            prefix=("params",),
            unknown=UNKNOWN_PARAM,
        ) from error
    params: dict[str, Any] = parsed.model_dump(mode="json")
    return params


def validate_params_by_schema(params_schema: dict[str, Any], raw: Mapping[str, Any]) -> dict:
    """Check params against a stored JSON Schema (a bundle's version: its code runs only in
    synth workers, which check again with the code); returns them with defaults filled in."""
    problems = sorted(
        Draft202012Validator(params_schema).iter_errors(dict(raw)), key=lambda e: list(e.path)
    )
    if problems:
        details = [
            {"field": ".".join(["params", *map(str, e.path)]), "message": e.message}
            for e in problems
        ]
        raise InvalidInput(
            f"invalid parameters: {details[0]['field']}: {details[0]['message']}",
            code="invalid_params",
            field=details[0]["field"],
            details=details,
        )
    defaults = {
        name: spec["default"]
        for name, spec in params_schema.get("properties", {}).items()
        if "default" in spec
    }
    return {**defaults, **raw}


def check_allowed_values(params: Mapping[str, Any], constraints: Constraints) -> None:
    """Raise ``constraint_violation`` when a parameter holds a value the admin did not allow."""
    for name, allowed in constraints.allowed_values.items():
        if name in params and params[name] not in allowed:
            raise InvalidInput(
                f"parameter 'params.{name}' must be one of {allowed!r}, not {params[name]!r}",
                code="constraint_violation",
                field=f"params.{name}",
                details={"allowed": allowed, "given": params[name]},
            )
