"""A stand-in synth job for pool tests: no jsii, behaviour chosen by the request's params.

``warm()`` starts a long-lived child process, as jsii starts node, so tests can check that it
dies with its worker. ``FAKE_JOB_WARM=fail`` (an exception), ``FAKE_JOB_WARM=crash`` (the
process exits) or ``FAKE_JOB_WARM_SECONDS=N`` in the environment make warm-up fail or stall.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from cdk_service.synthesis.models import SynthRequest, SynthResult, sha256_of
from cdk_service.synthesis.pool import SynthPool
from service_contract import errors
from stack_catalog.contract import DeployContext

FAKE_JOB = __name__
CONTEXT = DeployContext(
    account="123456789012", region="eu-west-1", team="data-team", stack_name="data-team-fake"
)

_child: subprocess.Popen[bytes] | None = None


def fake_request(action: str = "ok", **params: Any) -> SynthRequest:
    """A request for this job: ``action`` and its arguments travel as params."""
    return SynthRequest(
        template="fake",
        version="1.0.0",
        code_digest="0" * 64,
        params={"action": action, **params},
        context=CONTEXT,
    )


def fake_pool(tmp_root: Path, **options: Any) -> SynthPool:
    """An unstarted pool running this job: one worker and generous limits unless overridden."""
    settings: dict[str, Any] = {
        "workers": 1,
        "recycle_after": 100,
        "timeout_seconds": 10.0,
        "warm_timeout_seconds": 10.0,
        "job_module": FAKE_JOB,
        **options,
    }
    return SynthPool(tmp_root=tmp_root, **settings)


def warm() -> None:
    """Start the node-like child and leave a file in the private temp dir, as jsii does."""
    global _child
    if os.environ.get("FAKE_JOB_WARM") == "fail":
        raise RuntimeError("this job cannot warm")
    if os.environ.get("FAKE_JOB_WARM") == "crash":
        os._exit(1)
    time.sleep(float(os.environ.get("FAKE_JOB_WARM_SECONDS", "0")))
    _child = subprocess.Popen(["sleep", "600"])
    tempfile.mkstemp(prefix="runtime-")


def synthesize(request: SynthRequest, outdir: Path) -> SynthResult:
    """Do what ``params["action"]`` says: ok, sleep, exit, raise, crash or litter."""
    params = request.params
    started = time.time()
    assert _child is not None
    if "pid_file" in params:
        Path(params["pid_file"]).write_text(f"{os.getpid()} {_child.pid}")
    _ACTIONS[params.get("action", "ok")](params, outdir)
    template: dict[str, Any] = {
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
        "Metadata": {
            "pid": os.getpid(),
            "cpus": sorted(os.sched_getaffinity(0)),
            "started": started,
            "finished": time.time(),
        },
        "Outputs": {"Outdir": {"Value": str(outdir)}},
    }
    return SynthResult(template=template, digest=sha256_of(template))


def _ok(params: dict[str, Any], outdir: Path) -> None:
    pass


def _sleep(params: dict[str, Any], outdir: Path) -> None:
    time.sleep(params["seconds"])


def _exit(params: dict[str, Any], outdir: Path) -> None:
    os._exit(3)


def _raise(params: dict[str, Any], outdir: Path) -> None:
    error_class = getattr(errors, params["error"])
    raise error_class(
        params["message"],
        code=params.get("code"),
        field=params.get("field"),
        details=params.get("details"),
    )


def _crash(params: dict[str, Any], outdir: Path) -> None:
    raise ValueError(params.get("message", "boom"))


def _litter(params: dict[str, Any], outdir: Path) -> None:
    """Files in the outdir, and in the temp dir the way ``App()`` without outdir leaves them."""
    (outdir / "stack.template.json").write_text("{}")
    leftover = Path(tempfile.mkdtemp(prefix="cdk.out"))
    (leftover / "manifest.json").write_text("{}")
    tempfile.mkstemp(prefix="stray-")


_ACTIONS = {
    "ok": _ok,
    "sleep": _sleep,
    "exit": _exit,
    "raise": _raise,
    "crash": _crash,
    "litter": _litter,
}
