"""Published outputs: exactly the documented ones, each mirrored as an SSM parameter."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest

from stack_catalog.constructs.published_outputs import parameter_name, publish_outputs


@pytest.mark.parametrize(
    ("output", "leaf"),
    [("BucketName", "bucket-name"), ("KmsKeyArn", "kms-key-arn"), ("QueueUrl", "queue-url")],
)
def test_output_names_become_kebab_case_parameter_names(output: str, leaf: str) -> None:
    assert parameter_name(output) == leaf


def test_an_undocumented_or_missing_output_is_refused(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), analytics_reporting=False, stack_traces=False)
    stack = cdk.Stack(app, "Probe")

    with pytest.raises(ValueError, match="documented"):
        publish_outputs(
            stack,
            documented={"BucketName": "The bucket"},
            values={"BucketName": "b", "Extra": "x"},
            parameter_path="/datahub/sales/probe",
        )
