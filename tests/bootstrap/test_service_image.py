"""What the dry run says of the service image: the configured one, or built in the account."""

from __future__ import annotations

from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap.assembly import PlatformAssembly
from bootstrap.service_image import image_said


def assembly_of(templates: dict[str, dict]) -> PlatformAssembly:
    from bootstrap.assembly import PlatformStack

    stacks = [
        PlatformStack.model_construct(artifact_id=name, stack_name=f"dh-{name.lower()}",
                                      template=template)
        for name, template in templates.items()
    ]  # fmt: skip
    return PlatformAssembly.model_construct(directory=Path("."), stacks=stacks)


def test_a_configured_image_is_named_and_nothing_is_built(config: PlatformConfig) -> None:
    said = image_said(assembly_of({"Service": {"Resources": {}}}), config)
    assert said == f"{config.service_image} (service_image in the configuration): nothing is built"


def test_without_one_the_build_and_its_repository_are_said(config: PlatformConfig) -> None:
    resources = {
        "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "dh/service"}},
        "Image": {"Type": "Custom::ServiceImage", "Properties": {}},
    }
    building = config.model_copy(update={"service_image": None})
    said = image_said(assembly_of({"Service": {"Resources": resources}}), building)
    assert said is not None and said.startswith("built in the account")
    assert "dh-service stack's CodeBuild project" in said and "dh/service" in said


def test_an_app_without_a_service_says_nothing(config: PlatformConfig) -> None:
    building = config.model_copy(update={"service_image": None})
    assert image_said(assembly_of({"Queue": {"Resources": {}}}), building) is None
