"""Benchmark: ``datahubctl bootstrap``'s steps over the real platform app, on moto.

Run from the repository root: ``.venv/bin/python bench/bootstrap.py``. It starts the patched
moto server (``datahubctl.local.moto``) with fake credentials, builds the Lambda bundle
(sources only: no package index is reached), synthesizes ``datahub_platform.app`` and times
the dry run on a fresh account, the first run (toolkits and network; moto stops at the first
``Fn::ImportValue``, see the README) and the re-run over what exists. Everything temporary
lives in one directory that is removed at the end.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(REPO))
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_CONFIG_FILE="/dev/null",
    AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
)

from datahub_platform.config import PlatformConfig  # noqa: E402
from rich.console import Console  # noqa: E402

from bootstrap import preflight  # noqa: E402
from bootstrap.deploy import deploy_platform  # noqa: E402
from bootstrap.destroy import destroy_platform  # noqa: E402
from bootstrap.dry_run import dry_run  # noqa: E402
from bootstrap.options import Options  # noqa: E402
from bootstrap.plan import Plan, make_plan  # noqa: E402
from bootstrap.progress import Reporter  # noqa: E402
from cdk_service.cloudformation.engine import DeployEngine  # noqa: E402
from cdk_service.cloudformation.polling import Polling  # noqa: E402
from datahubctl.local.moto import moto_server  # noqa: E402
from service_contract.errors import DatahubError  # noqa: E402
from service_contract.targets import AwsClients  # noqa: E402

T = TypeVar("T")
CONFIG = {
    "prefix": "bench",
    "account": "123456789012",
    "region": "eu-west-1",
    "allowed_ip_ranges": ["203.0.113.0/24"],
    "alarm_email": "platform-alerts@example.com",
    "service_image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/datahub-service:1.0.0",
}


def timed(what: str, step: Callable[[], T]) -> T:
    """Run one step and print how long it took."""
    started = time.perf_counter()
    try:
        return step()
    finally:
        print(f"{what:<58} {time.perf_counter() - started:7.2f} s", flush=True)


def deploy_until_moto_stops(plan: Plan, engine: DeployEngine, reporter: Reporter) -> str:
    """Deploy; the stack moto stopped at (it registers no exports), or 'all'."""
    try:
        deploy_platform(plan, engine=engine, reporter=reporter)
    except DatahubError as error:
        return str((error.details or {}).get("stack", error.code))
    return "all"


def main() -> None:
    """Print each step's time."""
    with tempfile.TemporaryDirectory(prefix="bench-bootstrap-") as workdir, moto_server() as moto:
        # moto narrates every resource type it skips and every action it lacks (with a traceback
        # per request); the figures are what this prints.
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        logging.getLogger("moto").setLevel(logging.ERROR)
        warnings.simplefilter("ignore", UserWarning)
        options = Options(
            config=PlatformConfig.from_mapping(CONFIG),
            workdir=Path(workdir),
            endpoint_url=moto.url,
            poll_seconds=0.05,
            lambda_dependencies=False,
            seed_catalog=False,
        )
        engine = DeployEngine(AwsClients(max_attempts=2), polling=Polling(first_interval=0.05))
        reporter = Reporter(Console(quiet=True))  # the figures only
        caller = timed("preflight (STS)", lambda: preflight.verify(options, engine.clients))
        plan = timed(
            "bundle + synthesize the platform app",
            lambda: make_plan(options, engine=engine, reporter=reporter, settle_origin=False),
        )
        assembly = plan.assembly
        print(f"  {len(assembly.stacks)} stacks, regions {', '.join(assembly.regions())}")
        planned = timed("dry run on a fresh account", lambda: dry_run(plan, caller, engine=engine))
        changes = sum(stack.change_count for stack in planned.stacks)
        print(f"  {len(planned.stacks)} change set previews, {changes} resource changes")
        stopped = timed("first run", lambda: deploy_until_moto_stops(plan, engine, reporter))
        print(f"  moto stopped at {stopped}")
        again = timed(
            "re-run (no changes up to there)",
            lambda: deploy_until_moto_stops(plan, engine, reporter),
        )
        print(f"  moto stopped at {again}")
        timed("dry run over what exists", lambda: dry_run(plan, caller, engine=engine))
        try:
            timed("destroy", lambda: destroy_platform(plan, engine=engine, reporter=reporter))
        except DatahubError as error:  # moto deletes the VPC before what is in it
            print(f"  destroy stopped: {error.message[:160]}")


if __name__ == "__main__":
    main()
