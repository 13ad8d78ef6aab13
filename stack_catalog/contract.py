"""The template contract: what every catalog template declares, and the context it builds in.

A template's metadata and parameter model import no CDK code, so the catalog can be listed,
validated and published in a process that never starts jsii. The stack class is named by a
``module:Class`` path and imported only where synthesis happens.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Digits are spelled [0-9]: pydantic's \d (Rust's regex) also matches Arabic-Indic and others.
SLUG_PATTERN = r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$"
NAME_MAX_LENGTH = 63
SEMVER_PATTERN = (
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
# A version is stored in a 64-character column.
VERSION_MAX_LENGTH = 64
ACCOUNT_PATTERN = r"^[0-9]{12}$"
REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$"
# AWS allows 50 tags per resource; the platform adds a few of its own.
MAX_CONTEXT_TAGS = 40
RESERVED_TAG_PREFIXES = ("aws:", "datahub:")


class TemplateParams(BaseModel):
    """Base for a template's parameters: frozen, and unknown fields are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DeployContext(BaseModel):
    """Where and for whom a stack is built: everything a template may know besides its params."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account: str = Field(pattern=ACCOUNT_PATTERN, description="Target AWS account id")
    region: str = Field(pattern=REGION_PATTERN, description="Target AWS region")
    team: str = Field(pattern=SLUG_PATTERN, description="Owner team slug")
    stack_name: str = Field(
        pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$", description="CloudFormation stack name"
    )
    tags: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_CONTEXT_TAGS,
        description="Tags applied to everything (the platform adds its own datahub:* tags)",
    )

    @field_validator("tags")
    @classmethod
    def _tags_are_ours_to_set(cls, tags: dict[str, str]) -> dict[str, str]:
        reserved = sorted(key for key in tags if key.lower().startswith(RESERVED_TAG_PREFIXES))
        if reserved:
            raise ValueError(f"tag keys {reserved} are reserved (aws:, datahub:)")
        return tags


@dataclass(frozen=True)
class Template:
    """One version of a catalog template."""

    name: str
    version: str
    title: str
    description: str
    params: type[TemplateParams]
    stack: str
    outputs: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not re.match(SLUG_PATTERN, self.name):
            raise ValueError(f"template name {self.name!r} is not a slug")
        if not re.match(SEMVER_PATTERN, self.version):
            raise ValueError(f"template {self.name} version {self.version!r} is not semver")
        if ":" not in self.stack:
            raise ValueError(f"template {self.name} stack must be 'module:Class'")

    @property
    def key(self) -> tuple[str, str]:
        """The (name, version) pair that identifies this template version."""
        return (self.name, self.version)

    def json_schema(self) -> dict[str, Any]:
        """The parameter JSON Schema that users and forms see."""
        return self.params.model_json_schema()

    def parse_params(self, raw: Mapping[str, Any]) -> TemplateParams:
        """Validate raw parameters; raises ``pydantic.ValidationError`` naming each bad field."""
        return self.params.model_validate(dict(raw))

    def load_stack_class(self) -> type:
        """Import the stack class; only synth workers call this (it starts jsii)."""
        module_name, _, class_name = self.stack.partition(":")
        stack_class: type = getattr(importlib.import_module(module_name), class_name)
        return stack_class


def semver_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Sort key in semantic-version precedence (a pre-release sorts before its release)."""
    if re.match(SEMVER_PATTERN, version) is None:
        raise ValueError(f"{version!r} is not a semantic version")
    core, _, pre = version.partition("+")[0].partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    identifiers = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in pre.split(".") if part
    )
    return (major, minor, patch, 0 if pre else 1, identifiers)
