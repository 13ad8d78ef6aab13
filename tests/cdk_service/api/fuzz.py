"""Fuzzing the internal API from its own OpenAPI document, every request signed as a caller.

schemathesis makes the cases (valid ones, and invalid ones in negative mode) for each operation;
each is sent over HTTP, signed with the project's own signer, and its answer judged: a 5xx, an
answer that does not match the document (status, content type, schema) or one that shows an
internal error is a finding. Used by the suite (bounded, seeded) and by ``bench/fuzz.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from service_contract import signing
from service_contract.identity import Identity

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
LEAKS = ("internal_error", "Traceback", "aiohttp/")


@dataclass
class Verdicts:
    """Counts of requests by operation mode and verdict, and the first findings."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)

    def record(self, mode: str, verdict: str, finding: str | None = None) -> None:
        self.counts[(mode, verdict)] += 1
        if finding is not None and len(self.findings) < 20:
            self.findings.append(finding)


def signed_send(
    session: requests.Session, case: Any, base_url: str, key: bytes, identity: Identity
) -> requests.Response:
    """Send ``case`` as schemathesis would, signed as ``identity`` over what goes on the wire."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    kwargs.pop("timeout", None)
    prepared = session.prepare_request(requests.Request(**kwargs))
    body = prepared.body or b""
    body = body.encode() if isinstance(body, str) else body
    prepared.headers.update(
        signing.sign(
            key, method=prepared.method or "GET", path=prepared.path_url, body=body,
            identity=identity,
        )
    )  # fmt: skip
    return session.send(prepared, timeout=30)


def judge(case: Any, response: requests.Response) -> str | None:
    """What is wrong with the answer to ``case``, or None."""
    if any(leak in response.text for leak in LEAKS):
        return f"an internal detail in the answer: {response.text[:300]}"
    try:
        case.validate_response(response, checks=CHECKS)
    except (AssertionError, BaseExceptionGroup) as failure:  # schemathesis' FailureGroup
        return " ".join(f"{failure}".split())[:400]
    return None


def fuzz(
    document: dict[str, Any],
    base_url: str,
    *,
    key: bytes,
    identity: Identity,
    examples: int,
    seeded: bool = True,
) -> Verdicts:
    """Send ``examples`` cases of each mode to each operation; their verdicts."""
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document)))
    verdicts = Verdicts()
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            def send(case: Any) -> None:
                response = signed_send(session, case, base_url, key, identity)
                finding = judge(case, response)
                verdict = "finding" if finding else f"{response.status_code // 100}xx"
                where = f"{case.method} {case.path}"
                verdicts.record(case_mode(case), verdict, finding and f"{where}: {finding}")

            run = settings(
                max_examples=examples,
                derandomize=seeded,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(given(case=operation.as_strategy(generation_mode=mode))(send))
            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (an operation with no input)
                verdicts.record(mode.value, "no cases")
    return verdicts


def case_mode(case: Any) -> str:
    """positive or negative: how the case was made."""
    meta = getattr(case, "meta", None)
    return str(getattr(getattr(meta, "generation", None), "mode", "unknown"))
