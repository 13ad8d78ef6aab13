"""The search backend and indexer the settings describe (the one place that chooses)."""

from __future__ import annotations

from cdk_service.datasets.from_stacks import register_active_dataset_stacks
from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchBackend
from cdk_service.search.postgres import PostgresSearch
from cdk_service.settings import Settings


def search_backend(settings: Settings) -> SearchBackend:
    """OpenSearch when a URL is set, else PostgreSQL full-text search."""
    if settings.search_url is None:
        return PostgresSearch(cached_results=settings.search_cached_results)
    # opensearch-py is heavy: imported only when OpenSearch is configured
    from cdk_service.search.opensearch import OpenSearchBackend

    return OpenSearchBackend.from_settings(settings)


def indexer_of(settings: Settings, backend: SearchBackend) -> Indexer:
    """The outbox indexer, which also registers the datasets of new dataset stacks."""
    return Indexer(
        backend=backend,
        batch_size=settings.search_batch_size,
        retry_first_seconds=settings.search_retry_first_seconds,
        retry_longest_seconds=settings.search_retry_longest_seconds,
        poll_seconds=settings.search_poll_seconds,
        reactions=(register_active_dataset_stacks,),
    )
