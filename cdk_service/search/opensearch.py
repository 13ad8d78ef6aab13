"""The OpenSearch search backend (``opensearch-py[async]``): writes through an alias, so a
full reindex fills a new index and switches the alias in one atomic step.

Auth: none or basic for a self-run cluster, SigV4 (with the AWS credentials of the process)
for Amazon OpenSearch.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, Sequence
from typing import Any

import boto3
from opensearchpy import AsyncHttpConnection, AsyncOpenSearch, AWSV4SignerAsyncAuth
from opensearchpy.exceptions import NotFoundError, OpenSearchException
from opensearchpy.helpers import async_bulk

from cdk_service.search import opensearch_requests as requests
from cdk_service.search.documents import DocumentDeletion, SearchDocument, batches
from cdk_service.search.port import SearchQuery, SearchResults, Visibility
from cdk_service.settings import Settings
from service_contract.errors import UpstreamFailure

# A stale version (409) or an already-deleted document (404) is what the writer wanted anyway.
SETTLED = (404, 409)
REBUILD_CHUNK = 1000


def client_of(settings: Settings) -> AsyncOpenSearch:
    """A client for the configured cluster and auth."""
    options: dict[str, Any] = {
        "hosts": [settings.search_url],
        "connection_class": AsyncHttpConnection,
    }
    if settings.search_auth == "basic":
        password = settings.search_password.get_secret_value() if settings.search_password else ""
        options["http_auth"] = (settings.search_username or "", password)
    elif settings.search_auth == "sigv4":
        credentials = boto3.Session().get_credentials()
        region = settings.search_region or settings.default_region
        options["http_auth"] = AWSV4SignerAsyncAuth(credentials, region, "es")
    return AsyncOpenSearch(**options)


class OpenSearchBackend:
    """The search port on an OpenSearch cluster, behind the alias ``alias``."""

    name = "opensearch"

    def __init__(self, client: AsyncOpenSearch, alias: str, *, refresh: bool = False) -> None:
        self._client = client
        self._alias = alias
        self._refresh = refresh

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenSearchBackend:
        """The backend the settings describe."""
        return cls(client_of(settings), settings.search_index)

    def _new_index_name(self) -> str:
        return f"{self._alias}-{time.time_ns()}"

    async def _call(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await operation(*args, **kwargs)
        except OpenSearchException as error:
            raise UpstreamFailure(
                f"OpenSearch failed: {error}", code="search_backend_failed"
            ) from error

    async def prepare(self) -> None:
        """Put the index template; create the first index behind the alias if there is none."""
        body = requests.index_template(self._alias)
        await self._call(self._client.indices.put_index_template, name=self._alias, body=body)
        if not await self._call(self._client.indices.exists_alias, name=self._alias):
            index = self._new_index_name()
            body = {"aliases": {self._alias: {"is_write_index": True}}}
            await self._call(self._client.indices.create, index=index, body=body)

    async def write(
        self, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
    ) -> None:
        """Bulk index and delete through the alias; stale versions are refused by OpenSearch."""
        actions = requests.bulk_actions(self._alias, documents, deletions)
        if actions:
            await self._bulk(actions)

    async def _bulk(self, actions: list[dict[str, Any]], refresh: bool | None = None) -> None:
        refresh = self._refresh if refresh is None else refresh
        await self._call(async_bulk, self._client, actions, ignore_status=SETTLED, refresh=refresh)

    async def search(self, query: SearchQuery, visibility: Visibility) -> SearchResults:
        """One request: hits, total, facet aggregations and highlights; its answer is kept in
        the shard request cache until the next refresh (which keeps no search with hits unless
        asked)."""
        body = requests.search_body(query, visibility)
        response = await self._call(
            self._client.search, index=self._alias, body=body, params={"request_cache": "true"}
        )
        return requests.results_of(response, query)

    async def rebuild(self, documents: AsyncIterable[SearchDocument]) -> int:
        """Fill a new index, then move the alias to it atomically and drop the old ones."""
        index = self._new_index_name()
        await self._call(self._client.indices.create, index=index)
        written = 0
        async for chunk in batches(documents, REBUILD_CHUNK):
            await self._bulk(requests.bulk_actions(index, chunk, []), refresh=False)
            written += len(chunk)
        await self._call(self._client.indices.refresh, index=index)
        old = await self._indexes_behind_alias()
        actions: list[dict[str, Any]] = [
            {"add": {"index": index, "alias": self._alias, "is_write_index": True}},
            *({"remove_index": {"index": name}} for name in old),
        ]
        await self._call(self._client.indices.update_aliases, body={"actions": actions})
        return written

    async def _indexes_behind_alias(self) -> list[str]:
        try:
            found = await self._client.indices.get_alias(name=self._alias)
        except NotFoundError:
            return []
        return sorted(found)

    async def count(self) -> int:
        """Documents behind the alias."""
        response = await self._call(self._client.count, index=self._alias)
        return int(response["count"])

    async def delete_indexes(self) -> None:
        """Delete every index behind the alias (and the alias with them)."""
        for index in await self._indexes_behind_alias():
            await self._call(self._client.indices.delete, index=index)

    async def close(self) -> None:
        """Close the client's connections."""
        await self._client.close()
