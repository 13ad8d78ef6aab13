"""Search: the outbox of index work, and the PostgreSQL backend's documents and vocabulary.

Outbox rows are written by database triggers (see the migration) in the same transaction as
every insert, update and delete of stacks, templates, template versions and datasets.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.contrib.postgres.fields import ArrayField, TSVectorField
from tortoise.contrib.postgres.indexes import GinIndex
from tortoise.models import Model


class SearchOutboxEntry(Model):
    """One change to index: a document's kind and entity id; drained in id order."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16, description="stack, dataset or template")
    entity_id = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    available_at = fields.DatetimeField(description="Not retried before this time")
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "search_outbox"
        indexes = (("available_at", "id"),)


class SearchDocument(Model):
    """A document of the PostgreSQL search backend: facet fields, text and its weighted vector."""

    key = fields.CharField(max_length=80, primary_key=True, description="kind:id")
    kind = fields.CharField(max_length=16)
    entity_id = fields.CharField(max_length=64)
    title = fields.TextField()
    description = fields.TextField()
    body = fields.TextField(description="Other searchable text: columns, parameters, topics")
    team = fields.CharField(max_length=63, null=True)
    template = fields.CharField(max_length=63, null=True)
    status = fields.CharField(max_length=32, null=True)
    tags: fields.Field[list[str]] = fields.JSONField(default=list)
    classification = fields.CharField(max_length=16, null=True)
    region = fields.CharField(max_length=32, null=True)
    account = fields.CharField(max_length=12, null=True)
    visible_to_all = fields.BooleanField(
        description="Published templates, public and internal datasets"
    )
    audience: fields.Field[list[str]] = ArrayField(
        element_type="text",
        default=list,
        description="Who may see it: {*} when visible to all, else {team}; indexed with the "
        "vector, so one index scan finds a caller's matches",
    )
    document: fields.Field[dict[str, Any]] = fields.JSONField()
    version = fields.BigIntField(description="Outbox id it reflects; older writes are ignored")
    updated_at = fields.DatetimeField()
    vector = TSVectorField(
        source_fields=("title", "description", "body"),
        config="english",
        weights=("A", "B", "C"),
    )

    class Meta:
        table = "search_documents"
        indexes = (
            # Serves the vector alone too (admins see everything): no index on it by itself.
            GinIndex(fields=("audience", "vector"), name="search_documents_audience_vector_gin"),
            GinIndex(fields=("tags",), name="search_documents_tags_gin"),
            ("team", "kind"),
            ("updated_at", "key"),
        )


class SearchTerm(Model):
    """A word seen in indexed text: the vocabulary that fuzzy matching corrects queries to."""

    word = fields.CharField(max_length=64, primary_key=True)

    class Meta:
        table = "search_terms"


class SearchLexeme(Model):
    """A lexeme of some indexed document's vector: a query word's prefix becomes the lexemes
    it covers (exact index lookups), not a prefix match over every lexeme of the GIN index."""

    lexeme = fields.CharField(max_length=2048, primary_key=True)

    class Meta:
        table = "search_lexemes"
