"""The Glue database names of the built-in templates: one per kind of stack, never shared.

The 1.0.0 versions of ``data-environment`` and ``dataset`` both named their database
``<team>_<name>``, so an environment and a dataset of the same name collided. From 2.0.0 each
name ends in its kind (``_environment``, ``_dataset``): two names of different kinds never end
alike, so they never meet.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from stack_catalog.contract import Template

# What Glue and Athena accept: lowercase letters, digits and underscores, 255 at most.
GLUE_DATABASE_NAME_PATTERN = r"^[a-z0-9_]{1,255}$"
UPGRADE_FROM_1_0_0 = (
    " Since 2.0.0 the Glue database is named {example}, so it never collides with a "
    "{other}'s of the same name. Upgrading from 1.0.0 replaces the database: the new one "
    "starts empty and CloudFormation then deletes the old one with every table defined in it "
    "(the objects in S3 are kept). Save the tables' definitions first (SHOW CREATE TABLE) and "
    "recreate them in the new database (or let a crawler define them again); queries, jobs "
    "and grants that name the old database must name the new one (the GlueDatabaseName output)."
)


def kind_named_version(first: Template, *, stack: str, example: str, other: str) -> Template:
    """``first`` (1.0.0) as 2.0.0: built by ``stack``, its description saying what upgrading
    does (``example``: the new name; ``other``: the kind it no longer collides with)."""
    note = UPGRADE_FROM_1_0_0.format(example=example, other=other)
    return replace(first, version="2.0.0", description=first.description + note, stack=stack)


class KindSuffixedDatabaseName:
    """Mixin for a 2.x stack built by its 1.0.0 constructor: the database name ends in its kind.

    The 1.0.0 code stays byte for byte (the catalog records its digest); its constructor
    assigns ``database_name = "<team>_<name>"`` once, before anything uses it, and that
    assignment lands here. Put the mixin first among the bases.
    """

    database_kind: ClassVar[str]
    _database_name: str

    @property
    def database_name(self) -> str:
        """The Glue database name: ``<team>_<name>_<kind>``."""
        return self._database_name

    @database_name.setter
    def database_name(self, team_and_name: str) -> None:
        name = f"{team_and_name}_{self.database_kind}"
        if re.match(GLUE_DATABASE_NAME_PATTERN, name) is None:
            raise ValueError(f"{name!r} is not a valid Glue database name")
        self._database_name = name
