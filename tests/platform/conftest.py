"""One synthesis of the whole platform per test session (jsii synth takes tens of seconds)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from datahub_platform.config import PlatformConfig

CONFIG = {
    "prefix": "dh-test",
    "account": "111122223333",
    "region": "eu-west-1",
    "allowed_ip_ranges": ["203.0.113.0/24", "2001:db8::/32"],
    "alarm_email": "platform-alerts@example.com",
}
# Without service_image: CodeBuild builds the image in the account (the default path).
CONFIGURED_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/datahub-service:1.4.0"
CONSOLE_ORIGIN = "https://d111111abcdef8.cloudfront.net"


@dataclass(frozen=True)
class SynthesizedPlatform:
    """The cloud assembly of the platform, synthesized with the AwsSolutions checks."""

    config: PlatformConfig
    outdir: Path
    synth_error: str | None

    def template_json(self, stack_id: str) -> dict[str, Any]:
        """A stack's CloudFormation template."""
        result: dict[str, Any] = json.loads((self.outdir / f"{stack_id}.template.json").read_text())
        return result

    def template(self, stack_id: str) -> Any:
        """A stack's template for ``aws_cdk.assertions``."""
        from aws_cdk import assertions

        return assertions.Template.from_json(self.template_json(stack_id))

    def resources(self, stack_id: str, resource_type: str) -> dict[str, dict[str, Any]]:
        """The resources of one type in a stack, by logical id."""
        return {
            logical_id: resource
            for logical_id, resource in self.template_json(stack_id)["Resources"].items()
            if resource["Type"] == resource_type
        }

    def manifest(self) -> dict[str, Any]:
        """The cloud assembly manifest."""
        result: dict[str, Any] = json.loads((self.outdir / "manifest.json").read_text())
        return result


@pytest.fixture(scope="session")
def console_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A console as ``npm run build`` leaves it: index.html, hashed chunks, a source map."""
    dist = tmp_path_factory.mktemp("console-dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text('<script type="module" src="/assets/index-3f9a1c.js">')
    (dist / "assets" / "index-3f9a1c.js").write_text("console.log('console')")
    (dist / "assets" / "index-3f9a1c.js.map").write_text("{}")
    return dist


@pytest.fixture(scope="session")
def platform_config(console_dist: Path) -> PlatformConfig:
    """A valid configuration with IPv4 and IPv6 allowed ranges, default sizing, a built console
    whose CloudFront origin is known (as after the first install)."""
    return PlatformConfig.from_mapping(
        {**CONFIG, "console_dist": str(console_dist), "console_origin": CONSOLE_ORIGIN}
    )


@pytest.fixture(scope="session")
def platform(
    platform_config: PlatformConfig, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SynthesizedPlatform]:
    """The whole platform, synthesized once with cdk-nag's AwsSolutions pack."""
    import aws_cdk as cdk
    from cdk_nag import AwsSolutionsChecks
    from datahub_platform.app import build_app

    outdir = tmp_path_factory.mktemp("platform-assembly")
    app = build_app(platform_config, outdir)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    synth_error = None
    try:
        app.synth()
    except RuntimeError as exc:
        # Templates are written before validation fails: the policy test reports the findings.
        if "ValidationFailed" not in str(exc):
            raise
        synth_error = str(exc)
    yield SynthesizedPlatform(platform_config, outdir, synth_error)
