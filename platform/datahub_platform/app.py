"""The base platform's CDK app: every stack, wired in dependency order from one configuration."""

from __future__ import annotations

import os
from pathlib import Path

from datahub_platform.config import PlatformConfig

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk

STACK_ORDER: tuple[str, ...] = (
    "Network",
    "Data",
    "Search",
    "Queue",
    "Service",
    "BackendApi",
    "MetadataApi",
    "Workers",
    "Setup",
    "EdgeFirewall",
    "Frontend",
    "Monitoring",
)
"""Stack ids (cloud assembly artifact ids) in deployment order: each needs only earlier ones."""


def stack_name(config: PlatformConfig, stack_id: str) -> str:
    """The CloudFormation stack name of one of the platform's stacks."""
    words = "".join(f"-{c.lower()}" if c.isupper() else c for c in stack_id).lstrip("-")
    return f"{config.prefix}-{words}"


def build_app(config: PlatformConfig, outdir: Path | str | None = None) -> cdk.App:
    """The CDK app of the whole base platform; ``outdir`` is where ``app.synth()`` writes."""
    app = cdk.App(
        outdir=str(outdir) if outdir is not None else None,
        analytics_reporting=False,
    )
    return app
