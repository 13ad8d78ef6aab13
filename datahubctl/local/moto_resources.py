"""What moto's CloudFormation lacks for the catalog templates, added through moto's backends.

moto 5.2 has Glue databases and Athena workgroups behind their own APIs, but its
CloudFormation warns "No Moto CloudFormation support" and creates neither; a ``Ref`` to them
then resolves to an empty string, so a template publishing their names (every catalog
template does, as SSM parameters) fails with a validation error. These adapters create, update
and delete them through moto's own backends, for local runs and tests only.

Its KMS keys have no update hook: a key whose properties change (its tags do on every upgrade)
is dropped from the stack's resources, and the next ``Fn::GetAtt`` on it fails the update.
``update_key`` changes the key in place, as CloudFormation does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moto.athena.models import athena_backends
from moto.core.common_models import CloudFormationModel
from moto.glue.models import glue_backends
from moto.kms.models import Key, kms_backends

from datahubctl.local.tags import cloudformation_tags_as_map, key_value_list, kms_api_tags


class NamedResource:
    """moto's CloudFormation interface over three hooks: create, change and remove by name.

    ``Ref`` gives the name, as on AWS; no ``Fn::GetAtt`` attribute is modelled. A change of
    name replaces the resource.
    """

    TYPE: ClassVar[str]
    NAME_PROPERTY: ClassVar[str] = ""

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def name_of(cls, resource_name: str, properties: dict[str, Any]) -> str:
        """The resource's name: moto's (the name property's value, or one generated)."""
        return resource_name

    @classmethod
    def create(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Create the resource in moto's backend."""
        raise NotImplementedError

    @classmethod
    def change(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Change the resource in place."""
        raise NotImplementedError

    @classmethod
    def remove(cls, account_id: str, region_name: str, name: str) -> None:
        """Delete the resource from moto's backend."""
        raise NotImplementedError

    @classmethod
    def cloudformation_type(cls) -> str:
        """The CloudFormation type this adapter creates."""
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        """The top-level property naming the resource ("" when there is none)."""
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        """No ``Fn::GetAtt`` attribute is modelled."""
        return False

    @property
    def physical_resource_id(self) -> str:
        """What ``Ref`` gives: the name."""
        return self.name

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> NamedResource:
        """moto's create hook."""
        properties = cloudformation_json.get("Properties", {})
        name = cls.name_of(resource_name, properties)
        cls.create(account_id, region_name, name, properties)
        return cls(name)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: NamedResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> NamedResource:
        """moto's update hook: in place, or a replacement when the name changes."""
        properties = cloudformation_json.get("Properties", {})
        if cls.name_of(new_resource_name, properties) != original_resource.name:
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        cls.change(account_id, region_name, original_resource.name, properties)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        """moto's delete hook, by name."""
        cls.remove(account_id, region_name, resource_name)

    def delete(self, account_id: str, region_name: str) -> None:
        """Delete this resource (moto's stack deletion calls this)."""
        self.remove(account_id, region_name, self.name)

    def is_created(self) -> bool:
        """Created at once."""
        return True


class GlueDatabase(NamedResource, CloudFormationModel):  # type: ignore[misc]
    """``AWS::Glue::Database``: a database in moto's Glue catalog, named by ``DatabaseInput``."""

    TYPE = "AWS::Glue::Database"

    @classmethod
    def name_of(cls, resource_name: str, properties: dict[str, Any]) -> str:
        """``DatabaseInput.Name``, else a generated lower-case name."""
        return str(properties.get("DatabaseInput", {}).get("Name") or resource_name.lower())

    @classmethod
    def create(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Create the database with its description and location."""
        database_input = {**properties.get("DatabaseInput", {}), "Name": name}
        glue_backends[account_id][region_name].create_database(name, database_input)

    @classmethod
    def change(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Replace the database's description and location."""
        database_input = {**properties.get("DatabaseInput", {}), "Name": name}
        glue_backends[account_id][region_name].update_database(name, database_input)

    @classmethod
    def remove(cls, account_id: str, region_name: str, name: str) -> None:
        """Delete the database."""
        glue_backends[account_id][region_name].delete_database(name)


class AthenaWorkGroup(NamedResource, CloudFormationModel):  # type: ignore[misc]
    """``AWS::Athena::WorkGroup``: a workgroup in moto's Athena, with its configuration."""

    TYPE = "AWS::Athena::WorkGroup"
    NAME_PROPERTY = "Name"

    @classmethod
    def create(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Create the workgroup with its configuration, description and tags."""
        athena_backends[account_id][region_name].create_work_group(
            name=name,
            configuration=properties.get("WorkGroupConfiguration", {}),
            description=properties.get("Description", ""),
            tags=key_value_list(cloudformation_tags_as_map(properties.get("Tags"))),
        )

    @classmethod
    def change(cls, account_id: str, region_name: str, name: str, properties: Any) -> None:
        """Replace the workgroup's configuration and description."""
        work_group = athena_backends[account_id][region_name].work_groups[name]
        work_group.configuration = properties.get("WorkGroupConfiguration", {})
        work_group.description = properties.get("Description", "")

    @classmethod
    def remove(cls, account_id: str, region_name: str, name: str) -> None:
        """Delete the workgroup."""
        athena_backends[account_id][region_name].delete_work_group(name)


ADDED_RESOURCE_TYPES = (GlueDatabase, AthenaWorkGroup)


def update_key(
    cls: type[Key],
    original_resource: Key,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> Key:
    """``AWS::KMS::Key`` updated in place: description, policy, rotation, enabled, tags."""
    properties = cloudformation_json.get("Properties", {})
    key = original_resource
    key.description = properties.get("Description", "")
    key.policy = properties.get("KeyPolicy", key.policy)
    key.key_rotation_status = properties.get("EnableKeyRotation", False)
    key.enabled = properties.get("Enabled", True)
    tagger = kms_backends[account_id][region_name].tagger
    tagger.delete_all_tags_for_resource(key.id)
    tagger.tag_resource(key.id, kms_api_tags(cloudformation_tags_as_map(properties.get("Tags"))))
    return key
