"""The search port: what every backend does, and the query and result shapes they share."""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.search.documents import DocumentDeletion, SearchDocument
from service_contract.identity import Identity


class Visibility(BaseModel):
    """Who is asking: everything for admins; else their teams' things and what all may see."""

    model_config = ConfigDict(frozen=True)

    everything: bool = False
    teams: frozenset[str] = frozenset()

    @classmethod
    def of(cls, identity: Identity) -> Visibility:
        """The visibility of a caller."""
        return cls(everything=identity.is_admin, teams=identity.teams)

    def allows(self, document: SearchDocument) -> bool:
        """Whether the caller may see ``document`` (the rule every backend's filter encodes)."""
        return self.everything or document.visible_to_all or document.team in self.teams


class SearchQuery(BaseModel):
    """Text (optional), facet filters (OR within a facet, AND across), a page and its cursor."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    filters: dict[str, frozenset[str]] = Field(default_factory=dict)
    limit: int = Field(default=20, ge=1, le=100)
    after: tuple[float, str] | None = Field(
        default=None, description="Sort position (score, key) just before this page"
    )
    facets: bool = Field(default=True, description="Count the facets over every match")
    highlights: bool = Field(default=True, description="Highlight the page's matching text")


class FacetCount(BaseModel):
    """How many matching documents have one value of a facet."""

    value: str
    count: int


class SearchHit(BaseModel):
    """One result: the document, its score, and the matching text highlighted with <mark>."""

    document: SearchDocument
    score: float
    highlights: dict[str, list[str]] = Field(default_factory=dict)


class SearchResults(BaseModel):
    """A page of hits with the facet counts over every match, and where the next page starts."""

    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]]
    next_after: tuple[float, str] | None = None


class SearchBackend(Protocol):
    """A search index; writes carry versions so that an older write never replaces a newer."""

    name: str

    async def prepare(self) -> None:
        """Create what the backend needs (index template, alias) if it is missing."""

    async def write(
        self, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
    ) -> None:
        """Index and delete documents; raises ``UpstreamFailure`` when the backend fails."""

    async def search(self, query: SearchQuery, visibility: Visibility) -> SearchResults:
        """The page of visible documents matching ``query``, with facet counts."""

    async def rebuild(self, documents: AsyncIterable[SearchDocument]) -> int:
        """Replace every document with ``documents`` without a moment of empty results."""

    async def count(self) -> int:
        """How many documents the index holds."""

    async def close(self) -> None:
        """Release connections."""
