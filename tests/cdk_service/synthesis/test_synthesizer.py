"""In-process synthesis: lookup, parameter checks, policy pack, tags, and a clean filesystem."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_timestream as timestream
from constructs import Construct
from pydantic import Field

from cdk_service.synthesis import synthesizer
from cdk_service.synthesis.models import SynthRequest, sha256_of
from service_contract.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PolicyViolation,
    UpstreamFailure,
)
from stack_catalog.contract import DeployContext, Template, TemplateParams
from stack_catalog.registry import Registry


class ProbeParams(TemplateParams):
    """One described, constrained parameter."""

    label: str = Field(default="probe", pattern=r"^[a-z]{3,10}$", description="A label")


class ProbeStack(cdk.Stack):
    """Base of the test-only stacks: the catalog constructor signature."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        params: ProbeParams,
        context: DeployContext,
        **stack_kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **stack_kwargs)
        self.build(params, context)

    def build(self, params: ProbeParams, context: DeployContext) -> None:
        """Add the stack's resources."""


class CompliantStack(ProbeStack):
    """An SSM parameter, and outputs that show where the stack was built."""

    def build(self, params: ProbeParams, context: DeployContext) -> None:
        """One SSM parameter and outputs echoing the stack's environment."""
        ssm.StringParameter(self, "Label", string_value=params.label)
        cdk.CfnOutput(self, "Account", value=self.account)
        cdk.CfnOutput(self, "Region", value=self.region)


class UnencryptedBucketStack(ProbeStack):
    """A bucket with none of the protections the policy pack requires."""

    def build(self, params: ProbeParams, context: DeployContext) -> None:
        """A plain bucket."""
        s3.Bucket(self, "Plain")


class DefaultKeyDatabaseStack(ProbeStack):
    """A Timestream database on the AWS owned key: a warning-level finding only."""

    def build(self, params: ProbeParams, context: DeployContext) -> None:
        """A Timestream database without a customer managed key."""
        timestream.CfnDatabase(self, "Metrics")


def probe_template(name: str, stack_class: type[ProbeStack]) -> Template:
    """A test-only template version whose stack class lives in this module."""
    return Template(
        name=name,
        version="1.0.0",
        title=name,
        description=f"Test-only template {name}",
        params=ProbeParams,
        stack=f"{__name__}:{stack_class.__name__}",
    )


REGISTRY = Registry(
    [
        probe_template("compliant", CompliantStack),
        probe_template("unencrypted-bucket", UnencryptedBucketStack),
        probe_template("default-key-database", DefaultKeyDatabaseStack),
    ]
)


def request(template: str, version: str = "1.0.0", **params: Any) -> SynthRequest:
    """A synth request for a test-only template, made for the code this process has."""
    context = DeployContext(
        account="123456789012",
        region="eu-west-1",
        team="sales",
        stack_name="sales-probe",
        tags={"cost-center": "4711"},
    )
    known = REGISTRY.get(template, version) is not None
    digest = REGISTRY.digest(template, version) if known else "0" * 64
    return SynthRequest(
        template=template, version=version, code_digest=digest, params=params, context=context
    )


@pytest.fixture(scope="module", autouse=True)
def warm_process() -> None:
    """One warm jsii runtime for the module."""
    synthesizer.warm()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private TMPDIR for Python code during the test; it must stay empty."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    yield private


def assembly_leftovers() -> set[str]:
    """Entries in the system temporary directory that an App without outdir would leave."""
    return {path.name for path in Path("/tmp").glob("cdk.out*")}


def test_a_compliant_stack_synthesizes_into_the_outdir(tmp_path: Path) -> None:
    outdir = tmp_path / "out"

    result = synthesizer.synthesize(request("compliant"), outdir, registry=REGISTRY)

    assert result.findings == []
    assert result.digest == sha256_of(result.template)
    assert result.duration_ms > 0
    assert result.template["Outputs"]["Account"]["Value"] == "123456789012"
    assert result.template["Outputs"]["Region"]["Value"] == "eu-west-1"
    assert (outdir / "sales-probe.template.json").exists()
    (asset,) = result.asset_manifest["files"].values()
    assert asset["source"]["path"] == "sales-probe.template.json"


def test_the_same_request_gives_the_same_template_digest(tmp_path: Path) -> None:
    first = synthesizer.synthesize(request("compliant"), tmp_path / "a", registry=REGISTRY)
    second = synthesizer.synthesize(request("compliant"), tmp_path / "b", registry=REGISTRY)

    assert first.digest == second.digest


def test_resources_carry_team_template_and_request_tags(tmp_path: Path) -> None:
    result = synthesizer.synthesize(request("compliant"), tmp_path / "out", registry=REGISTRY)
    (parameter,) = result.template["Resources"].values()

    assert parameter["Properties"]["Tags"] == {
        "cost-center": "4711",
        "datahub:team": "sales",
        "datahub:template": "compliant",
        "datahub:template-version": "1.0.0",
    }


def test_a_non_compliant_stack_is_rejected_with_its_findings(tmp_path: Path) -> None:
    with pytest.raises(PolicyViolation) as rejected:
        synthesizer.synthesize(request("unencrypted-bucket"), tmp_path / "out", registry=REGISTRY)

    rules = {finding["rule_id"] for finding in rejected.value.details}
    assert {"AwsSolutions-S1", "AwsSolutions-S10"} <= rules
    assert all(finding["level"] == "error" for finding in rejected.value.details)
    assert all(f["resource"] == "sales-probe/Plain/Resource" for f in rejected.value.details)
    assert rejected.value.code == "policy_violation"
    assert f"{len(rejected.value.details)} error-level" in rejected.value.message
    assert "AwsSolutions-S1" in rejected.value.message


def test_warnings_are_returned_without_failing_the_synth(tmp_path: Path) -> None:
    result = synthesizer.synthesize(
        request("default-key-database"), tmp_path / "out", registry=REGISTRY
    )

    assert [(f.rule_id, f.level) for f in result.findings] == [("AwsSolutions-TS3", "warning")]
    assert result.findings[0].resource == "sales-probe/Metrics"


def test_an_unknown_template_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as missing:
        synthesizer.synthesize(request("no-such-template"), tmp_path / "out", registry=REGISTRY)

    assert missing.value.code == "template_not_found"


def test_an_unknown_version_of_a_known_template_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as missing:
        synthesizer.synthesize(
            request("compliant", version="9.9.9"), tmp_path / "out", registry=REGISTRY
        )

    assert missing.value.code == "version_not_found"
    assert "9.9.9" in missing.value.message


def test_a_request_made_for_other_code_is_refused_before_anything_is_built(
    tmp_path: Path,
) -> None:
    outdir = tmp_path / "out"
    other = request("compliant").model_copy(update={"code_digest": "c0de" * 16})

    with pytest.raises(Conflict) as refused:
        synthesizer.synthesize(other, outdir, registry=REGISTRY)

    have = REGISTRY.digest("compliant", "1.0.0")
    assert refused.value.code == "code_digest_mismatch"
    assert have[:12] in refused.value.message and "c0dec0dec0de" in refused.value.message
    assert refused.value.details["worker_digest"] == have
    assert refused.value.details["requested_digest"] == "c0de" * 16
    assert not outdir.exists()


def test_bad_params_are_rejected_before_anything_is_built(tmp_path: Path) -> None:
    outdir = tmp_path / "out"

    with pytest.raises(InvalidInput) as rejected:
        synthesizer.synthesize(request("compliant", label="X"), outdir, registry=REGISTRY)

    assert rejected.value.code == "invalid_params"
    assert rejected.value.field == "label"
    assert rejected.value.details == [
        {"field": "label", "message": "String should match pattern '^[a-z]{3,10}$'"}
    ]
    assert not outdir.exists()


def test_synthesis_leaves_nothing_outside_the_outdir(tmp_path: Path, private_tmp: Path) -> None:
    before = assembly_leftovers()

    synthesizer.synthesize(request("compliant"), tmp_path / "out", registry=REGISTRY)
    with pytest.raises(PolicyViolation):
        synthesizer.synthesize(request("unencrypted-bucket"), tmp_path / "bad", registry=REGISTRY)

    assert list(private_tmp.iterdir()) == []
    assert assembly_leftovers() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "out", "tmp"]


def test_warming_leaves_nothing_behind(private_tmp: Path) -> None:
    before = assembly_leftovers()

    synthesizer.warm()

    assert list(private_tmp.iterdir()) == []
    assert assembly_leftovers() == before


def test_the_builtin_registry_is_discovered_once_per_process() -> None:
    assert synthesizer.default_registry() is synthesizer.default_registry()
    assert synthesizer.default_registry().get("data-environment", "1.0.0") is not None


def test_a_policy_pack_that_could_not_run_fails_the_synth(tmp_path: Path) -> None:
    report = tmp_path / "validation-report.json"
    crashed = {
        "pluginName": "AwsSolutions",
        "conclusion": "failure",
        "violations": [],
        "metadata": {"error": "Validation plugin 'AwsSolutions' failed: boom"},
    }
    report.write_text(json.dumps({"pluginReports": [crashed]}))

    with pytest.raises(UpstreamFailure, match="boom") as failed:
        list(synthesizer.policy_findings(report))

    assert failed.value.code == "policy_check_failed"


def test_a_missing_validation_report_fails_the_synth(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(synthesizer.policy_findings(tmp_path / "validation-report.json"))
