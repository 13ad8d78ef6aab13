"""One run's options: the platform's configuration and how the run reaches and builds it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap.results import FRONTEND_STACK
from bootstrap.toolkit import Toolkit
from service_contract.targets import Target

PLATFORM_APP = "datahub_platform.app"


def new_run_id() -> str:
    """A run's id: names its change sets (letters, digits and hyphens), unique to the run."""
    # The time alone repeats for runs started within a second: the later run would take up the
    # earlier run's change sets by name (moto keeps executed ones) and redeploy or preview those.
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Options:
    """What the operator asked for, fixed for the whole run."""

    config: PlatformConfig
    workdir: Path
    endpoint_url: str | None = None
    app_module: str = PLATFORM_APP
    poll_seconds: float = 2.0
    seed_catalog: bool = True
    lambda_dependencies: bool = True
    build_console: bool = True
    run_id: str = field(default_factory=new_run_id)
    frontend_stack: str = FRONTEND_STACK

    def target(self, region: str, toolkit: Toolkit | None = None) -> Target:
        """Where to deploy in ``region``; with a toolkit, through its bucket and execution role."""
        if toolkit is None:
            return Target(
                account=self.config.account, region=region, endpoint_url=self.endpoint_url
            )
        return Target(
            account=self.config.account,
            region=region,
            endpoint_url=self.endpoint_url,
            asset_bucket_name=toolkit.asset_bucket,
            execution_role_arn=toolkit.role_arn(toolkit.execution_role_name),
        )

    @property
    def home(self) -> Target:
        """The platform's home region, reached with the operator's credentials alone."""
        return self.target(self.config.region)
