"""The datasets and search routes on the internal API, and their place in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchBackend
from tests.cdk_service.api.conftest import error_of
from tests.cdk_service.search.conftest import ADMIN, ANALYST, FINANCE

ORDERS = {"team": "analytics", "name": "orders", "description": "Orders from the shop",
          "columns": [{"name": "order_id", "type": "string"}], "tags": ["sales"]}  # fmt: skip


async def test_dataset_lifecycle_over_http(as_user: Callable[..., Any]) -> None:
    analyst = as_user(ANALYST)
    status, created = await analyst("POST", "/v1/datasets", ORDERS)
    assert status == 201 and created["revision"] == 1
    path = f"/v1/datasets/{created['id']}"
    status, changed = await analyst("PATCH", path, {"tags": ["sales", "daily"], "revision": 1})
    assert (status, changed["tags"], changed["revision"]) == (200, ["sales", "daily"], 2)
    status, body = await analyst("PATCH", path, {"description": "x", "revision": 1})
    assert status == 409 and error_of(body)["code"] == "stale_revision"
    status, seen = await as_user(FINANCE)("GET", path)
    assert (status, seen["access"], seen["location"]) == (200, "metadata", None)
    status, history = await analyst("GET", path + "/history")
    assert [r["action"] for r in history["revisions"]] == ["created", "updated"]
    status, deleted = await analyst("DELETE", path + "?revision=2")
    assert status == 200 and deleted["revisions"][-1]["action"] == "deleted"
    status, body = await analyst("GET", path)
    assert status == 404 and error_of(body)["code"] == "dataset_not_found"


async def test_bad_dataset_input_is_a_stable_error(as_user: Callable[..., Any]) -> None:
    analyst = as_user(ANALYST)
    bad = ORDERS | {"location": "http://nope", "classification": "secret"}
    status, body = await analyst("POST", "/v1/datasets", bad)
    error = error_of(body)
    assert status == 400 and error["code"] == "invalid_request"
    assert {d["field"] for d in error["details"]} == {"location", "classification"}
    status, body = await analyst("POST", "/v1/datasets", ORDERS | {"team": "finance"})
    assert status == 403 and error_of(body)["code"] == "not_a_member"
    status, body = await analyst("GET", "/v1/datasets/not-a-uuid")
    assert status == 400 and error_of(body)["code"] == "invalid_id"


async def test_search_over_http_with_facets_highlights_and_cursor(
    as_user: Callable[..., Any], indexer: Indexer
) -> None:
    analyst = as_user(ANALYST)
    for number in range(3):
        await analyst("POST", "/v1/datasets", ORDERS | {"name": f"orders-{number}"})
    await as_user(FINANCE)(
        "POST", "/v1/datasets", ORDERS | {"team": "finance", "classification": "restricted"}
    )
    await indexer.drain()
    status, page = await analyst("GET", "/v1/search?q=order&kind=dataset&tags=sales,x&limit=2")
    assert status == 200 and page["total"] == 3
    assert page["facets"]["team"] == [{"value": "analytics", "count": 3}]
    assert "<mark>" in page["hits"][0]["highlights"]["title"][0]
    status, rest = await analyst("GET", f"/v1/search?q=order&limit=2&cursor={page['next_cursor']}")
    assert len(rest["hits"]) == 1 and rest["next_cursor"] is None
    status, body = await analyst("GET", "/v1/search?kind=cluster")
    assert status == 400 and error_of(body)["field"] == "kind"
    status, body = await analyst("GET", "/v1/search?cursor=%25%25")
    assert status == 400 and error_of(body)["code"] == "invalid_cursor"


async def test_reindex_and_status_are_for_admins(
    as_user: Callable[..., Any], backend: SearchBackend
) -> None:
    await as_user(ANALYST)("POST", "/v1/datasets", ORDERS)
    admin = as_user(ADMIN)
    status, before = await admin("GET", "/v1/search/status")
    assert status == 200 and before["backend"] == backend.name
    assert before["outbox"]["pending"] >= 1  # the dataset, and the catalog synced
    status, report = await admin("POST", "/v1/search/reindex")
    assert status == 200 and report["documents"] >= 1
    status, found = await as_user(ANALYST)("GET", "/v1/search?q=orders")
    assert [hit["title"] for hit in found["hits"]] == ["orders"]
    status, body = await as_user(ANALYST)("POST", "/v1/search/reindex")
    assert status == 403 and error_of(body)["code"] == "admins_only"


async def test_the_routes_are_in_the_openapi_document(as_user: Callable[..., Any]) -> None:
    status, document = await as_user(ANALYST)("GET", "/v1/openapi.json")
    assert status == 200
    paths = document["paths"]
    assert set(paths["/v1/datasets/{dataset_id}"]) == {"get", "patch", "delete"}
    assert {"/v1/datasets", "/v1/datasets/{dataset_id}/history", "/v1/search"} <= set(paths)
    assert {"/v1/search/status", "/v1/search/reindex"} <= set(paths)
