"""Checking a bundle as publishing will: in a fresh synth worker process, never in this one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from cdk_service.bundles.archive import Bundle
from service_contract.errors import InvalidInput

BOOTSTRAP = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from cdk_service.synthesis.bundle_check import main; sys.exit(main(sys.argv[2:]))"
)


class CheckedTemplate(BaseModel):
    """One template version of a checked bundle, as the catalog stores it."""

    name: str
    version: str
    title: str
    description: str
    params_schema: dict[str, Any]
    outputs: dict[str, str]
    problems: list[dict[str, Any]] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    cloudformation: dict[str, Any] | None = Field(
        default=None, description="The example synth's template, for linting"
    )


class CheckReport(BaseModel):
    """What the check found: the templates, and any problems that refuse the bundle."""

    templates: list[CheckedTemplate] = Field(default_factory=list)
    problems: list[dict[str, Any]] = Field(default_factory=list)

    def refusal(self) -> InvalidInput | None:
        """The error that refuses the bundle (the first problem's code), if any."""
        if not self.problems:
            return None
        first = self.problems[0]
        lines = "; ".join(
            f"{p['template'] + ': ' if p.get('template') else ''}{p['message']}"
            for p in self.problems
        )
        details = {
            "problems": self.problems,
            "findings": [f for t in self.templates for f in t.findings],
        }
        return InvalidInput(
            f"the bundle was refused: {lines}", code=first["code"], field="bundle", details=details
        )


async def check_bundle(bundle: Bundle, *, timeout_seconds: float) -> CheckReport:
    """Import, contract check and example synth of every template, in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="bundle-upload-") as folder:
        archive = Path(folder) / f"{bundle.digest}.zip"
        archive.write_bytes(bundle.archive)
        report = Path(folder) / "report.json"
        await _run_check(archive, bundle.digest, report, timeout_seconds)
        return CheckReport.model_validate_json(report.read_text())


async def _run_check(archive: Path, digest: str, report: Path, timeout_seconds: float) -> None:
    # Template code runs with none of the service's settings or secrets in reach.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAHUB_")}
    env["TMPDIR"] = str(archive.parent)
    command = [sys.executable, "-c", BOOTSTRAP, json.dumps(sys.path)]
    process = await asyncio.create_subprocess_exec(
        *command,
        str(archive),
        digest,
        str(report),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
        process_group=0,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout_seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        await process.wait()
        raise InvalidInput(
            f"checking the bundle took over {timeout_seconds:.0f} s", code="bundle_synth_failed"
        ) from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)  # jsii's node child, if it outlived the check
    if process.returncode != 0 or not report.exists():
        tail = output.decode(errors="replace")[-2000:]
        # The bundle's code ended the process (exit at import, a crash): it fails to import.
        raise InvalidInput(
            f"the bundle's code ended the check process ({process.returncode}): {tail}",
            code="bundle_import_failed",
            field="bundle",
        )
