"""Search fixtures: an empty outbox and index, an indexer over PostgreSQL, record builders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from tortoise import Tortoise

from cdk_service.datasets import service as datasets
from cdk_service.datasets.from_stacks import register_active_dataset_stacks
from cdk_service.datasets.schemas import DatasetDetail, DatasetRegistration
from cdk_service.db.models import Stack, StackStatus, TemplateVersion, VersionStatus
from cdk_service.search.indexer import Indexer
from cdk_service.search.opensearch import OpenSearchBackend, client_of
from cdk_service.search.port import SearchBackend, SearchQuery, SearchResults, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.postgres_queries import HAS_TRIGRAMS
from cdk_service.settings import Settings
from service_contract.identity import Identity
from tests.conftest import Factories

ANALYST = Identity(user="alan", groups=frozenset({"analytics"}))
FINANCE = Identity(user="grace", groups=frozenset({"finance"}))
ADMIN = Identity(user="ada", groups=frozenset({"admins"}))


@pytest.fixture
async def search_db(db: str) -> str:
    """The test database with no outbox rows or documents left by earlier tests' clean-up
    (deleting their records fires the outbox triggers)."""
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM search_outbox; DELETE FROM search_documents; DELETE FROM search_terms"
    )
    return db


@asynccontextmanager
async def opensearch_backend(url: str) -> AsyncIterator[OpenSearchBackend]:
    """A backend on an alias of its own, refreshed after every write; its indexes deleted after."""
    settings = Settings(search_url=url, search_index=f"datahub-test-{uuid4().hex[:8]}")
    opensearch = OpenSearchBackend(client_of(settings), settings.search_index, refresh=True)
    await opensearch.prepare()
    try:
        yield opensearch
    finally:
        await opensearch.delete_indexes()
        await opensearch.close()


@pytest.fixture(params=["postgres", "opensearch"])
async def backend(request: pytest.FixtureRequest, search_db: str) -> AsyncIterator[SearchBackend]:
    """Each backend in turn: the contract every one of them keeps."""
    if request.param == "postgres":
        yield PostgresSearch()
        return
    async with opensearch_backend(request.getfixturevalue("opensearch_url")) as opensearch:
        yield opensearch


@pytest.fixture
def indexer(backend: SearchBackend) -> Indexer:
    return Indexer(
        backend=backend,
        retry_first_seconds=0.05,
        retry_longest_seconds=0.2,
        reactions=(register_active_dataset_stacks,),
    )


@dataclass
class Records:
    """Builds stacks (rows as given) and datasets (through the datasets service)."""

    factories: Factories

    async def version(self, name: str = "bucket", version: str = "1.0.0") -> TemplateVersion:
        existing = await TemplateVersion.filter(template__name=name, version=version).first()
        return existing or await self.factories.template_version(
            name, version, status=VersionStatus.PUBLISHED
        )

    async def stack(
        self,
        name: str,
        *,
        team: str = "analytics",
        template: str = "bucket",
        status: StackStatus = StackStatus.ACTIVE,
        region: str = "eu-west-1",
        params: dict[str, Any] | None = None,
        outputs: dict[str, Any] | None = None,
    ) -> Stack:
        version = await self.version(template, "0.1.0" if template == "queue" else "1.0.0")
        return await Stack.create(
            name=name,
            team=team,
            template_version=version,
            params=params or {"bucket_name": f"{name}-data"},
            account="123456789012",
            region=region,
            status=status,
            cloudformation_stack_name=f"{team}-{name}",
            outputs=outputs or {},
            created_by="alan",
        )

    async def dataset(self, identity: Identity = ANALYST, **values: Any) -> DatasetDetail:
        values.setdefault("team", next(iter(identity.teams), "analytics"))
        return await datasets.register(
            identity=identity, registration=DatasetRegistration.model_validate(values)
        )


@pytest.fixture
def records(search_db: str, factories: Factories) -> Records:
    return Records(factories)


@pytest.fixture
def find(backend: SearchBackend) -> Callable[..., Any]:
    """``await find(identity, text, **filters)``: search as a caller."""

    async def search(identity: Identity, text: str = "", **filters: Any) -> SearchResults:
        limit = filters.pop("limit", 100)
        query = SearchQuery(
            text=text,
            filters={k: frozenset(v if isinstance(v, list) else [v]) for k, v in filters.items()},
            limit=limit,
        )
        return await backend.search(query, Visibility.of(identity))

    return search


async def skip_unless_typos_are_corrected(backend: SearchBackend) -> None:
    """PostgreSQL corrects typos only where the server has pg_trgm (the embedded one has not)."""
    if isinstance(backend, PostgresSearch):
        rows = await Tortoise.get_connection("default").execute_query_dict(HAS_TRIGRAMS)
        if not rows:
            pytest.skip("no pg_trgm on this server: typos are not corrected")


def titles(results: SearchResults) -> list[str]:
    """Hit titles, in result order."""
    return [hit.document.title for hit in results.hits]
