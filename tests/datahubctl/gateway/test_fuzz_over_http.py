"""The Backend API fuzzed through the local gateway: hypothesis-graphql's operations of every
query and mutation, valid and invalid (``Mode.NEGATIVE``), some with text no service can store,
sent as real signed-in users. No answer may be a 5xx or hold ``internal_error``,
``service_bad_response`` or a traceback.

Seeded (derandomized) and bounded by ``DATAHUB_FUZZ_OPERATIONS`` (300 here, about a minute); a
longer run prints the operations per verdict (status and first error code):
``DATAHUB_FUZZ_OPERATIONS=10000 .venv/bin/python -m pytest -s --timeout=0 -p no:cacheprovider
tests/datahubctl/gateway/test_fuzz_over_http.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from typing import Any

import aiohttp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes
from hypothesis_graphql import strategies as graphql_strategies

from api_lambdas.backend.schema import backend_schema
from service_contract.identity import Identity
from tests.api_lambdas.service_fixtures import ADMIN, ANALYST, lambda_environment, service
from tests.datahubctl.gateway.over_http import ask, http, signed_in

__all__ = ["ask", "http", "lambda_environment", "service", "signed_in"]
LEAKS = ("internal_error", "service_bad_response", "Traceback", 'File "')
OPERATIONS = int(os.environ.get("DATAHUB_FUZZ_OPERATIONS", "300"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
SCALARS = {
    "JSON": st.builds(nodes.String, st.text()) | st.builds(nodes.Int, st.integers()),
    "DateTime": st.builds(nodes.String, st.text()),
}


def operations() -> st.SearchStrategy[str]:
    """Every root field's operations, valid and (where it takes arguments) invalid."""
    schema = backend_schema()
    strategies = []
    roots = [(schema.query_type, graphql_strategies.queries)]
    roots.append((schema.mutation_type, graphql_strategies.mutations))
    for root, operations_of in roots:
        for name, field in (root.fields if root else {}).items():
            for mode in (Mode.POSITIVE, Mode.NEGATIVE) if field.args else (Mode.POSITIVE,):
                strategies.append(
                    operations_of(schema, fields=[name], custom_scalars=SCALARS, mode=mode)
                )
    return st.one_of(strategies)


def bodies() -> st.SearchStrategy[dict[str, Any]]:
    """Request bodies: an operation, one in ten with a lone surrogate or NUL spliced in (JSON
    carries them as escapes), one in ten with variables it does not declare."""
    splices = st.sampled_from(["", "\ud800", "\udfff", "\x00", "\x00\ud800"])
    hostile = st.integers(0, 9).flatmap(lambda n: splices if n == 0 else st.just(""))
    stray = st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=2)
    variables = st.integers(0, 9).flatmap(lambda n: stray if n == 0 else st.none())
    return st.builds(
        lambda query, splice, at, variables: {
            "query": query[:at] + splice + query[at:] if splice else query,
            **({"variables": variables} if variables else {}),
        },
        operations(),
        hostile,
        st.integers(0, 200),
        variables,
    )


def verdict(status: int, text: str) -> str:
    """How an answer is counted: its status and its first error's code."""
    try:
        errors = json.loads(text).get("errors") or [{}]
        code = (errors[0].get("extensions") or {}).get("code", "no code")
    except (ValueError, AttributeError):
        code = "not JSON"
    return f"{status} {code if code != 'no code' or status != 200 else 'data'}"


async def test_no_operation_gets_a_5xx_or_an_internal_error(
    http: aiohttp.ClientSession, signed_in: dict[Identity, str]
) -> None:
    loop = asyncio.get_running_loop()
    verdicts: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []

    async def send(body: dict[str, Any], caller: Identity) -> None:
        headers = {"Authorization": f"Bearer {signed_in[caller]}"}
        async with http.post("/graphql", data=json.dumps(body), headers=headers) as response:
            text = await response.text()
        verdicts[verdict(response.status, text)] += 1
        if response.status >= 500 or any(leak in text for leak in LEAKS):
            failures.append((json.dumps(body)[:500], f"{response.status} {text[:500]}"))

    @settings(
        max_examples=OPERATIONS,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(bodies(), st.sampled_from([ANALYST, ADMIN]))
    def fuzz(body: dict[str, Any], caller: Identity) -> None:
        asyncio.run_coroutine_threadsafe(send(body, caller), loop).result(timeout=60)

    await asyncio.to_thread(fuzz)
    print(f"\n{sum(verdicts.values())} operations, per verdict:")
    for name, count in verdicts.most_common():
        print(f"{count:>8}  {name}")
    assert not failures, "\n\n".join(f"{body}\n-> {answer}" for body, answer in failures[:5])
