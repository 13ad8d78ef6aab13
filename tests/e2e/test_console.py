"""The web console end to end: ``datahubctl up`` from a bare state directory, driven by Chromium.

``frontend/e2e/run.mjs`` (playwright-core on the machine's Chromium, headless) signs in as the
demo analyst, requests an ingestion queue from the generated form, watches it deploy on moto,
finds it in search, previews a change and deploys it, destroys the stack and finds it in the
stack list by team, template and status; registers datasets through the API, pages through them
in search with the dataset facet kept, and edits one from the second page (a location the API
refuses is shown at its field, then the change is saved); then the demo admin makes the template
need approval and approves the analyst's next request from the Admin page; the analyst then
requests access to another team's dataset from its page, the admin previews the grant in the
Shares inbox and approves it, and the analyst sees it shared with you. Screenshots of the
main pages stay in ``frontend/e2e/artifacts/`` as the run's artifacts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bootstrap.frontend_build import REPOSITORY_FRONTEND
from datahubctl.local.cognito import DEMO_ADMIN, DEMO_ANALYST
from tests.local_up import running_up

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")
SCRIPT = REPOSITORY_FRONTEND / "e2e" / "run.mjs"
ARTIFACTS = REPOSITORY_FRONTEND / "e2e" / "artifacts"
SCREENSHOTS = {
    "catalog", "request-form", "stack-active", "search", "update-preview", "stack-destroyed",
    "stacks", "search-page-2", "dataset-refused", "dataset-edited", "admin",
    "stack-approved", "share-requested", "share-preview", "share-granted",
}  # fmt: skip
DEPLOY_TIMEOUT_SECONDS = 180

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(NODE is None, reason="Node.js is not installed"),
    pytest.mark.timeout(900),
]


def served_console(url: str) -> dict[str, object]:
    """The console's ``/config.json``."""
    with urllib.request.urlopen(f"{url}/config.json", timeout=10) as response:
        config: dict[str, object] = json.load(response)
    return config


@pytest.fixture(scope="module")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``datahubctl up`` (which builds the console when stale) on free ports, fresh state, from
    the moment it prints the console's address: a person may sign in then, and so does this."""
    root = tmp_path_factory.mktemp("console")
    with running_up(root, ready_seconds=300, console_announced=True) as platform:
        gateway = platform.gateway_url
        assert served_console(gateway)["graphqlUrl"] == f"{gateway}/graphql"
        yield gateway


def test_a_team_member_requests_watches_finds_and_destroys_a_stack_and_an_admin_approves_one(
    console_url: str,
):
    if not (REPOSITORY_FRONTEND / "node_modules" / "playwright-core").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=REPOSITORY_FRONTEND, check=True
        )
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    env = {
        **os.environ,
        "DATAHUB_CONSOLE_URL": console_url,
        "DATAHUB_E2E_USERNAME": DEMO_ANALYST.username,
        "DATAHUB_E2E_PASSWORD": DEMO_ANALYST.password,
        "DATAHUB_E2E_ADMIN_USERNAME": DEMO_ADMIN.username,
        "DATAHUB_E2E_ADMIN_PASSWORD": DEMO_ADMIN.password,
        "DATAHUB_E2E_STACK": "console-orders",
        "DATAHUB_E2E_TIMEOUT_MS": str(DEPLOY_TIMEOUT_SECONDS * 1000),
        "CHROMIUM": CHROMIUM,
    }
    run = subprocess.run(
        [str(NODE), str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=3 * DEPLOY_TIMEOUT_SECONDS + 240,
    )
    steps = run.stdout + run.stderr
    assert run.returncode == 0, f"{steps}\nscreenshots in {ARTIFACTS}"
    assert "e2e: passed" in run.stdout
    assert "page error" not in steps, steps
    taken = {path.stem for path in ARTIFACTS.glob("*.png")}
    assert not SCREENSHOTS - taken, f"missing screenshots: {SCREENSHOTS - taken}"
