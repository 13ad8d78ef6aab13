"""platform/app.py, the entry point cdk.json names, as the CDK CLI runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from datahub_platform.app import STACK_ORDER
from datahub_platform.config import REPOSITORY_ROOT

from tests.platform.conftest import CONFIG

ENTRY_POINT = REPOSITORY_ROOT / "platform" / "app.py"


def run_entry_point(config_path: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATAHUB_PLATFORM_CONFIG": str(config_path),
        "CDK_OUTDIR": str(outdir),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    return subprocess.run(
        [sys.executable, str(ENTRY_POINT)],
        cwd=ENTRY_POINT.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_cdk_json_names_the_entry_point() -> None:
    settings = json.loads((ENTRY_POINT.parent / "cdk.json").read_text())
    assert settings["app"].split()[-1] == ENTRY_POINT.name


def test_the_entry_point_synthesizes_every_stack_into_the_cli_folder(tmp_path: Path) -> None:
    config_path = tmp_path / "platform.yaml"
    config_path.write_text(yaml.safe_dump(CONFIG))
    outdir = tmp_path / "cdk.out"
    result = run_entry_point(config_path, outdir)
    assert result.returncode == 0, result.stderr[-2000:]
    for stack_id in STACK_ORDER:
        assert (outdir / f"{stack_id}.template.json").is_file(), stack_id


def test_a_bad_configuration_exits_with_its_code_and_no_traceback(tmp_path: Path) -> None:
    config_path = tmp_path / "platform.yaml"
    config_path.write_text(yaml.safe_dump({**CONFIG, "account": "12345"}))
    result = run_entry_point(config_path, tmp_path / "cdk.out")
    assert result.returncode == 2
    assert "error [invalid_platform_config]" in result.stderr
    assert "account" in result.stderr
    assert "Traceback" not in result.stderr
