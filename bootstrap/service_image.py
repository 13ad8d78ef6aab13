"""Which service image the platform runs: the configured one, or one built in the account."""

from __future__ import annotations

from datahub_platform.config import PlatformConfig

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
            return (
                "built in the account (no service_image configured): the "
                f"{stack.stack_name} stack's CodeBuild project runs the repository's "
                f"Dockerfile and pushes to ECR repository {', '.join(repositories)} (scan on "
                "push, immutable tags); the tasks run the image by digest"
            )
    if config.service_image is not None:
        return f"{config.service_image} (service_image in the configuration): nothing is built"
    return None
