"""Benchmark: how long the base platform's app takes to build and synthesize, with and without
the AwsSolutions checks, and how big its templates are.

Run from the repository root: ``.venv/bin/python bench/platform_synth.py [--runs N]``. Each run
is a fresh process (a first synth, as bootstrap and the CDK CLI do it); output goes to a
temporary directory that is removed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "platform" / "platform.example.yaml"

ONE_RUN = """
import json, sys, time
started = time.perf_counter()
import aws_cdk as cdk
from pathlib import Path
from datahub_platform.app import build_app
from datahub_platform.config import PlatformConfig
imported = time.perf_counter()
app = build_app(PlatformConfig.from_file(Path(sys.argv[1])), sys.argv[2])
if sys.argv[3] == "nag":
    from cdk_nag import AwsSolutionsChecks
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
built = time.perf_counter()
app.synth()
done = time.perf_counter()
print(json.dumps({"import": imported - started, "build": built - imported, "synth": done - built}))
"""


def run_once(checks: str) -> dict[str, float]:
    """One fresh-process synthesis; the phases' durations in seconds."""
    with tempfile.TemporaryDirectory(prefix="platform-bench-") as outdir:
        env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(CONFIG), outdir, checks],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        phases: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
        phases["process"] = time.perf_counter() - started
        if checks == "plain":
            phases["templates_kib"] = (
                sum(p.stat().st_size for p in Path(outdir).glob("*.template.json")) / 1024
            )
            phases["resources"] = sum(
                len(json.loads(p.read_text())["Resources"])
                for p in Path(outdir).glob("*.template.json")
            )
        return phases


def main() -> None:
    """Print median phase durations for plain synth and synth with cdk-nag."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    for checks in ("plain", "nag"):
        samples = [run_once(checks) for _ in range(runs)]
        medians = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
        figures = "  ".join(
            f"{key} {value:.2f}s"
            if key not in ("templates_kib", "resources")
            else f"{key} {value:.0f}"
            for key, value in medians.items()
        )
        print(f"{checks:5} (median of {runs}): {figures}")


if __name__ == "__main__":
    main()
