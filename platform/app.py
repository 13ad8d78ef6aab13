"""CDK entry point of the base platform (``cdk.json``): ``DATAHUB_PLATFORM_CONFIG=FILE cdk synth``.

The configuration is the YAML or JSON file named by ``DATAHUB_PLATFORM_CONFIG`` (default
``platform.yaml`` in this folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from datahub_platform.app import build_app
from datahub_platform.config import PlatformConfig

from service_contract.errors import DatahubError


def main() -> int:
    """Synthesize the platform into the CDK CLI's output folder."""
    config_path = os.environ.get("DATAHUB_PLATFORM_CONFIG", "platform.yaml")
    try:
        config = PlatformConfig.from_file(Path(config_path))
    except DatahubError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2
    build_app(config).synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
