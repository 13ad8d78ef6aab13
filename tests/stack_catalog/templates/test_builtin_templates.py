"""Every built-in template: discovered without CDK, synthesizes policy-clean with its outputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_service.synthesis.synthesizer import parse_params
from stack_catalog.contract import DeployContext
from stack_catalog.registry import Registry
from tests.stack_catalog.conftest import Synth
from tests.stack_catalog.template_queries import TEAM, deploy_context, resources

MINIMAL_PARAMS: dict[str, dict[str, Any]] = {
    "data-environment": {"environment_name": "analytics"},
    "dataset": {"dataset_name": "orders"},
    "ingestion-queue": {"queue_name": "orders-events"},
}
SSM_PREFIXES = {
    "data-environment": f"/datahub/{TEAM}/analytics/",
    "dataset": f"/datahub/{TEAM}/datasets/orders/",
    "ingestion-queue": f"/datahub/{TEAM}/queues/orders-events/",
}
BUILTINS = sorted(MINIMAL_PARAMS)
# Every built-in version is held to the same checks as its template's first.
VERSIONS = sorted(template.key for template in Registry.discover())


def test_the_registry_discovers_every_builtin_template_at_version_1_0_0() -> None:
    keys = {template.key for template in Registry.discover()}

    assert {(name, "1.0.0") for name in BUILTINS} <= keys


def test_listing_the_catalog_does_not_start_jsii() -> None:
    probe = (
        "import sys; from stack_catalog.registry import Registry; "
        "[t.json_schema() for t in Registry.discover()]; "
        "print(sorted(m for m in ('aws_cdk', 'jsii', 'constructs') if m in sys.modules))"
    )
    listed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert listed.stdout.strip() == "[]"


@pytest.mark.parametrize(("name", "version"), VERSIONS)
def test_template_synthesizes_without_error_findings(synth: Synth, name: str, version: str) -> None:
    result = synth(name, MINIMAL_PARAMS[name], version=version)

    assert result.template["Resources"]
    assert [f for f in result.findings if f.level == "error"] == []


@pytest.mark.parametrize(("name", "version"), VERSIONS)
def test_stack_emits_exactly_the_documented_outputs(synth: Synth, name: str, version: str) -> None:
    template = Registry.discover().get(name, version)
    assert template is not None
    outputs = synth(name, MINIMAL_PARAMS[name], version=version).template["Outputs"]

    assert set(outputs) == set(template.outputs)
    assert all(outputs[key]["Description"] == text for key, text in template.outputs.items())


@pytest.mark.parametrize(("name", "version"), VERSIONS)
def test_every_output_is_published_in_ssm_under_the_team(
    synth: Synth, name: str, version: str
) -> None:
    template = synth(name, MINIMAL_PARAMS[name], version=version).template
    parameters = resources(template, "AWS::SSM::Parameter").values()
    names = sorted(p["Properties"]["Name"] for p in parameters)

    assert len(names) == len(template["Outputs"])
    assert all(parameter.startswith(SSM_PREFIXES[name]) for parameter in names)
    assert f"{SSM_PREFIXES[name]}kms-key-arn" in names


@pytest.mark.parametrize(("name", "version"), VERSIONS)
def test_every_tagged_resource_carries_team_template_and_request_tags(
    synth: Synth, name: str, version: str
) -> None:
    template = synth(name, MINIMAL_PARAMS[name], version=version).template
    tagged = [
        r["Properties"]["Tags"]
        for r in template["Resources"].values()
        if "Tags" in r.get("Properties", {})
    ]
    expected = {
        "datahub:team": TEAM,
        "datahub:template": name,
        "datahub:template-version": version,
        "cost-center": "4711",
    }

    assert tagged
    for tags in tagged:
        as_dict = tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags}
        assert expected.items() <= as_dict.items()


@pytest.mark.parametrize("name", BUILTINS)
def test_every_policy_acknowledgement_gives_a_reason(
    synth: Synth, name: str, tmp_path: Path
) -> None:
    synth(name, MINIMAL_PARAMS[name])  # the same warm process the synth tests use
    acknowledgements = _acknowledgements(name, MINIMAL_PARAMS[name], tmp_path)

    assert all(len(reason.strip()) >= 20 for reason in acknowledgements.values())
    assert all(rule.startswith("Annotation::AwsSolutions-") for rule in acknowledgements)


@pytest.mark.parametrize("name", BUILTINS)
def test_wildcard_acknowledgements_name_the_one_resource_they_allow(
    synth: Synth, name: str, tmp_path: Path
) -> None:
    synth(name, MINIMAL_PARAMS[name])
    rules = _acknowledgements(name, MINIMAL_PARAMS[name], tmp_path)
    wildcard_rules = [rule for rule in rules if "AwsSolutions-IAM5" in rule]

    assert all("[Resource::" in rule for rule in wildcard_rules)


def _acknowledgements(name: str, raw_params: dict[str, Any], outdir: Path) -> dict[str, str]:
    """Rule id -> reason for every acknowledgement recorded in the stack's construct tree."""
    template = Registry.discover().get(name, "1.0.0")
    assert template is not None
    context = DeployContext.model_validate(deploy_context())
    app = cdk.App(outdir=str(outdir), analytics_reporting=False, stack_traces=False)
    stack = template.load_stack_class()(
        app, "Probe", params=parse_params(template, raw_params), context=context
    )
    found: dict[str, str] = {}
    for construct in stack.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                found.update(entry.data)
    return found
