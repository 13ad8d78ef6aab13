"""In-process synthesis of one catalog template, run inside a warm synth worker process.

aws_cdk is imported inside the functions, never at module level: importing it starts jsii's
node process, which must happen in the worker that synthesizes, not in a parent that imports
this module to name it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from pydantic import ValidationError

from cdk_service.bundles.loading import bundle_registry
from cdk_service.synthesis.models import (
    CODE_DIGEST_MISMATCH,
    Finding,
    SynthRequest,
    SynthResult,
    sha256_of,
)
from service_contract.errors import (
    UNKNOWN_PARAM,
    Conflict,
    NotFound,
    PolicyViolation,
    UpstreamFailure,
    invalid_input,
)
from stack_catalog.contract import DeployContext, Template, TemplateParams
from stack_catalog.registry import Registry

if TYPE_CHECKING:
    import aws_cdk as cdk

log = structlog.get_logger(__name__)

PACKAGE_CACHE_ROOT = "JSII_RUNTIME_PACKAGE_CACHE_ROOT"
POLICY_PACK = "AwsSolutions"
VALIDATION_REPORT = "validation-report.json"
RULES_NAMED_IN_MESSAGE = 3
APP_CONTEXT = {
    # Findings are read from the validation report; synth itself must neither raise on them
    # nor print the report to the worker's stderr.
    "@aws-cdk/core:failSynthOnValidationErrors": False,
}

_registry: Registry | None = None


def default_registry() -> Registry:
    """The templates this process's code provides, discovered once per process."""
    global _registry
    if _registry is None:
        _registry = Registry.discover()
    return _registry


def registry_for(request: SynthRequest) -> Registry:
    """The templates a request is for: the built-ins, or those of the bundle it names."""
    if request.bundle_digest is None:
        return default_registry()
    return bundle_registry(request.bundle_digest)


def synthesize(
    request: SynthRequest, outdir: Path, *, registry: Registry | None = None
) -> SynthResult:
    """Synthesize a template version into ``outdir`` and check it against the policy pack.

    Refused (``Conflict``, ``code_digest_mismatch``) when this process's code for the version
    is not the code the request was made for.
    """
    started = time.perf_counter()
    registry = registry or registry_for(request)
    template = find_template(registry, request.template, request.version)
    check_code_digest(registry, request)
    params = parse_params(template, request.params)
    stack_template, asset_manifest, findings = _synth(template, params, request.context, outdir)
    errors = [finding for finding in findings if finding.level == "error"]
    if errors:
        raise _policy_violation(template, errors)
    return SynthResult(
        template=stack_template,
        asset_manifest=asset_manifest,
        findings=findings,
        digest=sha256_of(stack_template),
        duration_ms=(time.perf_counter() - started) * 1000,
    )


def warm() -> None:
    """Start jsii, load the template stack classes and synthesize once, so real synths are fast."""
    cdk = _import_cdk()
    registry = default_registry()
    for template in registry:
        template.load_stack_class()
        # Read now, with the code just loaded: files replaced on disk later (a package upgrade
        # under a running worker) must not pass for the code this process runs.
        registry.digest(template.name, template.version)
    outdir = Path(tempfile.mkdtemp(prefix="synth-warm-"))
    try:
        app = _new_app(outdir)
        stack = cdk.Stack(app, "Warm", synthesizer=_stack_synthesizer())
        cdk.CfnWaitConditionHandle(stack, "Warm")
        app.synth()
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def find_template(registry: Registry, name: str, version: str) -> Template:
    """The template version, or ``NotFound`` saying whether the name or the version is unknown."""
    template = registry.get(name, version)
    if template is not None:
        return template
    if any(known.name == name for known in registry):
        raise NotFound(f"template {name} has no version {version}", code="version_not_found")
    raise NotFound(f"there is no template named {name}", code="template_not_found")


def check_code_digest(registry: Registry, request: SynthRequest) -> None:
    """``Conflict`` unless the request's code digest is that of this process's code."""
    have = registry.digest(request.template, request.version)
    if request.code_digest == have:
        return
    raise Conflict(
        f"this synth worker has code {have[:12]} for {request.template} {request.version}, "
        f"not the code {request.code_digest[:12]} the request was made for: it runs another "
        "release of the templates; a worker with that code must synthesize it",
        code=CODE_DIGEST_MISMATCH,
        details={
            "template": request.template,
            "version": request.version,
            "requested_digest": request.code_digest,
            "worker_digest": have,
        },
    )


def parse_params(template: Template, raw: Mapping[str, Any]) -> TemplateParams:
    """Validated parameters, or ``InvalidInput`` naming every field at fault."""
    try:
        return template.parse_params(raw)
    except ValidationError as exc:
        what = f"parameters for {template.name} {template.version}"
        raise invalid_input(exc, code="invalid_params", what=what, unknown=UNKNOWN_PARAM) from exc


def usable_package_cache() -> None:
    """Drop a ``JSII_RUNTIME_PACKAGE_CACHE_ROOT`` this process cannot write, with a warning.

    jsii refuses to start on a cache root it cannot create or write (``import aws_cdk`` raises
    a JSIIError): without the setting it falls back to its default cache, so a misconfigured
    cache costs an unpack per worker instead of every synth.
    """
    root = os.environ.get(PACKAGE_CACHE_ROOT)
    if not root:
        return
    try:
        Path(root).mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=root).close()
    except OSError as error:
        log.warning("jsii_package_cache_unusable", root=root, error=str(error))
        del os.environ[PACKAGE_CACHE_ROOT]


def _import_cdk() -> Any:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    if "aws_cdk" not in sys.modules:  # jsii reads its settings once, when it starts
        usable_package_cache()
    import aws_cdk

    return aws_cdk


def _new_app(outdir: Path) -> cdk.App:
    cdk = _import_cdk()
    from cdk_nag import AwsSolutionsChecks

    app = cdk.App(
        outdir=str(outdir),
        context=APP_CONTEXT,
        analytics_reporting=False,
        # CloudFormation schema checks only ever warn, cost ~10 ms a synth, and the change set
        # validates the template anyway; construct traces and tree.json are for humans.
        builtin_cloud_formation_validation=False,
        stack_traces=False,
        tree_metadata=False,
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


def _stack_synthesizer() -> cdk.DefaultStackSynthesizer:
    cdk = _import_cdk()
    return cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)


def _synth(
    template: Template, params: TemplateParams, context: DeployContext, outdir: Path
) -> tuple[dict[str, Any], dict[str, Any], list[Finding]]:
    cdk = _import_cdk()
    app = _new_app(outdir)
    stack = template.load_stack_class()(
        app,
        context.stack_name,
        params=params,
        context=context,
        synthesizer=_stack_synthesizer(),
        env=cdk.Environment(account=context.account, region=context.region),
        stack_name=context.stack_name,
        description=f"DATAHUB {template.name} {template.version}: {template.title}",
    )
    _tag(stack, template, context)
    app.synth()
    artifact_id = stack.artifact_id
    return (
        _read_json(outdir / f"{artifact_id}.template.json"),
        _read_json(outdir / f"{artifact_id}.assets.json"),
        list(policy_findings(outdir / VALIDATION_REPORT)),
    )


def _tag(stack: cdk.Stack, template: Template, context: DeployContext) -> None:
    cdk = _import_cdk()
    tags = {
        **context.tags,
        "datahub:team": context.team,
        "datahub:template": template.name,
        "datahub:template-version": template.version,
    }
    stack_tags = cdk.Tags.of(stack)
    for key, value in tags.items():
        stack_tags.add(key, value)


def _read_json(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text())
    return result


def policy_findings(report_path: Path) -> Iterator[Finding]:
    """The policy pack's findings in a cloud assembly's validation report."""
    # A missing report or a pack that crashed must fail the synth, never pass it unchecked.
    report = _read_json(report_path)
    for plugin in report["pluginReports"]:
        if plugin["pluginName"] != POLICY_PACK:
            continue
        if plugin["conclusion"] == "failure" and not plugin["violations"]:
            error = plugin.get("metadata", {}).get("error", "no reason given")
            raise UpstreamFailure(
                f"the {POLICY_PACK} policy pack did not run: {error}", code="policy_check_failed"
            )
        for violation in plugin["violations"]:
            level = "error" if violation["severity"] in ("error", "fatal") else "warning"
            for construct in violation.get("violatingConstructs", []):
                yield Finding(
                    rule_id=violation["ruleName"],
                    level=level,
                    resource=construct.get("constructPath", ""),
                    message=violation.get("description", ""),
                )


def _policy_violation(template: Template, errors: list[Finding]) -> PolicyViolation:
    rules = list(dict.fromkeys(finding.rule_id for finding in errors))
    named = ", ".join(rules[:RULES_NAMED_IN_MESSAGE])
    unnamed = len(rules) - RULES_NAMED_IN_MESSAGE
    more = f" and {unnamed} more" if unnamed > 0 else ""
    return PolicyViolation(
        f"{template.name} {template.version} breaks the {POLICY_PACK} policy pack with "
        f"{len(errors)} error-level finding(s): {named}{more}",
        details=[finding.model_dump() for finding in errors],
    )
