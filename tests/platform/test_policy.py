"""cdk-nag AwsSolutions over the whole platform: no finding left unacknowledged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stack_catalog.constructs.acknowledgements import acknowledge

POLICY_PACK = "AwsSolutions"


def pack_reports(outdir: Path) -> list[dict]:
    report = json.loads((outdir / "validation-report.json").read_text())
    return [plugin for plugin in report["pluginReports"] if plugin["pluginName"] == POLICY_PACK]


def test_the_platform_has_no_unacknowledged_finding(platform) -> None:
    assert platform.synth_error is None, platform.synth_error
    # The report lists the pack only when it found something left unacknowledged.
    for plugin in pack_reports(platform.outdir):
        findings = [
            f"{violation['ruleName']} {construct.get('constructPath')}"
            for violation in plugin["violations"]
            for construct in violation["violatingConstructs"]
        ]
        assert findings == []


def test_the_pack_reports_findings_and_an_acknowledgement_covers_only_its_construct(
    tmp_path: Path,
) -> None:
    # The control for the test above: the same plugin set-up does report, and an
    # acknowledgement of one queue does not silence the same rule on another.
    import aws_cdk as cdk
    from aws_cdk import aws_sqs as sqs
    from cdk_nag import AwsSolutionsChecks

    app = cdk.App(outdir=str(tmp_path), analytics_reporting=False)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    stack = cdk.Stack(app, "Control")
    acknowledged = sqs.Queue(stack, "Acknowledged", enforce_ssl=True)
    sqs.Queue(stack, "Unacknowledged", enforce_ssl=True)
    acknowledge(acknowledged, "AwsSolutions-SQS3", "a reason long enough to be accepted here")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    (plugin,) = pack_reports(tmp_path)
    flagged = {
        construct["constructPath"]
        for violation in plugin["violations"]
        if violation["ruleName"] == "AwsSolutions-SQS3"
        for construct in violation["violatingConstructs"]
    }
    assert flagged == {"Control/Unacknowledged/Resource"}


def test_an_acknowledgement_needs_a_reason() -> None:
    import aws_cdk as cdk

    with pytest.raises(ValueError, match="specific reason"):
        acknowledge(cdk.App(), "AwsSolutions-S1", "n/a")
