"""Who is calling: the user and groups carried in the signed identity header."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ADMIN_GROUP = "admins"


class Identity(BaseModel):
    """A caller. Groups other than ``admins`` are team slugs."""

    model_config = ConfigDict(frozen=True)

    user: str = Field(min_length=1, max_length=256)
    groups: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        """Platform admins may act on everything."""
        return ADMIN_GROUP in self.groups

    @property
    def teams(self) -> frozenset[str]:
        """The teams this caller belongs to."""
        return self.groups - {ADMIN_GROUP}

    def may_act_for(self, team: str) -> bool:
        """Admins act for every team; others for their own teams only."""
        return self.is_admin or team in self.teams
