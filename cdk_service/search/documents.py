"""What the index holds: one document per stack, dataset and template, with its facet fields."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class DocumentKind(StrEnum):
    """The kinds of things search finds."""

    STACK = "stack"
    DATASET = "dataset"
    TEMPLATE = "template"


FACETS = ("kind", "team", "template", "status", "tags", "classification", "region", "account")
FACET_VALUES = 20  # the most frequent values counted per facet


def document_key(kind: str, entity_id: str) -> str:
    """The key of a document in every backend: ``kind:id``."""
    return f"{kind}:{entity_id}"


class SearchDocument(BaseModel):
    """One indexable thing; ``version`` is the outbox id it reflects (newer wins)."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    id: str
    title: str
    description: str = ""
    body: str = Field(default="", description="Other searchable text")
    fields: list[tuple[str, str]] = Field(
        default_factory=list,
        description="The body's values with what each is (a stack's parameter or output "
        "name), to say what matched (not searched)",
    )
    team: str | None = None
    template: str | None = None
    status: str | None = None
    tags: list[str] = Field(default_factory=list)
    classification: str | None = None
    region: str | None = None
    account: str | None = None
    visible_to_all: bool = False
    updated_at: datetime
    version: int = 0
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Extra fields shown with a hit (not searched)"
    )

    @property
    def key(self) -> str:
        """``kind:id``."""
        return document_key(self.kind.value, self.id)

    def facet_values(self, facet: str) -> list[str]:
        """The values this document has for a facet (tags has several)."""
        value = getattr(self, facet)
        if isinstance(value, list):
            return [str(item) for item in value]
        return [] if value is None else [str(value)]


class DocumentDeletion(BaseModel):
    """A document to remove, as of an outbox id."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    id: str
    version: int

    @property
    def key(self) -> str:
        """``kind:id``."""
        return document_key(self.kind.value, self.id)


async def batches(
    documents: AsyncIterable[SearchDocument], size: int
) -> AsyncIterator[list[SearchDocument]]:
    """Documents in lists of at most ``size`` (what a rebuild writes at a time)."""
    batch: list[SearchDocument] = []
    async for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
