"""What goes into a synth and what comes out: plain data that crosses process boundaries."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from stack_catalog.contract import DeployContext

# The error code of a synth refused because the worker's template code is not the request's
# (a rolling deploy mixes releases): another worker may have the right code.
CODE_DIGEST_MISMATCH = "code_digest_mismatch"
# The error code of a deployment's synth on a worker whose release has no such template version,
# though the catalog has it (a rolling deploy: a newer release published it).
VERSION_NOT_ON_WORKER = "version_not_on_worker"
# A deployment's synth refused with one of these is handed back for a worker of another release.
ANOTHER_RELEASE_MAY_SYNTH = frozenset({CODE_DIGEST_MISMATCH, VERSION_NOT_ON_WORKER})


def canonical_json(value: Any) -> bytes:
    """Stable JSON bytes for hashing: sorted keys, no whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()


def sha256_of(value: Any) -> str:
    """SHA-256 hex digest of a value's canonical JSON."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


class SynthRequest(BaseModel):
    """One synth: a template version, validated params and where it will be deployed."""

    model_config = ConfigDict(frozen=True)

    template: str
    version: str
    code_digest: str = Field(description="Digest of the template version's code")
    bundle_digest: str | None = Field(
        default=None, description="The bundle that holds the code; None for a built-in"
    )
    params: dict[str, Any] = Field(description="Parameters, already validated against the schema")
    context: DeployContext

    def cache_key(self) -> str:
        """Identical input gives an identical key, whatever order the params came in."""
        return sha256_of(self.model_dump(mode="json"))


class Finding(BaseModel):
    """One cdk-nag finding."""

    rule_id: str
    level: Literal["error", "warning"]
    resource: str = Field(description="Construct path of the resource at fault")
    message: str


class SynthResult(BaseModel):
    """A synthesized stack: its CloudFormation template, assets and policy findings."""

    template: dict[str, Any]
    asset_manifest: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    digest: str = Field(description="SHA-256 of the template's canonical JSON")
    duration_ms: float = 0.0
    cached: bool = False


class Synthesizer(Protocol):
    """Anything that turns a synth request into a result (the cached warm pool, in practice)."""

    @property
    def ready(self) -> bool: ...

    async def synth(self, request: SynthRequest) -> SynthResult: ...

    def stats(self) -> dict[str, Any]: ...
