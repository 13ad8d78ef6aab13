"""AWS's own specifications, through cfn-lint, over every template the platform synthesizes:
each stack of the platform app in its region, and each built-in catalog template version."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.platform.cfn_lint_accepted import ACCEPTED, accepted

CATALOG_REGION = "eu-west-1"


@dataclass(frozen=True)
class LintFinding:
    """One cfn-lint match, named by template and resource."""

    template: str
    rule_id: str
    logical_id: str
    message: str

    @property
    def error(self) -> bool:
        """Errors (E...) mean CloudFormation or the service would refuse the template."""
        return self.rule_id.startswith("E")

    def __str__(self) -> str:
        return f"{self.template} {self.rule_id} {self.logical_id}: {self.message}"


def lint(name: str, template: dict[str, Any], region: str) -> list[LintFinding]:
    """cfn-lint's findings on one template, for its region."""
    from cfnlint.api import lint as cfn_lint

    found = []
    for match in cfn_lint(json.dumps(template), regions=[region]):
        path = list(getattr(match, "path", None) or [])
        logical_id = str(path[1]) if len(path) > 1 and path[0] == "Resources" else ""
        found.append(LintFinding(name, match.rule.id, logical_id, match.message))
    return found


def example_params(template: Any) -> dict[str, Any]:
    """The template's required parameters, each filled with its schema's first example."""
    schema = template.json_schema()
    return {name: schema["properties"][name]["examples"][0] for name in schema.get("required", [])}


def catalog_templates(outdir: Path) -> dict[str, dict[str, Any]]:
    """Every built-in template version, synthesized for a team as a user would order it."""
    from cdk_service.synthesis import synthesizer
    from cdk_service.synthesis.models import SynthRequest
    from stack_catalog.registry import Registry
    from tests.stack_catalog.template_queries import deploy_context

    synthesizer.warm()
    registry = Registry.discover()
    templates = {}
    for template in registry:
        request = SynthRequest(
            template=template.name,
            version=template.version,
            code_digest=registry.digest(template.name, template.version),
            params=example_params(template),
            context=deploy_context(region=CATALOG_REGION),
        )
        folder = outdir / f"{template.name}-{template.version}"
        try:
            result = synthesizer.synthesize(request, folder, registry=registry)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        templates[f"{template.name}@{template.version}"] = result.template
    return templates


@pytest.fixture(scope="module")
def findings(platform, tmp_path_factory: pytest.TempPathFactory) -> list[LintFinding]:
    """cfn-lint over every platform stack (in its region) and every catalog template version."""
    found: list[LintFinding] = []
    for stack_id, artifact in platform.manifest()["artifacts"].items():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        region = artifact["environment"].rsplit("/", 1)[-1]
        found += lint(stack_id, platform.template_json(stack_id), region)
    outdir = tmp_path_factory.mktemp("catalog-lint")
    for name, template in catalog_templates(outdir).items():
        found += lint(name, template, CATALOG_REGION)
    return found


def test_aws_would_accept_every_template(findings: list[LintFinding]) -> None:
    errors = [str(finding) for finding in findings if finding.error]
    assert errors == []


def test_every_warning_is_fixed_or_accepted_with_its_reason(findings: list[LintFinding]) -> None:
    unexplained = [
        str(finding)
        for finding in findings
        if not finding.error
        and accepted(finding.rule_id, finding.template.split("@")[0], finding.logical_id) is None
    ]
    assert unexplained == []


def test_no_accepted_warning_outlives_its_reason(findings: list[LintFinding]) -> None:
    def matches(key: tuple[str, str, str], finding: LintFinding) -> bool:
        rule, where, prefix = key
        template = finding.template.split("@")[0]
        return (
            rule == finding.rule_id
            and where in ("*", template)
            and (prefix == "*" or finding.logical_id.startswith(prefix))
        )

    stale = [key for key in ACCEPTED if not any(matches(key, f) for f in findings)]
    assert stale == []
