"""Which service image the platform runs: the configured one, or one built in the account."""

from __future__ import annotations

from datahub_platform.config import PlatformConfig

from bootstrap import messages
from bootstrap.assembly import PlatformAssembly

IMAGE_BUILD_TYPE = "Custom::ServiceImage"
REPOSITORY_TYPE = "AWS::ECR::Repository"


def image_said(assembly: PlatformAssembly, config: PlatformConfig) -> str | None:
    """What the run does for the service image; None for an app that runs none."""
    for stack in assembly.stacks:
        resources = stack.template.get("Resources", {}).values()
        if any(resource["Type"] == IMAGE_BUILD_TYPE for resource in resources):
            repositories = [
                str(r.get("Properties", {}).get("RepositoryName", "?"))
                for r in resources
                if r["Type"] == REPOSITORY_TYPE
            ]
            return messages.image_built(stack.stack_name, repositories)
    if config.service_image is not None:
        return messages.image_given(config.service_image)
    return None
