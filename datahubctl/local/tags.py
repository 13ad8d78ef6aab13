"""CloudFormation's two tag shapes, read as one map."""

from __future__ import annotations

from typing import Any


def cloudformation_tags_as_map(tags: Any) -> dict[str, str]:
    """``[{"Key", "Value"}]`` (most types) or ``{key: value}`` (SSM, Glue...) as a map."""
    if isinstance(tags, dict):
        return {str(key): str(value) for key, value in tags.items()}
    return {tag["Key"]: tag["Value"] for tag in tags or []}


def key_value_list(tags: dict[str, str]) -> list[dict[str, str]]:
    """A map as ``[{"Key", "Value"}]`` (the SSM and Athena APIs' shape)."""
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def kms_api_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    """A map as the KMS API's ``[{"TagKey", "TagValue"}]``."""
    return [{"TagKey": key, "TagValue": value} for key, value in tags.items()]
