"""A synth worker process, both ends: the child's loop and the parent's handle on it.

The child warms a job module once, then runs one synth at a time on request. It starts with
the parent's ``sys.path``, in its own process group, with a private temporary directory.
Frames travel over stdin (requests) and the original stdout (replies); stdout is then pointed
at stderr, so stray prints from template code or jsii cannot corrupt the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import shutil
import signal
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import structlog

from cdk_service.bundles.loading import BUNDLE_DIR_VARIABLE
from cdk_service.synthesis.models import SynthRequest
from service_contract import errors
from service_contract.errors import DatahubError, UpstreamFailure
from service_contract.logging import configure_logging

log = structlog.get_logger(__name__)

HEADER = struct.Struct(">I")

# What the pool runs: the worker must see the modules the parent sees (tests, plugins).
BOOTSTRAP = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from cdk_service.synthesis.worker import main; sys.exit(main(sys.argv[2:]))"
)


def bundle_dir(tmp_root: Path) -> Path:
    """Where the pool puts fetched bundle archives for its workers to load."""
    return tmp_root / "bundles"


def encode_frame(message: dict[str, Any]) -> bytes:
    """One message as length-prefixed JSON."""
    body = json.dumps(message, default=str).encode()
    return HEADER.pack(len(body)) + body


def read_frame(stream: BinaryIO) -> dict[str, Any] | None:
    """Receive one message; None when the pool closed the pipe."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    message: dict[str, Any] = json.loads(stream.read(HEADER.unpack(header)[0]))
    return message


def error_reply(exc: Exception) -> dict[str, Any]:
    """An exception as a reply that ``error_from_reply`` turns back into an exception."""
    if isinstance(exc, DatahubError):
        lineage = [c.__name__ for c in type(exc).__mro__ if issubclass(c, DatahubError)]
        return {"kind": "error", "classes": lineage, "error": exc.as_dict()}
    return {"kind": "failure", "error": f"{type(exc).__name__}: {exc}"}


def error_from_reply(reply: dict[str, Any], what: str) -> DatahubError:
    """The error a worker reported: same class (or nearest known base), code, field, details."""
    if reply["kind"] != "error":
        return UpstreamFailure(f"{what} failed: {reply['error']}", code="synth_failed")
    body = reply["error"]
    known = (_known_error(name) for name in reply["classes"])
    cls = next((c for c in known if c is not None), DatahubError)
    return cls(
        body["message"], code=body["code"], field=body.get("field"), details=body.get("details")
    )


def _known_error(name: str) -> type[DatahubError] | None:
    cls = getattr(errors, name, None)
    return cls if isinstance(cls, type) and issubclass(cls, DatahubError) else None


def _synthesize(job: Any, request: SynthRequest, directory: Path) -> dict[str, Any]:
    outdir = Path(tempfile.mkdtemp(prefix="out-", dir=directory))
    try:
        result = job.synthesize(request, outdir)
        return {"kind": "result", "result": result.model_dump(mode="json")}
    except DatahubError as exc:
        return error_reply(exc)
    except Exception as exc:
        log.exception("synth_failed", template=request.template, version=request.version)
        return error_reply(exc)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def serve(job_module: str, directory: Path, requests: BinaryIO, replies: BinaryIO) -> int:
    """Warm the job, announce readiness, then answer requests until the pool closes stdin."""
    try:
        job = importlib.import_module(job_module)
        job.warm()
    except Exception as exc:
        log.exception("synth_worker_warm_up_failed", job_module=job_module)
        failure = {"kind": "warm_failed", "error": f"{type(exc).__name__}: {exc}"}
        replies.write(encode_frame(failure))
        replies.flush()
        return 1
    replies.write(encode_frame({"kind": "ready", "pid": os.getpid()}))
    replies.flush()
    while (message := read_frame(requests)) is not None:
        request = SynthRequest.model_validate(message["request"])
        replies.write(encode_frame(_synthesize(job, request, directory)))
        replies.flush()
    return 0


def _take_private_tmp(directory: Path) -> None:
    # Python and the jsii node child (which inherits the environment) both put their temporary
    # files here, so the pool can remove everything even after a SIGKILL.
    os.environ["TMPDIR"] = str(directory)
    tempfile.tempdir = str(directory)


def _take_protocol_stdout() -> BinaryIO:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return replies


def main(argv: list[str]) -> int:
    """Entry point of the worker process: ``JOB_MODULE PRIVATE_DIR CPU`` (CPU "-" for any)."""
    job_module, directory, cpu = argv
    if os.getpgid(0) != os.getpid():
        os.setpgid(0, 0)  # own group, so killing the group also kills jsii's node child
    if cpu != "-":
        # Before jsii starts node, which inherits it: Python and node then ping-pong their
        # thousands of calls per synth on one warm CPU instead of migrating between CPUs.
        os.sched_setaffinity(0, {int(cpu)})
    _take_private_tmp(Path(directory))
    replies = _take_protocol_stdout()
    configure_logging()
    structlog.contextvars.bind_contextvars(synth_worker=os.getpid())
    return serve(job_module, Path(directory), sys.stdin.buffer, replies)


class WorkerProcess:
    """The parent's handle on one worker process and its private directory."""

    grace_seconds: ClassVar[float] = 10.0

    def __init__(
        self, process: asyncio.subprocess.Process, directory: Path, cpu: int | None
    ) -> None:
        self.process = process
        self.directory = directory
        self.cpu = cpu
        self.synths = 0
        self.retired = False
        self._stop_deadline: asyncio.TimerHandle | None = None

    @classmethod
    async def launch(cls, job_module: str, tmp_root: Path, cpu: int | None) -> WorkerProcess:
        """Start a worker pinned to ``cpu`` (None: any); it warms up on its own.

        Raises ``OSError`` if the process cannot start.
        """
        directory = Path(tempfile.mkdtemp(prefix="worker-", dir=tmp_root))
        # Templates do no I/O: keep the service's own settings and secrets out of their reach.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATAHUB_")}
        arguments = [job_module, str(directory), "-" if cpu is None else str(cpu)]
        command = [sys.executable, "-c", BOOTSTRAP, json.dumps(sys.path), *arguments]
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={
                    **env,
                    "TMPDIR": str(directory),
                    BUNDLE_DIR_VARIABLE: str(bundle_dir(tmp_root)),
                },
                process_group=0,
            )
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return cls(process, directory, cpu)

    @property
    def pid(self) -> int:
        """The worker's process id, which is also its process group id."""
        return self.process.pid

    async def send(self, message: dict[str, Any]) -> None:
        """Write one message to the worker."""
        assert self.process.stdin is not None
        self.process.stdin.write(encode_frame(message))
        await self.process.stdin.drain()

    async def receive(self) -> dict[str, Any]:
        """The next reply; ``IncompleteReadError`` when the worker is gone."""
        assert self.process.stdout is not None
        header = await self.process.stdout.readexactly(HEADER.size)
        body = await self.process.stdout.readexactly(HEADER.unpack(header)[0])
        message: dict[str, Any] = json.loads(body)
        return message

    def kill(self) -> None:
        """SIGKILL the whole process group, which includes jsii's node child."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Ask for a clean exit (stdin closed); kill if it still runs after a grace period."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        loop = asyncio.get_running_loop()
        self._stop_deadline = loop.call_later(self.grace_seconds, self.kill)

    @staticmethod
    def describe_exit(returncode: int | None) -> str:
        """How a process ended, for error messages: a signal name or an exit code."""
        if returncode is not None and returncode < 0:
            return f"signal {signal.Signals(-returncode).name}"
        return f"exit code {returncode}"

    def remove_directory(self) -> None:
        """Remove the private directory (blocking; run it in a thread)."""
        # A dying node child may still be writing: retry briefly rather than leave files behind.
        for _ in range(20):
            shutil.rmtree(self.directory, ignore_errors=True)
            if not self.directory.exists():
                return
            time.sleep(0.05)
        log.warning("synth_worker_directory_left", directory=str(self.directory))

    def exited(self) -> None:
        """Called once the process has exited: kill what is left of its group."""
        self.kill()  # node may outlive the worker process
        if self._stop_deadline is not None:
            self._stop_deadline.cancel()
