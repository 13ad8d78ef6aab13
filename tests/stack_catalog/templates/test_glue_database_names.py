"""data-environment and dataset 2.0.0: Glue database names that never collide; 1.0.0 as it was."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cdk_service.cloudformation.diff import diff_templates
from stack_catalog.registry import Registry
from stack_catalog.templates.glue_names import (
    GLUE_DATABASE_NAME_PATTERN,
    KindSuffixedDatabaseName,
)
from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import TEAM, only

PARAMS: dict[str, dict[str, Any]] = {
    "data-environment": {"environment_name": "orders"},
    "dataset": {"dataset_name": "orders"},
}
KINDS = {"data-environment": "environment", "dataset": "dataset"}
# What the catalog recorded when 1.0.0 was published: its code must never change.
FIRST_DIGESTS = {
    "data-environment": "211e8a18c7b036a8c7179e69a0733079692170980bb5f8e12c1614adbaa7311d",
    "dataset": "a3de2e892c3572cc2af8db712e64b9eab0f072612cce192d5ffd45d016a2964d",
}


def database_name(synth: Synth, name: str, version: str) -> str:
    """The name of the Glue database a version builds for team sales, name orders."""
    template = synth(name, PARAMS[name], version=version).template
    return str(only(template, "AWS::Glue::Database")["DatabaseInput"]["Name"])


def test_an_environment_and_a_dataset_of_one_name_get_distinct_databases(synth: Synth) -> None:
    environment = database_name(synth, "data-environment", "2.0.0")
    dataset = database_name(synth, "dataset", "2.0.0")

    assert (environment, dataset) == (f"{TEAM}_orders_environment", f"{TEAM}_orders_dataset")
    assert all(re.match(GLUE_DATABASE_NAME_PATTERN, n) for n in (environment, dataset))


def test_1_0_0_still_names_both_team_and_name_alone(synth: Synth) -> None:
    names = {database_name(synth, name, "1.0.0") for name in PARAMS}

    assert names == {f"{TEAM}_orders"}  # the collision 2.0.0 ends


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_the_code_of_1_0_0_is_the_code_the_catalog_recorded(name: str) -> None:
    assert Registry.discover().digest(name, "1.0.0") == FIRST_DIGESTS[name]


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_2_0_0_builds_what_1_0_0_built_but_for_the_database_name(synth: Synth, name: str) -> None:
    first = json.dumps(synth(name, PARAMS[name]).template, sort_keys=True)
    second = json.dumps(synth(name, PARAMS[name], version="2.0.0").template, sort_keys=True)

    renamed = second.replace(f"{TEAM}_orders_{KINDS[name]}", f"{TEAM}_orders")
    assert renamed.replace("2.0.0", "1.0.0") == first  # the version (tags, description) aside


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_the_upgrade_from_1_0_0_previews_the_database_as_replaced(synth: Synth, name: str) -> None:
    diff = diff_templates(
        synth(name, PARAMS[name]).template,
        synth(name, PARAMS[name], version="2.0.0").template,
    )

    (replaced,) = [resource for resource in diff.resources if resource.replacement]
    assert (replaced.logical_id, replaced.resource_type) == ("Database", "AWS::Glue::Database")
    (change,) = replaced.changes
    assert (change.path, change.old, change.new, change.replacement) == (
        "Properties.DatabaseInput.Name",
        f"{TEAM}_orders",
        f"{TEAM}_orders_{KINDS[name]}",
        True,
    )


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_2_0_0_tells_what_upgrading_does_to_the_data_catalog(name: str) -> None:
    registry = Registry.discover()
    first, second = registry.get(name, "1.0.0"), registry.get(name, "2.0.0")
    assert first is not None and second is not None

    assert second.description.startswith(first.description)
    said = second.description[len(first.description) :]
    assert f"_{KINDS[name]}" in said and "replaces the database" in said
    assert "deletes the old one with every table defined in it" in said
    assert (second.params, second.outputs) == (first.params, first.outputs)


class Named(KindSuffixedDatabaseName):
    """The naming alone, without a stack."""

    database_kind = "environment"


def test_the_longest_team_and_name_still_make_a_glue_name() -> None:
    named = Named()
    named.database_name = f"{'t' * 63}_{'n' * 32}"  # the longest team slug and resource name

    assert named.database_name.endswith("_environment") and len(named.database_name) == 108


def test_a_name_glue_would_refuse_is_refused_at_synth() -> None:
    with pytest.raises(ValueError, match="not a valid Glue database name"):
        Named().database_name = "Sales-Orders"
