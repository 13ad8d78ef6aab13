"""Run in a fresh synth worker process: import a bundle, check the contract, synthesize examples.

``python -c BOOTSTRAP SYS_PATH ARCHIVE DIGEST REPORT``: the report (JSON) goes to a file, so
whatever the bundle's code prints cannot be taken for it.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from cdk_service.bundles.contract_check import CONTRACT_INVALID, contract_problems
from cdk_service.bundles.loading import BundleRegistry, load_bundle
from cdk_service.synthesis import synthesizer
from cdk_service.synthesis.models import SynthRequest
from service_contract.errors import DatahubError, PolicyViolation
from stack_catalog.contract import DeployContext, Template

SYNTH_FAILED = "bundle_synth_failed"
EXAMPLE_CONTEXT = DeployContext(
    account="123456789012", region="us-east-1", team="example", stack_name="BundleCheck"
)


def describe(template: Template) -> dict[str, Any]:
    """What the catalog stores about a template version."""
    return {
        "name": template.name,
        "version": template.version,
        "title": template.title,
        "description": template.description,
        "params_schema": template.json_schema(),
        "outputs": dict(template.outputs),
    }


def check_template(registry: BundleRegistry, template: Template, workdir: Path) -> dict[str, Any]:
    """One template's contract problems, or its example synth's findings."""
    key = f"{template.name}@{template.version}"
    example = registry.example_params(template)
    problems = [
        {"code": CONTRACT_INVALID, "template": key, "message": problem}
        for problem in contract_problems(template, example)
    ]
    report: dict[str, Any] = {**describe(template), "problems": problems, "findings": []}
    if problems:
        return report
    request = SynthRequest(
        template=template.name,
        version=template.version,
        code_digest=registry.bundle_digest,
        bundle_digest=registry.bundle_digest,
        params=dict(example or {}),
        context=EXAMPLE_CONTEXT,
    )
    outdir = Path(tempfile.mkdtemp(prefix="check-", dir=workdir))
    try:
        result = synthesizer.synthesize(request, outdir, registry=registry)
        report["findings"] = [finding.model_dump() for finding in result.findings]
        report["cloudformation"] = result.template
    except PolicyViolation as violation:
        report["findings"] = violation.details or []
        problems.append({"code": SYNTH_FAILED, "template": key, "message": violation.message})
    except Exception as error:
        message = f"{type(error).__name__}: {getattr(error, 'message', error)}"
        problems.append({"code": SYNTH_FAILED, "template": key, "message": message})
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    return report


def check(archive: Path, digest: str, workdir: Path) -> dict[str, Any]:
    """The whole report: the bundle's templates, each with its problems and findings."""
    try:
        registry = load_bundle(archive, digest, workdir / "unpacked")
    except DatahubError as error:
        return {"templates": [], "problems": [{"code": error.code, "message": error.message}]}
    if len(registry) == 0:
        problem = {"code": CONTRACT_INVALID, "message": "the package declares no TEMPLATES"}
        return {"templates": [], "problems": [problem]}
    templates = [check_template(registry, template, workdir) for template in registry]
    return {"templates": templates, "problems": [p for t in templates for p in t["problems"]]}


def main(argv: list[str]) -> int:
    """Entry point: ``ARCHIVE DIGEST REPORT``."""
    archive, digest, report_path = argv
    sys.stdout = sys.stderr  # the bundle's prints go to the log, never into the report
    workdir = Path(tempfile.mkdtemp(prefix="bundle-check-"))
    try:
        report = check(Path(archive), digest, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    Path(report_path).write_text(json.dumps(report, default=str))
    return 0
