"""Template parameters as users and forms see them: described, constrained, and checked."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_service.synthesis.synthesizer import parse_params
from service_contract.errors import InvalidInput
from stack_catalog.contract import Template
from stack_catalog.registry import Registry

BUILTINS = ("data-environment", "dataset", "ingestion-queue")
NAME_FIELDS = {
    "data-environment": "environment_name",
    "dataset": "dataset_name",
    "ingestion-queue": "queue_name",
}


def builtin(name: str) -> Template:
    """A built-in template at version 1.0.0."""
    template = Registry.discover().get(name, "1.0.0")
    assert template is not None
    return template


def branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property schema (itself when it is not a union)."""
    return [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]


@pytest.mark.parametrize("name", BUILTINS)
def test_every_parameter_is_described(name: str) -> None:
    schema = builtin(name).json_schema()

    assert schema["additionalProperties"] is False
    assert schema["title"] and schema["description"]
    for field, property_schema in schema["properties"].items():
        assert property_schema.get("description"), f"{name}.{field} has no description"


@pytest.mark.parametrize("name", BUILTINS)
def test_every_parameter_is_constrained(name: str) -> None:
    properties = builtin(name).json_schema()["properties"]

    for field, property_schema in properties.items():
        for branch in branches(property_schema):
            if branch["type"] == "integer":
                assert {"minimum", "maximum"} <= branch.keys(), f"{name}.{field} has no range"
            if branch["type"] == "string":
                bounded = {"pattern", "enum", "maxLength"} & branch.keys()
                assert bounded, f"{name}.{field} accepts any string"
            if branch["type"] == "array":
                assert "maxItems" in branch and "pattern" in branch["items"]


@pytest.mark.parametrize("name", BUILTINS)
def test_only_the_name_is_required(name: str) -> None:
    schema = builtin(name).json_schema()

    assert schema["required"] == [NAME_FIELDS[name]]
    assert schema["properties"][NAME_FIELDS[name]]["examples"]


@pytest.mark.parametrize(
    ("name", "raw", "field", "says"),
    [
        ("data-environment", {"environment_name": "Analytics!"}, "environment_name", "pattern"),
        (
            "data-environment",
            {"environment_name": "ok-name", "query_scan_limit_gb": 0},
            "query_scan_limit_gb",
            "greater than or equal to 1",
        ),
        (
            "data-environment",
            {"environment_name": "ok-name", "infrequent_access_after_days": 7},
            "infrequent_access_after_days",
            "greater than or equal to 30",
        ),
        (
            "data-environment",
            {"environment_name": "ok-name", "trusted_principal_arn": "alice"},
            "trusted_principal_arn",
            "pattern",
        ),
        (
            "dataset",
            {"dataset_name": "orders", "classification": "secret"},
            "classification",
            "'public', 'internal', 'confidential' or 'restricted'",
        ),
        (
            "dataset",
            {"dataset_name": "orders", "consumer_principal_arns": ["*"]},
            "consumer_principal_arns.0",
            "pattern",
        ),
        (
            "dataset",
            {"dataset_name": "orders", "owner": "bob"},
            "owner",
            "is not a parameter of this template",
        ),
        (
            "ingestion-queue",
            {"queue_name": "events", "max_receive_count": 1001},
            "max_receive_count",
            "less than or equal to 1000",
        ),
        (
            "ingestion-queue",
            {"queue_name": "events", "notification_email": "not-an-address"},
            "notification_email",
            "pattern",
        ),
        ("ingestion-queue", {}, "queue_name", "Field required"),
    ],
)
def test_bad_parameters_are_rejected_naming_the_field(
    name: str, raw: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as rejected:
        parse_params(builtin(name), raw)

    assert rejected.value.code == "invalid_params"
    assert rejected.value.field == field
    assert f"{field}: " in rejected.value.message
    assert says in rejected.value.message
    assert rejected.value.details[0]["field"] == field


def test_every_bad_field_is_reported_not_only_the_first() -> None:
    raw = {"environment_name": "x", "query_scan_limit_gb": -1, "colour": "blue"}

    with pytest.raises(InvalidInput) as rejected:
        parse_params(builtin("data-environment"), raw)

    fields = {problem["field"] for problem in rejected.value.details}
    assert fields == {"environment_name", "query_scan_limit_gb", "colour"}


@pytest.mark.parametrize("name", BUILTINS)
def test_defaults_fill_in_everything_but_the_name(name: str) -> None:
    params = parse_params(builtin(name), {NAME_FIELDS[name]: "orders"})

    assert getattr(params, NAME_FIELDS[name]) == "orders"
    assert params.model_dump(exclude_defaults=True) == {NAME_FIELDS[name]: "orders"}
