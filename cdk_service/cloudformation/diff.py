"""Property-level diff between the deployed CloudFormation template and a new one (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

# Properties known to make CloudFormation replace the resource when they change. Not
# exhaustive: the change set's own Replacement field is authoritative where AWS gives it.
REPLACEMENT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "AWS::S3::Bucket": ("BucketName", "ObjectLockEnabled"),
    "AWS::SQS::Queue": ("QueueName", "FifoQueue"),
    "AWS::SNS::Topic": ("TopicName", "FifoTopic"),
    "AWS::KMS::Key": ("KeySpec", "KeyUsage", "MultiRegion"),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::IAM::Role": ("RoleName", "Path"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "Path"),
    "AWS::Glue::Database": ("CatalogId", "DatabaseName", "DatabaseInput.Name"),
    "AWS::Athena::WorkGroup": ("Name",),
    "AWS::SSM::Parameter": ("Name",),
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "AWS::DynamoDB::Table": ("TableName", "KeySchema"),
    "AWS::Lambda::Function": ("FunctionName",),
    "AWS::SecretsManager::Secret": ("Name",),
}

Action = Literal["add", "remove", "modify"]


class PropertyChange(BaseModel):
    """One changed value inside a resource, by its path (``Properties.Tags[0].Value``)."""

    path: str
    old: Any = Field(default=None, description="Deployed value; null when newly set")
    new: Any = Field(default=None, description="New value; null when removed")
    replacement: bool = Field(default=False, description="Known to force replacement")


class ResourceDiff(BaseModel):
    """A resource added, removed or modified, with its changed values."""

    logical_id: str
    resource_type: str
    action: Action
    replacement: bool = False
    changes: list[PropertyChange] = Field(default_factory=list)


class ValueChange(BaseModel):
    """An output or parameter added, removed or modified."""

    name: str
    action: Action
    old: Any = None
    new: Any = None


class TemplateDiff(BaseModel):
    """What differs between two templates: resources, outputs and parameters."""

    resources: list[ResourceDiff] = Field(default_factory=list)
    outputs: list[ValueChange] = Field(default_factory=list)
    parameters: list[ValueChange] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when the templates describe the same stack."""
        return not (self.resources or self.outputs or self.parameters)


def diff_templates(
    deployed: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    deployed_values: Mapping[str, str] | None = None,
    new_values: Mapping[str, str] | None = None,
) -> TemplateDiff:
    """The diff from ``deployed`` to ``new``; parameter values are compared when given."""
    return TemplateDiff(
        resources=list(_resource_diffs(deployed.get("Resources", {}), new.get("Resources", {}))),
        outputs=list(_value_changes(deployed.get("Outputs", {}), new.get("Outputs", {}))),
        parameters=list(
            _value_changes(
                _parameters(deployed.get("Parameters", {}), deployed_values),
                _parameters(new.get("Parameters", {}), new_values),
            )
        ),
    )


def value_changes(path: str, old: Any, new: Any) -> Iterator[PropertyChange]:
    """Each leaf that differs between two values; intrinsic functions count as leaves."""
    if old == new:
        return
    if _is_object(old) and _is_object(new):
        for key in sorted(old.keys() | new.keys()):
            yield from value_changes(f"{path}.{key}" if path else key, old.get(key), new.get(key))
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            yield from value_changes(f"{path}[{index}]", _at(old, index), _at(new, index))
    else:
        yield PropertyChange(path=path, old=old, new=new)


def forces_replacement(resource_type: str, path: str) -> bool:
    """Whether changing the value at ``path`` is known to replace a resource of that type."""
    for name in REPLACEMENT_PROPERTIES.get(resource_type, ()):
        known = f"Properties.{name}"
        if path == known or path.startswith((f"{known}.", f"{known}[")):
            return True
    return False


def _resource_diffs(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[ResourceDiff]:
    for logical_id in sorted(old.keys() | new.keys()):
        if logical_id not in old:
            yield ResourceDiff(
                logical_id=logical_id, resource_type=_type(new[logical_id]), action="add"
            )
        elif logical_id not in new:
            yield ResourceDiff(
                logical_id=logical_id, resource_type=_type(old[logical_id]), action="remove"
            )
        elif old[logical_id] != new[logical_id]:
            yield _modified(logical_id, old[logical_id], new[logical_id])


def _modified(logical_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> ResourceDiff:
    resource_type = _type(new)
    changes = [
        change.model_copy(update={"replacement": _replaces(resource_type, change.path)})
        for change in value_changes("", old, new)
    ]
    return ResourceDiff(
        logical_id=logical_id,
        resource_type=resource_type,
        action="modify",
        replacement=any(change.replacement for change in changes),
        changes=changes,
    )


def _replaces(resource_type: str, path: str) -> bool:
    return path == "Type" or forces_replacement(resource_type, path)


def _value_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[ValueChange]:
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            yield ValueChange(name=name, action="add", new=new[name])
        elif name not in new:
            yield ValueChange(name=name, action="remove", old=old[name])
        elif old[name] != new[name]:
            yield ValueChange(name=name, action="modify", old=old[name], new=new[name])


def _parameters(declared: Mapping[str, Any], values: Mapping[str, str] | None) -> dict[str, Any]:
    if values is None:
        return dict(declared)
    return {name: {**declared.get(name, {}), "Value": values.get(name)} for name in declared}


def _is_object(value: Any) -> bool:
    """A mapping to descend into: not an intrinsic function such as ``{"Ref": ...}``."""
    if not isinstance(value, Mapping):
        return False
    if len(value) != 1:
        return True
    key = next(iter(value))
    return not (key in ("Ref", "Condition") or key.startswith("Fn::"))


def _at(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def _type(resource: Mapping[str, Any]) -> str:
    return str(resource.get("Type", ""))
