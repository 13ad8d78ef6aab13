"""What the search API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cdk_service.search.documents import DocumentKind
from cdk_service.search.outbox import OutboxLag
from cdk_service.search.port import FacetCount
from service_contract.limits import SEARCH_TEXT_MAX

FACET_HELP = "comma-separated values (any of them matches)"


# A facet filter's comma-separated values, all together.
FACET_MAX = 1024


class SearchParams(BaseModel):
    """``GET /v1/search``: text, facet filters (OR within a facet, AND across), paging."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        default="", max_length=SEARCH_TEXT_MAX, description="Words; each also matches as a prefix"
    )
    kind: str | None = Field(
        default=None, max_length=FACET_MAX, description=f"stack, dataset, template: {FACET_HELP}"
    )
    team: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    template: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    status: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    tags: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    classification: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    region: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    account: str | None = Field(default=None, max_length=FACET_MAX, description=FACET_HELP)
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(
        default=None, max_length=1024, description="next_cursor of the previous page"
    )
    facets: bool = Field(default=True, description="false: no facet counts (they cost most)")
    highlights: bool = Field(default=True, description="false: no highlighted text")


class SearchHitView(BaseModel):
    """One result, with the matching text highlighted (HTML-escaped, matches in <mark>)."""

    kind: DocumentKind
    id: str
    title: str
    description: str
    team: str | None
    template: str | None
    status: str | None
    tags: list[str]
    classification: str | None
    region: str | None
    account: str | None
    updated_at: datetime
    score: float
    highlights: dict[str, list[str]]
    attributes: dict[str, Any]


class SearchPage(BaseModel):
    """A page of results, facet counts over every match, and the cursor of the next page."""

    hits: list[SearchHitView]
    total: int
    facets: dict[str, list[FacetCount]]
    next_cursor: str | None


class SearchStatus(BaseModel):
    """The backend, how many documents it holds, and how far behind the records it is."""

    backend: str
    documents: int
    outbox: OutboxLag


class ReindexReport(BaseModel):
    """What a full reindex wrote."""

    backend: str
    documents: int
    seconds: float
