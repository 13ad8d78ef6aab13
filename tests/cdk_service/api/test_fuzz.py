"""The internal API under seeded fuzzing: no 5xx, every answer as its OpenAPI document says.

A longer run, for people: ``DATAHUB_FUZZ_EXAMPLES=120 pytest -s tests/cdk_service/api/test_fuzz.py``
prints the requests per mode and verdict (``bench/fuzz.py`` does the same against ``up``).
"""

from __future__ import annotations

import asyncio
import os

from cdk_service.api.app import OPENAPI
from tests.cdk_service.api.conftest import ADMIN, ANALYST, KEY
from tests.cdk_service.api.fuzz import fuzz

# Cases per mode per operation (about 45 operations): about 30 s for each caller in CI.
EXAMPLES = int(os.environ.get("DATAHUB_FUZZ_EXAMPLES", "4"))
# Seeded (the same cases every run) unless DATAHUB_FUZZ_RANDOM=1, for a long run's new cases.
SEEDED = os.environ.get("DATAHUB_FUZZ_RANDOM") != "1"


async def test_fuzzed_requests_get_no_5xx_and_answers_that_match_the_document(client) -> None:
    document = client.server.app[OPENAPI]
    base_url = str(client.make_url(""))

    for identity in (ADMIN, ANALYST):
        verdicts = await asyncio.to_thread(
            fuzz,
            document,
            base_url,
            key=KEY.encode(),
            identity=identity,
            examples=EXAMPLES,
            seeded=SEEDED,
        )
        print(f"{identity.user}: {sum(verdicts.counts.values())} requests", dict(verdicts.counts))
        assert sum(verdicts.counts.values()) > 100
        assert not verdicts.findings, "\n".join(verdicts.findings)
