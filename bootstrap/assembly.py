"""The platform's cloud assembly: synthesize the CDK app once, then read its stacks as data."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bootstrap import messages
from cdk_service.cloudformation.assets import is_stack_template
from service_contract.errors import InvalidInput
from service_contract.targets import CDK_QUALIFIER

STACK_ARTIFACT = "aws:cloudformation:stack"
ASSET_MANIFEST = "cdk:asset-manifest"
ENVIRONMENT = re.compile(r"^aws://(?P<account>[^/]+)/(?P<region>[^/]+)$")
QUALIFIED_NAME = re.compile(r"cdk-(?P<qualifier>[a-z0-9]+)-(?:cfn-exec-role|deploy-role|assets)-")


class PlatformStack(BaseModel):
    """One stack of the assembly: where it goes, its template and its file assets."""

    model_config = ConfigDict(frozen=True)

    artifact_id: str = Field(description="The stack's id in the CDK app (an entry of STACK_ORDER)")
    stack_name: str
    account: str
    region: str
    template: dict[str, Any]
    asset_manifest: dict[str, Any] = Field(default_factory=dict)
    depends_on: tuple[str, ...] = Field(default=(), description="Artifact ids of other stacks")
    tags: dict[str, str] = Field(default_factory=dict)
    termination_protection: bool = False
    qualifier: str = CDK_QUALIFIER

    @property
    def file_asset_count(self) -> int:
        """How many file assets the stack publishes (its own template left out)."""
        files = self.asset_manifest.get("files") or {}
        return sum(1 for asset in files.values() if not is_stack_template(asset))


class PlatformAssembly(BaseModel):
    """The synthesized platform: its folder and its stacks in deployment order."""

    model_config = ConfigDict(frozen=True)

    directory: Path
    stacks: tuple[PlatformStack, ...]

    def regions(self) -> list[str]:
        """Every region a stack deploys to, the first stack's region first."""
        return list(dict.fromkeys(stack.region for stack in self.stacks))

    def qualifiers(self) -> set[str]:
        """The CDK bootstrap qualifiers the stacks expect (one, normally)."""
        return {stack.qualifier for stack in self.stacks}


def synthesize(config: Any, outdir: Path, app: ModuleType) -> PlatformAssembly:
    """Synthesize the app module's ``build_app(config)`` into a fresh ``outdir``, read it back.

    ``app`` is ``datahub_platform.app`` (or a module with the same ``build_app`` and
    ``STACK_ORDER``); importing it starts jsii, so import it only where synthesis happens.
    """
    from aws_cdk import AssetStaging  # here: jsii starts with the synth, not at import

    if outdir.exists():
        shutil.rmtree(outdir)
    # CDK stages an asset once per folder and process: a folder emptied and synthesized into
    # again in this process would otherwise get none of its assets, only a manifest naming them.
    AssetStaging.clear_asset_hash_cache()
    app.build_app(config, outdir=outdir).synth()
    return read_assembly(outdir, app.STACK_ORDER, default_account=config.account)


def read_assembly(
    directory: Path, order: Sequence[str], *, default_account: str
) -> PlatformAssembly:
    """The stacks of a synthesized assembly, ordered by ``order`` (the app's STACK_ORDER)."""
    manifest = _load_json(directory / "manifest.json")
    artifacts: Mapping[str, Any] = manifest.get("artifacts") or {}
    stacks = {
        artifact_id: _stack(directory, artifacts, artifact_id, default_account)
        for artifact_id, artifact in artifacts.items()
        if artifact.get("type") == STACK_ARTIFACT
    }
    unknown = sorted(set(stacks) - set(order))
    if unknown:
        raise InvalidInput(
            messages.unordered_stacks(unknown),
            code="platform_stack_unordered",
        )
    ordered = [stacks[artifact_id] for artifact_id in order if artifact_id in stacks]
    _check_dependencies_come_first(ordered)
    return PlatformAssembly(directory=directory, stacks=tuple(ordered))


def _stack(
    directory: Path, artifacts: Mapping[str, Any], artifact_id: str, default_account: str
) -> PlatformStack:
    artifact = artifacts[artifact_id]
    properties = artifact.get("properties") or {}
    environment = ENVIRONMENT.match(str(artifact.get("environment", "")))
    if environment is None or environment["region"].startswith("unknown-"):
        raise InvalidInput(
            messages.stack_without_region(artifact_id),
            code="platform_stack_without_region",
        )
    account = environment["account"]
    dependencies = artifact.get("dependencies") or []
    asset_manifests = [
        _load_json(directory / artifacts[dep]["properties"]["file"])
        for dep in dependencies
        if artifacts.get(dep, {}).get("type") == ASSET_MANIFEST
    ]
    return PlatformStack(
        artifact_id=artifact_id,
        stack_name=properties.get("stackName") or artifact_id,
        account=default_account if account.startswith("unknown-") else account,
        region=environment["region"],
        template=_load_json(directory / properties["templateFile"]),
        asset_manifest=_merged(asset_manifests),
        depends_on=tuple(
            dep for dep in dependencies if artifacts.get(dep, {}).get("type") == STACK_ARTIFACT
        ),
        tags=dict(properties.get("tags") or {}),
        termination_protection=bool(properties.get("terminationProtection")),
        qualifier=_qualifier(properties),
    )


def _qualifier(properties: Mapping[str, Any]) -> str:
    for key in ("cloudFormationExecutionRoleArn", "assumeRoleArn", "stackTemplateAssetObjectUrl"):
        found = QUALIFIED_NAME.search(str(properties.get(key, "")))
        if found:
            return found["qualifier"]
    return CDK_QUALIFIER


def _merged(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {"files": {}, "dockerImages": {}}
    for manifest in manifests:
        merged["files"].update(manifest.get("files") or {})
        merged["dockerImages"].update(manifest.get("dockerImages") or {})
    return merged


def _check_dependencies_come_first(ordered: list[PlatformStack]) -> None:
    placed: set[str] = set()
    for stack in ordered:
        late = [dep for dep in stack.depends_on if dep not in placed]
        if late:
            raise InvalidInput(
                messages.stack_ordered_too_early(stack.artifact_id, late),
                code="platform_stack_order",
            )
        placed.add(stack.artifact_id)


def _load_json(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded
