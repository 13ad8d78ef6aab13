"""Stack outputs, emitted as CloudFormation outputs and published as SSM parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ssm as ssm
from constructs import Construct


def parameter_name(output_name: str) -> str:
    """The SSM parameter leaf for an output: ``BucketName`` becomes ``bucket-name``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", output_name).lower()


def publish_outputs(
    stack: cdk.Stack,
    *,
    documented: Mapping[str, str],
    values: Mapping[str, str],
    parameter_path: str,
) -> None:
    """Emit exactly the documented outputs, each also as ``<parameter_path>/<name>`` in SSM."""
    if set(values) != set(documented):
        raise ValueError(
            f"outputs {sorted(values)} differ from the documented {sorted(documented)}"
        )
    parameters = Construct(stack, "PublishedOutputs")
    for name, description in documented.items():
        cdk.CfnOutput(stack, name, value=values[name], description=description)
        ssm.StringParameter(
            parameters,
            name,
            parameter_name=f"{parameter_path}/{parameter_name(name)}",
            string_value=values[name],
            description=description,
        )
