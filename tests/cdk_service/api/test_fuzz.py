"""The internal API under seeded fuzzing: no 5xx, every answer as its OpenAPI document says."""

from __future__ import annotations

import asyncio

from cdk_service.api.app import OPENAPI
from tests.cdk_service.api.conftest import ADMIN, ANALYST, KEY
from tests.cdk_service.api.fuzz import fuzz

EXAMPLES = 4  # cases per mode per operation (about 45): about 30 s for each caller in CI


async def test_fuzzed_requests_get_no_5xx_and_answers_that_match_the_document(client) -> None:
    document = client.server.app[OPENAPI]
    base_url = str(client.make_url(""))

    for identity in (ADMIN, ANALYST):
        verdicts = await asyncio.to_thread(
            fuzz, document, base_url, key=KEY.encode(), identity=identity, examples=EXAMPLES
        )
        assert sum(verdicts.counts.values()) > 100
        assert not verdicts.findings, "\n".join(verdicts.findings)
