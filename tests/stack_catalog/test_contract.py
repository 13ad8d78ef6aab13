"""The template contract: what a deploy context and a template version accept."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stack_catalog.contract import DeployContext, Template, TemplateParams, semver_key

CONTEXT = {"account": "123456789012", "region": "eu-west-1", "team": "analytics", "stack_name": "s"}


@pytest.mark.parametrize("key", ["aws:createdBy", "datahub:team", "AWS:x"])
def test_reserved_tag_keys_are_rejected(key: str) -> None:
    with pytest.raises(ValidationError, match="reserved"):
        DeployContext(**CONTEXT, tags={key: "v"})


def test_too_many_tags_are_rejected() -> None:
    with pytest.raises(ValidationError):
        DeployContext(**CONTEXT, tags={f"k{i}": "v" for i in range(41)})


@pytest.mark.parametrize(
    ("field", "value"), [("account", "1234"), ("region", "mars-1"), ("team", "Has Spaces")]
)
def test_a_bad_target_is_rejected(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        DeployContext(**{**CONTEXT, field: value})


@pytest.mark.parametrize(
    ("name", "version"), [("Not_A_Slug", "1.0.0"), ("fine", "1.0"), ("fine", "v1.0.0")]
)
def test_a_template_needs_a_slug_and_a_semantic_version(name: str, version: str) -> None:
    with pytest.raises(ValueError):
        Template(
            name=name,
            version=version,
            title="t",
            description="d",
            params=TemplateParams,
            stack="m:C",
        )


def test_versions_sort_by_semantic_precedence() -> None:
    versions = ["1.10.0", "1.2.0", "1.2.0-rc.10", "1.2.0-rc.2", "1.2.0-alpha", "0.9.9"]
    assert sorted(versions, key=semver_key) == [
        "0.9.9",
        "1.2.0-alpha",
        "1.2.0-rc.2",
        "1.2.0-rc.10",
        "1.2.0",
        "1.10.0",
    ]
