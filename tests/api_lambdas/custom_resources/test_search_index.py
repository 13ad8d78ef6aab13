"""The search set-up custom resource against a real OpenSearch node."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from opensearchpy import AsyncOpenSearch

from api_lambdas.custom_resources import search_index
from tests.api_lambdas.custom_resources.conftest import call, cloudformation_event


@pytest.fixture
async def cluster(opensearch_url: str) -> AsyncIterator[AsyncOpenSearch]:
    client = AsyncOpenSearch(hosts=[opensearch_url])
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def alias(cluster: AsyncOpenSearch) -> AsyncIterator[str]:
    """An alias of this test's; its indexes and template are deleted after."""
    name = f"datahub-setup-{uuid4().hex[:8]}"
    yield name
    await cluster.indices.delete(index=f"{name}-*")
    await cluster.indices.delete_index_template(name=name, ignore=404)


async def test_set_up_run_again_keeps_one_index_made_from_the_template(
    response_url, lambda_env, opensearch_url: str, cluster: AsyncOpenSearch, alias: str
) -> None:
    lambda_env()
    properties = {"Endpoint": opensearch_url, "Index": alias}
    for kind in ("Create", "Update", "Update"):
        event = cloudformation_event(kind, properties, url=response_url.url, physical_id="p")
        await call(search_index.handler, event)
    assert [answer["Status"] for answer in response_url.responses] == ["SUCCESS"] * 3
    (index,) = await cluster.indices.get_alias(name=alias)
    mapping = (await cluster.indices.get_mapping(index=index))[index]["mappings"]
    assert mapping["properties"]["title"]["analyzer"] == "english"
    assert mapping["properties"]["tags"] == {"type": "keyword"}
