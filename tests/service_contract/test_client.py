"""The service client: what a caller learns from an error answer that is not our JSON."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from service_contract.client import ServiceClient, ServiceError
from service_contract.identity import Identity


async def test_an_error_answer_that_is_not_json_is_a_service_error_with_its_status(
    aiohttp_server: Any,
) -> None:
    # A proxy's page in front of the service was a JSON parse failure (service_bad_response).
    async def proxy_page(request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>Bad Gateway</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/v1/me", proxy_page)
    server = await aiohttp_server(app)
    client = ServiceClient(str(server.make_url("")), key=b"k", identity=Identity(user="u"))

    with pytest.raises(ServiceError) as failed:
        await client.request("GET", "/v1/me")
    assert (failed.value.status, failed.value.code) == (502, "service_error")
