"""A long fuzzing run of the internal API, against a running ``datahubctl up``.

    .venv/bin/datahubctl up            # in one terminal
    .venv/bin/python bench/fuzz.py [--examples 120] [--seed]

Every operation of ``/v1/openapi.json`` gets ``--examples`` valid and invalid cases from
schemathesis, signed as an admin and as a team member with the service key of the state
directory (the CLI's), as the suite's bounded run does (tests/cdk_service/api/fuzz.py). Prints
the requests per mode and verdict and the first findings; exits 1 if there were any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdk_service.settings import Settings
from service_contract import signing
from service_contract.identity import Identity
from tests.cdk_service.api.fuzz import Verdicts, fuzz

CALLERS = (
    Identity(user="fuzz-admin", groups=frozenset({"admins"})),
    Identity(user="fuzz-analyst", groups=frozenset({"analytics"})),
)


def document(base_url: str, key: bytes) -> dict:  # type: ignore[type-arg]
    """The service's OpenAPI document, fetched signed."""
    headers = signing.sign(
        key, method="GET", path="/v1/openapi.json", body=b"", identity=CALLERS[0]
    )
    answer = requests.get(f"{base_url}/v1/openapi.json", headers=headers, timeout=30)
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]


def report(caller: Identity, verdicts: Verdicts, seconds: float) -> None:
    total = sum(verdicts.counts.values())
    print(f"{caller.user}: {total} requests in {seconds:.0f} s ({total / seconds:.0f}/s)")
    for (mode, verdict), count in sorted(verdicts.counts.items()):
        print(f"  {mode:<9} {verdict:<9} {count:>7}")
    for finding in verdicts.findings:
        print(f"  FINDING {finding}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=120, help="cases per operation and mode")
    parser.add_argument("--seed", action="store_true", help="derandomize (the suite's cases)")
    arguments = parser.parse_args()
    settings = Settings()
    base_url, key = settings.service_url.rstrip("/"), settings.resolved_service_key()
    spec = document(base_url, key)
    found = 0
    for caller in CALLERS:
        started = time.perf_counter()
        verdicts = fuzz(
            spec, base_url, key=key, identity=caller, examples=arguments.examples,
            seeded=arguments.seed,
        )  # fmt: skip
        report(caller, verdicts, time.perf_counter() - started)
        found += sum(n for (_, verdict), n in verdicts.counts.items() if verdict == "finding")
    print(f"findings: {found}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
